// Counts a delivery's bytes and rows in one pass without parsing rows into objects: cheap
// enough for the debug integration to report on gigabytes.
import { Readable } from "stream";
import { Delivery } from "../../hub/delivery";
import { JsonPath } from "../json/json_walker";
import { walkJson } from "./rows";

const NEWLINE = 0x0a;
const QUOTE = 0x22;

export interface DeliveryCount {
  bytes: number;
  rows: number;
}

/** Counts bytes as they pass. */
function counted(readable: Readable, count: DeliveryCount): AsyncGenerator<Buffer> {
  return (async function* () {
    for await (const chunk of readable) {
      count.bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  })();
}

/** CSV records: newlines outside quoted cells, less the header row. */
async function countCsv(readable: Readable, count: DeliveryCount): Promise<void> {
  let records = 0;
  let inQuote = false;
  let lastByte = NEWLINE;
  for await (const buf of counted(readable, count)) {
    const n = buf.length;
    let i = 0;
    let q = buf.indexOf(QUOTE, 0);
    while (i < n) {
      if (inQuote) {
        if (q === -1) { break; }
        inQuote = false;
        i = q + 1;
        q = buf.indexOf(QUOTE, i);
        continue;
      }
      const stop = q === -1 ? n : q;
      let nl = buf.indexOf(NEWLINE, i);
      while (nl !== -1 && nl < stop) {
        records++;
        nl = buf.indexOf(NEWLINE, nl + 1);
      }
      if (q === -1) { break; }
      inQuote = true;
      i = q + 1;
      q = buf.indexOf(QUOTE, i);
    }
    if (n) { lastByte = buf[n - 1]; }
  }
  if (lastByte !== NEWLINE) { records++; }
  count.rows = Math.max(0, records - 1);
}

/** Elements of the array at `arrayPath` ([] for the top level). */
async function countJsonArray(readable: Readable, arrayPath: string, count: DeliveryCount): Promise<void> {
  const source = Readable.from(counted(readable, count), { objectMode: false });
  const rows = walkJson<true>(source, "JSON", (push) => ({
    modeFor: (path: JsonPath) => {
      const key = path.join(".");
      if (key === arrayPath) { return "count"; }
      return path.length === 0 ? "object" : "skip";
    },
    element: () => { push(true); },
  }));
  for await (const _ of rows) { count.rows++; }
}

/** Bytes and rows of a delivery, by its format (rows are 0 for formats without rows). */
export async function countDelivery(delivery: Delivery): Promise<DeliveryCount> {
  const count: DeliveryCount = { bytes: 0, rows: 0 };
  const readable = await delivery.stream();
  switch (delivery.format) {
    case "csv": case "txt":
      await countCsv(readable, count);
      break;
    case "json": case "json_label": case "inline_json":
      await countJsonArray(readable, "", count);
      break;
    case "json_detail": case "json_detail_lite_stream":
      await countJsonArray(readable, "data", count);
      break;
    default:
      for await (const _ of counted(readable, count)) { /* bytes only */ }
  }
  return count;
}
