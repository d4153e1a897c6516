// The data of a delivery, whichever way it came: inside the execute body ("push") or at
// a one-time download URL ("url"). Integrations read it through this interface and
// never need to know which.
import { Readable } from "stream";

export type DeliverySource = "push" | "url";

export interface Delivery {
  readonly source: DeliverySource;
  /** The Looker format (`csv`, `json_detail`, ...), when Looker said it. */
  readonly format: string | undefined;
  readonly mimetype: string | undefined;
  /** The decoded bytes, with backpressure. Call it once. */
  stream(): Promise<Readable>;
}

/** Push data already in memory as a string or inline JSON (small bodies, tests). */
export class InlineDelivery implements Delivery {
  readonly source = "push";
  private used = false;

  constructor(
    private readonly data: unknown,
    readonly mimetype: string | undefined,
    readonly format: string | undefined,
  ) {}

  async stream(): Promise<Readable> {
    if (this.used) { throw new Error("The delivery data can be read only once."); }
    this.used = true;
    let bytes: Buffer;
    if (typeof this.data === "string") {
      bytes = this.mimetype && /;\s*base64$/i.test(this.mimetype)
        ? Buffer.from(this.data, "base64")
        : Buffer.from(this.data, "utf8");
    } else {
      bytes = Buffer.from(JSON.stringify(this.data), "utf8");
    }
    return Readable.from([bytes], { objectMode: false });
  }
}
