// Push deliveries read from the execute body as it arrives ("live"), or from a spool file
// when the attachment came before the params.
import { pipeline, Readable } from "stream";
import { base64DecodeStream } from "../body/base64_decoder";
import { ReadOnceDelivery } from "./read_once";
import { Spool } from "./spool";

/** The attachment's bytes straight from the request body, with the body's backpressure. */
export class LivePushDelivery extends ReadOnceDelivery {
  readonly source = "push";

  constructor(
    private readonly readable: Readable,
    readonly mimetype: string | undefined,
    public format: string | undefined,
  ) { super(); }

  protected async open(): Promise<Readable> {
    return this.readable;
  }
}

/** The attachment's bytes from a spool file, base64-decoded on the way out when needed. */
export class SpooledPushDelivery extends ReadOnceDelivery {
  readonly source = "push";
  private opened: Readable | undefined;

  constructor(
    private readonly spool: Spool,
    readonly mimetype: string | undefined,
    public format: string | undefined,
    private readonly base64: boolean,
  ) { super(); }

  knownSize(): number | undefined {
    return this.base64 ? undefined : this.spool.size;
  }

  protected async open(): Promise<Readable> {
    const file = this.spool.reader();
    if (!this.base64) {
      this.opened = file;
      return file;
    }
    const decoded = base64DecodeStream();
    pipeline(file, decoded, () => undefined);
    this.opened = decoded;
    return decoded;
  }

  /** Closes the spool file whether or not it was read. */
  dispose(): void {
    this.opened?.destroy();
    this.spool.dispose();
  }
}
