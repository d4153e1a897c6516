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
  /** Told how many rows a row reader (or an integration counting itself) read, for metrics. */
  noteRows?(count: number): void;
}

/** A delivery whose bytes can be read once: `stream()` opens them, a second call fails. */
export abstract class ReadOnceDelivery implements Delivery {
  abstract readonly source: DeliverySource;
  abstract readonly format: string | undefined;
  abstract readonly mimetype: string | undefined;
  private used = false;

  async stream(): Promise<Readable> {
    if (this.used) { throw readOnceError(); }
    this.used = true;
    return this.open();
  }

  protected abstract open(): Promise<Readable>;
}

/** Push data already in memory as a string or inline JSON (small bodies, tests). */
export class InlineDelivery extends ReadOnceDelivery {
  readonly source = "push";

  constructor(
    private readonly data: unknown,
    readonly mimetype: string | undefined,
    readonly format: string | undefined,
  ) { super(); }

  protected async open(): Promise<Readable> {
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

/** How big and how slow a delivery may be; from the configuration. */
export interface DeliveryLimits {
  /** Largest execute body or download, in bytes; 0 means no limit. */
  maxBytes: number;
  /** Milliseconds to connect to a download URL. */
  connectTimeoutMs: number;
  /** Milliseconds a download may stay silent, waiting for headers or data. */
  idleTimeoutMs: number;
}

export const DEFAULT_DELIVERY_LIMITS: DeliveryLimits = Object.freeze({
  maxBytes: 0,
  connectTimeoutMs: 30_000,
  idleTimeoutMs: 120_000,
});

/** A readable whose bytes are exhausted or failed, for deliveries read twice. */
function readOnceError(): Error {
  return new Error("The delivery data can be read only once.");
}
