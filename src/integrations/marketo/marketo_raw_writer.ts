// A Marketo lead written straight from a row's bytes (src/data/json/raw_rows.ts) into a row
// worker's output: the same bytes as LeadMapper.map and JSON.stringify give, without parsing the
// row, building the lead or stringifying it. Values go as they are (null and "" left out), so a
// value is copied only when its bytes are what JSON.stringify writes for it; any other row (a list
// or an object, which map() sends as JSON text, an escaped key, a pivot, no lookup value) is left
// to map().
import type { RawRun } from "../../data/json/raw_run";
import { keysInOrder, leftOut, mostReads, RawFieldSlots, RawPairs } from "../../data/rows/raw_fields";
import type { RawOutput } from "../../data/rows/row_mapping";

const OPEN = 0x7b, CLOSE = 0x7d;

export class MarketoRawWriter {
  private readonly fields = new RawFieldSlots();
  /** The lookup field's slot: a row without its value is rejected by map(). */
  private readonly lookup: number;
  private readonly columns: RawPairs;
  private readonly fixedBytes: number;
  /** How often one cell's bytes may be written in a lead (a field tagged as two lead fields). */
  private readonly copies: number;

  private constructor(columns: Array<[field: string, leadField: string]>, lookupField: string) {
    this.columns = new RawPairs(this.fields, columns, { dropEmpty: true });
    this.lookup = this.fields.slotOf(columns.find(([, leadField]) => leadField === lookupField)?.[0]);
    this.fixedBytes = 2 + this.columns.fixedBytes;
    this.copies = mostReads(columns.map(([field]) => field));
  }

  /**
   * The writer for a delivery, or undefined when map()'s lead would not print its fields in the
   * columns' order or at all (keysInOrder: a lead field twice takes the first place and the last
   * value): every row is then mapped as before.
   */
  static for(columns: Array<[field: string, leadField: string]>, lookupField: string): MarketoRawWriter | undefined {
    if (!keysInOrder(columns.map(([field]) => field), columns.map(([, leadField]) => leadField))) { return undefined; }
    return new MarketoRawWriter(columns, lookupField);
  }

  /** Writes row `k` of `run` as its lead; false (nothing committed) leaves the row to map(). */
  write(run: RawRun, k: number, rowNumber: number, out: RawOutput): boolean {
    if (!this.fields.read(run, k)) { return false; }
    const lookup = this.fields.cell(this.lookup);
    if (lookup < 0 || leftOut(run, lookup, true)) { return false; } // rejected by map()
    const dst = out.room(this.fixedBytes + this.copies * (run.rowEnd(k) - run.rowStart(k)));
    let at = out.end;
    dst[at++] = OPEN;
    at = this.columns.write(run, dst, at, false);
    if (at < 0) { return false; }
    dst[at++] = CLOSE;
    out.commit(rowNumber, at);
    return true;
  }
}
