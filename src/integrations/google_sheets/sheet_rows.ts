// The CSV's rows for Sheets: read once into a spool file (one JSON array a line) while counting
// rows and columns, so the cell limit is checked before anything is written; then read back in
// batches. Memory holds one batch, whatever the size of the result.
import { parse as parseCsv } from "csv-parse";
import * as readline from "readline";
import { pipeline, Readable } from "stream";
import { Spool } from "../../data/spool";
import { UserError } from "../../lib/errors";

export interface SpooledRows {
  rows: number;
  columns: number;
  /** Batches of rows, each under `maxRows` rows and about `maxBytes` of JSON. Call once. */
  batches(maxRows: number, maxBytes: number): AsyncGenerator<unknown[][]>;
  dispose(): void;
}

/** A cell as Sheets gets it: plain numbers as numbers (so charts and sums work), the rest as text. */
export function cellValue(text: string): string | number {
  if (/^-?(0|[1-9]\d{0,14})(\.\d{1,10})?$/.test(text)) { return Number(text); }
  return text;
}

export async function spoolCsvRows(source: Readable): Promise<SpooledRows> {
  const spool = Spool.create();
  let rows = 0;
  let columns = 0;
  try {
    const parser = parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true });
    pipeline(source, parser, () => undefined);
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        rows++;
        columns = Math.max(columns, record.length);
        if (!spool.write(Buffer.from(`${JSON.stringify(record.map(cellValue))}\n`))) { await spool.drained(); }
      }
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
    async *batches(maxRows: number, maxBytes: number) {
      const lines = readline.createInterface({ input: spool.reader(), crlfDelay: Infinity });
      let batch: unknown[][] = [];
      let bytes = 0;
      try {
        for await (const line of lines) {
          if (!line) { continue; }
          batch.push(JSON.parse(line));
          bytes += line.length;
          if (batch.length >= maxRows || bytes >= maxBytes) {
            yield batch;
            batch = [];
            bytes = 0;
          }
        }
        if (batch.length) { yield batch; }
      } finally {
        lines.close();
      }
    },
    dispose: () => spool.dispose(),
  };
}
