// The CSV's rows for Sheets: read once into a spool file (one JSON array a line) while counting
// rows and columns, so the cell limit is checked before anything is written; then read back in
// batches. Memory holds one batch, whatever the size of the result.
import { parse as parseCsv } from "csv-parse";
import { pipeline, Readable, Transform } from "stream";
import { Spool } from "../../data/delivery/spool";
import { UserError } from "../../lib/errors";

/** Rows as the bytes of a JSON array of arrays (never parsed again: the spool holds each row's JSON). */
export interface RowBatch {
  rows: number;
  json: Buffer;
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;
const CLOSE = 0x5d;
const OPEN = Buffer.from("[");

export interface SpooledRows {
  rows: number;
  columns: number;
  /** Batches of rows, each under `maxRows` rows and about `maxBytes` of JSON. Call once. */
  batches(maxRows: number, maxBytes: number): AsyncGenerator<RowBatch>;
  dispose(): void;
}

/** A cell as Sheets gets it: plain numbers as numbers (so charts and sums work), the rest as text. */
export function cellValue(text: string): string | number {
  if (/^-?(0|[1-9]\d{0,14})(\.\d{1,10})?$/.test(text)) { return Number(text); }
  return text;
}

/**
 * Passes the bytes on in pieces of at most 64 KB (views, not copies). The CSV parser makes every
 * record of a piece at once; with Looker's 1 MB pieces that is ~17,000 records alive together,
 * enough to make V8 promote them and the process grow by ~80 MB on a million rows.
 */
function smallPieces(size = 64 * 1024): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let at = 0; at < chunk.length; at += size) { this.push(chunk.subarray(at, at + size)); }
      done();
    },
  });
}

export async function spoolCsvRows(source: Readable): Promise<SpooledRows> {
  const spool = Spool.create();
  let rows = 0;
  let columns = 0;
  try {
    const parser = parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true });
    pipeline(source, smallPieces(), parser, () => undefined);
    // Lines are written in 64 KB pieces: a write per row would queue a million small buffers.
    let pending = "";
    const flush = async () => {
      if (!spool.write(Buffer.from(pending))) { await spool.drained(); }
      pending = "";
    };
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        rows++;
        columns = Math.max(columns, record.length);
        pending += `${JSON.stringify(record.map(cellValue))}\n`;
        if (pending.length >= 65536) { await flush(); }
      }
      if (pending) { await flush(); }
    } catch (err) {
      throw new UserError(`The CSV from Looker could not be read (${(err as Error).message?.slice(0, 120)}). ` +
        "Send it again; if it keeps failing, ask your Looker admin.");
    } finally {
      source.destroy();
    }
    await spool.finish();
  } catch (err) {
    spool.dispose();
    throw err;
  }
  return {
    rows, columns,
    // The spool's bytes are cut at line ends into batches, without making a string of each row:
    // a batch is its lines with the newlines turned into commas, in brackets.
    async *batches(maxRows: number, maxBytes: number) {
      let parts: Buffer[] = [];
      let size = 0;
      let count = 0;
      const take = (): RowBatch => {
        const json = Buffer.concat([OPEN, ...parts]);
        for (let i = json.indexOf(NEWLINE); i !== -1; i = json.indexOf(NEWLINE, i + 1)) { json[i] = COMMA; }
        json[json.length - 1] = CLOSE;
        const batch = { rows: count, json };
        parts = [];
        size = 0;
        count = 0;
        return batch;
      };
      for await (const chunk of spool.reader() as AsyncIterable<Buffer>) {
        let start = 0;
        for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, end + 1)) {
          count++;
          if (count >= maxRows || size + end + 1 - start >= maxBytes) {
            parts.push(chunk.subarray(start, end + 1));
            start = end + 1;
            yield take();
          }
        }
        if (start < chunk.length) {
          parts.push(chunk.subarray(start));
          size += chunk.length - start;
        }
      }
      if (count) { yield take(); }
    },
    dispose: () => spool.dispose(),
  };
}
