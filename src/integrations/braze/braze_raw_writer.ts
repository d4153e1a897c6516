// A Braze attributes object written straight from a row's bytes (src/data/json/raw_rows.ts) into a
// row worker's output: the same bytes as BrazeMapper.map and JSON.stringify give, without parsing
// the row, building the object or stringifying it. The id is written as idValue makes it (a string,
// only when trim() would leave it as it is); attributes go as they are (null left out, "" kept), so a
// value is copied only when its bytes are what JSON.stringify writes for it. Any other row (a value
// it cannot copy, an id to trim or missing, an escaped key, a pivot) is left to map().
import type { RawRun } from "../../data/json/raw_run";
import { keysInOrder, mostReads, plainId, putBytes, RawFieldSlots, RawPairs, writeAsString }
  from "../../data/rows/raw_fields";
import type { RawOutput } from "../../data/rows/row_mapping";

const UPDATE_EXISTING_ONLY = "_update_existing_only";

/** What map() puts around the attributes: the id's key, the export attribute and its segment. */
export interface BrazeShape {
  key: string;
  exportAttribute: string;
  segment: string;
}

export class BrazeRawWriter {
  private readonly fields = new RawFieldSlots();
  private readonly id: number;
  private readonly attributes: RawPairs;
  /** `{"_update_existing_only":true,"external_id":` (the id follows). */
  private readonly head: Buffer;
  /** `,"looker_export":{"add":["<segment>"]}}` */
  private readonly tail: Buffer;
  private readonly fixedBytes: number;
  /** How often one cell's bytes may be written in a record (a field that is the id and an attribute). */
  private readonly copies: number;

  private constructor(idField: string, attributes: Array<[field: string, attribute: string]>, shape: BrazeShape) {
    this.id = this.fields.slotOf(idField);
    this.attributes = new RawPairs(this.fields, attributes);
    this.head = Buffer.from(`{${JSON.stringify(UPDATE_EXISTING_ONLY)}:true,${JSON.stringify(shape.key)}:`);
    this.tail = Buffer.from(`,${JSON.stringify(shape.exportAttribute)}:{"add":[${JSON.stringify(shape.segment)}]}}`);
    this.fixedBytes = this.head.length + 2 + this.attributes.fixedBytes + this.tail.length;
    this.copies = mostReads([idField, ...attributes.map(([field]) => field)]);
  }

  /**
   * The writer for a delivery, or undefined when map()'s object would not print its keys in the
   * order they are set or at all (keysInOrder; an attribute named as one of map()'s own keys takes
   * that key's place): every row is then mapped as before.
   */
  static for(idField: string, attributes: Array<[field: string, attribute: string]>, shape: BrazeShape):
    BrazeRawWriter | undefined {
    const keys = [UPDATE_EXISTING_ONLY, shape.key, ...attributes.map(([, attribute]) => attribute),
      shape.exportAttribute];
    if (!keysInOrder(attributes.map(([field]) => field), keys)) { return undefined; }
    return new BrazeRawWriter(idField, attributes, shape);
  }

  /** Writes row `k` of `run` as its attributes object; false (nothing committed) leaves the row to map(). */
  write(run: RawRun, k: number, rowNumber: number, out: RawOutput): boolean {
    if (!this.fields.read(run, k)) { return false; }
    const id = this.fields.cell(this.id);
    if (id < 0 || !plainId(run, id)) { return false; }
    const dst = out.room(this.fixedBytes + this.copies * (run.rowEnd(k) - run.rowStart(k)));
    let at = putBytes(this.head, dst, out.end);
    at = writeAsString(run, id, dst, at);
    at = this.attributes.write(run, dst, at, true);
    if (at < 0) { return false; }
    at = putBytes(this.tail, dst, at);
    out.commit(rowNumber, at);
    return true;
  }
}
