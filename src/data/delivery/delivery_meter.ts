// Counts the bytes an integration reads from a delivery, and the rows its row readers yield,
// for the metrics, without changing what it reads or its backpressure.
import { Readable, Transform } from "stream";
import { Delivery, DeliverySource } from "../../hub/delivery";

export class MeteredDelivery implements Delivery {
  bytes = 0;
  rows = 0;

  constructor(readonly inner: Delivery) {}

  get source(): DeliverySource { return this.inner.source; }
  get format(): string | undefined { return this.inner.format; }
  set format(format: string | undefined) { this.inner.format = format; }
  get mimetype(): string | undefined { return this.inner.mimetype; }

  noteRows(count: number): void {
    this.rows += count;
  }

  knownSize(): number | undefined {
    return this.inner.knownSize?.();
  }

  firstSignificantByte(): Promise<number | undefined> {
    return this.inner.firstSignificantByte();
  }

  async stream(): Promise<Readable> {
    return metered(await this.inner.stream(), (bytes) => { this.bytes += bytes; });
  }
}

/** The source through a counter (`onBytes` told each chunk's length), with its errors and backpressure. */
export function metered(source: Readable, onBytes: (bytes: number) => void): Readable {
  const meter = new Transform({
    transform: (chunk: Buffer, _encoding, done) => {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  source.on("error", (err) => meter.destroy(err));
  // A reader that stops early destroys the meter; the source must stop too.
  meter.on("close", () => { if (!source.destroyed && !source.readableEnded) { source.destroy(); } });
  return source.pipe(meter);
}
