// Counts a delivery's bytes and rows while reading it as a stream.
import { Delivery } from "../../hub/delivery";

const NEWLINE = 0x0a;

export async function countDelivery(delivery: Delivery): Promise<{ bytes: number; rows: number }> {
  let bytes = 0;
  let lines = 0;
  let lastByte = NEWLINE;
  for await (const chunk of await delivery.stream()) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    let at = buf.indexOf(NEWLINE);
    while (at !== -1) {
      lines++;
      at = buf.indexOf(NEWLINE, at + 1);
    }
    if (buf.length) { lastByte = buf[buf.length - 1]; }
  }
  if (lastByte !== NEWLINE) { lines++; }
  const tabular = delivery.format === "csv" || delivery.format === "txt";
  return { bytes, rows: tabular ? Math.max(0, lines - 1) : 0 };
}
