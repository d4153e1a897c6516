// The kinds of delivery (src/hub/delivery.ts): read once, inline, from a stream, and the limits
// every delivery is read under.
import { Readable } from "stream";
import type { Delivery, DeliverySource } from "../../hub/delivery";
import { decodeBase64, isBase64Mimetype } from "../body/base64_decoder";

/** A delivery whose bytes can be read once: `stream()` opens them, a second call fails. */
export abstract class ReadOnceDelivery implements Delivery {
  abstract readonly source: DeliverySource;
  abstract format: string | undefined;
  abstract readonly mimetype: string | undefined;
  private used = false;
  /** Opened to peek at its first bytes, which were put back. */
  private peeked: Readable | undefined;

  async stream(): Promise<Readable> {
    if (this.used) { throw readOnceError(); }
    this.used = true;
    if (this.peeked) { return this.peeked; }
    return this.open();
  }

  async firstSignificantByte(): Promise<number | undefined> {
    if (this.used) { throw readOnceError(); }
    if (!this.peeked) { this.peeked = await this.open(); }
    return peekSignificantByte(this.peeked);
  }

  protected abstract open(): Promise<Readable>;
}

/** Push data already in memory as a string or inline JSON (small bodies, tests). */
export class InlineDelivery extends ReadOnceDelivery {
  readonly source = "push";

  constructor(
    private readonly data: unknown,
    readonly mimetype: string | undefined,
    public format: string | undefined,
  ) { super(); }

  protected async open(): Promise<Readable> {
    let bytes: Buffer;
    if (typeof this.data === "string") {
      bytes = isBase64Mimetype(this.mimetype) ? decodeBase64(this.data) : Buffer.from(this.data, "utf8");
    } else {
      bytes = Buffer.from(JSON.stringify(this.data), "utf8");
    }
    return Readable.from([bytes], { objectMode: false });
  }
}

/** A delivery whose bytes come from a function (tests, benchmarks, data the hub makes itself). */
export class StreamDelivery extends ReadOnceDelivery {
  constructor(
    readonly source: DeliverySource,
    public format: string | undefined,
    readonly mimetype: string | undefined,
    private readonly opener: () => Readable | Promise<Readable>,
  ) { super(); }

  protected async open(): Promise<Readable> {
    return this.opener();
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
  /** Milliseconds a whole download may take (DOWNLOAD_TOTAL_TIMEOUT_SECONDS). */
  totalTimeoutMs?: number;
  /** Least bytes per second a download must keep over each rate window; 0 means none. */
  minBytesPerSecond?: number;
  /** The window the rate is averaged over, in milliseconds; default 30 s. */
  rateWindowMs?: number;
}

export const DEFAULT_DELIVERY_LIMITS: DeliveryLimits = Object.freeze({
  maxBytes: 0,
  connectTimeoutMs: 30_000,
  idleTimeoutMs: 120_000,
  totalTimeoutMs: 3_600_000,
  minBytesPerSecond: 1024,
  rateWindowMs: 30_000,
});

const JSON_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Reads from a paused readable until a byte that is not JSON whitespace (or a UTF-8 byte
 * order mark) arrives, puts everything read back with `unshift`, and answers that byte.
 */
export function peekSignificantByte(readable: Readable): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const taken: Buffer[] = [];
    const finish = (value: number | undefined, err?: unknown, ended = false) => {
      readable.off("readable", onReadable);
      readable.off("end", onEnd);
      readable.off("error", onError);
      // After the end only whitespace was read: nothing worth putting back (and unshift would fail).
      if (!ended) { for (let i = taken.length - 1; i >= 0; i--) { readable.unshift(taken[i]); } }
      if (err) { reject(err); } else { resolve(value); }
    };
    const onEnd = () => finish(undefined, undefined, true);
    const onError = (err: unknown) => finish(undefined, err);
    const onReadable = () => {
      for (let chunk = readable.read(); chunk !== null; chunk = readable.read()) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as any);
        taken.push(buf);
        for (let i = 0; i < buf.length; i++) {
          const b = buf[i];
          if (JSON_SPACE.has(b)) { continue; }
          if ((b === 0xef || b === 0xbb || b === 0xbf) && taken.length === 1 && i < 3) { continue; }
          return finish(b);
        }
      }
    };
    readable.on("readable", onReadable);
    readable.once("end", onEnd);
    readable.once("error", onError);
  });
}

/** A readable whose bytes are exhausted or failed, for deliveries read twice. */
function readOnceError(): Error {
  return new Error("The delivery data can be read only once.");
}
