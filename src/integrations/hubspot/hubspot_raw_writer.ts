// A HubSpot batch input written straight from a row's bytes (src/data/json/raw_rows.ts) into a
// row worker's output: the same bytes as HubspotMapper.map and JSON.stringify give, without
// parsing the row, building the input or stringifying it (the parse, the objects' garbage and the
// stringify were most of the row thread's CPU for 1M rows, bench/RESULTS.md). A value is copied
// only when its bytes are what JSON.stringify writes for it; any other row (a value it cannot
// copy, an id it would have to trim or that is missing, an escaped key, a pivot) is left to map().
import type { RawRun } from "../../data/json/raw_run";
import { keysInOrder, plainId, putBytes, RawFieldSlots, RawPairs, writeAsString } from "../../data/rows/raw_fields";
import type { RawOutput } from "../../data/rows/row_mapping";

const HEAD = Buffer.from('{"id":');
const PROPERTIES = Buffer.from(',"properties":{');
const TAIL = Buffer.from("}}");

export class HubspotRawWriter {
  private readonly fields = new RawFieldSlots();
  private readonly id: number;
  /** Values as strings (String() of a number or boolean), nulls left out: HubSpot would clear the property. */
  private readonly properties: RawPairs;
  private readonly fixedBytes: number;

  private constructor(idField: string, properties: Array<[field: string, property: string]>) {
    this.id = this.fields.slotOf(idField);
    this.properties = new RawPairs(this.fields, properties, { asStrings: true });
    this.fixedBytes = HEAD.length + PROPERTIES.length + TAIL.length + 2 + this.properties.fixedBytes;
  }

  /**
   * The writer for a delivery, or undefined when map()'s object would not print its properties in
   * the fields' order or at all (keysInOrder): every row is then mapped as before.
   */
  static for(idField: string, properties: Array<[field: string, property: string]>): HubspotRawWriter | undefined {
    if (!keysInOrder(properties.map(([field]) => field), properties.map(([, property]) => property))) {
      return undefined;
    }
    return new HubspotRawWriter(idField, properties);
  }

  /** Writes row `k` of `run` as its input; false (nothing committed) leaves the row to map(). */
  write(run: RawRun, k: number, rowNumber: number, out: RawOutput): boolean {
    const fields = this.fields;
    if (!fields.read(run, k)) { return false; }
    const id = fields.cell(this.id);
    if (id < 0 || !plainId(run, id)) { return false; }
    const dst = out.room(this.fixedBytes + run.rowEnd(k) - run.rowStart(k));
    let at = putBytes(HEAD, dst, out.end);
    at = writeAsString(run, id, dst, at);
    at = putBytes(PROPERTIES, dst, at);
    at = this.properties.write(run, dst, at, false);
    if (at < 0) { return false; }
    at = putBytes(TAIL, dst, at);
    out.commit(rowNumber, at);
    return true;
  }
}
