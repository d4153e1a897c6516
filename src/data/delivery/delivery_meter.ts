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

  firstSignificantByte(): Promise<number | undefined> {
    return this.inner.firstSignificantByte();
  }

  async stream(): Promise<Readable> {
    const source = await this.inner.stream();
    const meter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.bytes += chunk.length;
        done(null, chunk);
      },
    });
    source.on("error", (err) => meter.destroy(err));
    // An integration that stops reading early destroys the meter; the source must stop too.
    meter.on("close", () => { if (!source.destroyed && !source.readableEnded) { source.destroy(); } });
    return source.pipe(meter);
  }
}
