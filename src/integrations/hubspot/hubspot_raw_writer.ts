// A HubSpot batch input written straight from a row's bytes (src/data/json/raw_rows.ts) into a
// row worker's output: the same bytes as HubspotMapper.map and JSON.stringify give, without
// parsing the row, building the input or stringifying it (the parse, the objects' garbage and the
// stringify were most of the row thread's CPU for 1M rows, bench/RESULTS.md). A value is copied
// only when its bytes are what JSON.stringify writes for it; any other row (a value it cannot
// copy, an id it would have to trim or that is missing, an escaped key, a pivot) is left to map().
import { RawKind, RawRun } from "../../data/json/raw_run";
import { copyRange, KIND, putBytes, RawFieldSlots } from "../../data/rows/raw_fields";
import type { RawOutput } from "../../data/rows/row_mapping";

const QUOTE = 0x22, COMMA = 0x2c, BACKSLASH = 0x5c, SPACE = 0x20, ASCII_END = 0x80;
const HEAD = Buffer.from('{"id":');
const PROPERTIES = Buffer.from(',"properties":{');
const TAIL = Buffer.from("}}");

export class HubspotRawWriter {
  private readonly fields = new RawFieldSlots();
  private readonly id: number;
  /** Each property's slot and its key as written (`"users_email":`). */
  private readonly slots: number[];
  private readonly keys: Buffer[];
  private readonly fixedBytes: number;

  private constructor(idField: string, properties: Array<[field: string, property: string]>) {
    this.id = this.fields.slotOf(idField);
    this.slots = properties.map(([field]) => this.fields.slotOf(field));
    this.keys = properties.map(([, property]) => Buffer.from(`${JSON.stringify(property)}:`));
    this.fixedBytes = HEAD.length + PROPERTIES.length + TAIL.length + 4 +
      this.keys.reduce((n, key) => n + key.length + 3, 0);
  }

  /**
   * The writer for a delivery, or undefined when map()'s object would not print its properties in
   * the fields' order or at all (a name twice, an index-like name JavaScript orders first,
   * "__proto__"): every row is then mapped as before.
   */
  static for(idField: string, properties: Array<[field: string, property: string]>): HubspotRawWriter | undefined {
    const names = properties.map(([, property]) => property);
    if (new Set(names).size !== names.length || names.some((n) => n === "__proto__" || /^\d+$/.test(n))) {
      return undefined;
    }
    return new HubspotRawWriter(idField, properties);
  }

  /** Writes row `k` of `run` as its input; false (nothing committed) leaves the row to map(). */
  write(run: RawRun, k: number, rowNumber: number, out: RawOutput): boolean {
    const fields = this.fields;
    if (!fields.read(run, k)) { return false; }
    const b = run.bytes;
    const id = fields.cell(this.id);
    if (id < 0 || !plainId(run, b, id)) { return false; }
    // Each value at most its bytes and two quotes.
    const dst = out.room(this.fixedBytes + 2 * (run.rowEnd(k) - run.rowStart(k)));
    let at = putBytes(HEAD, dst, out.end);
    at = this.value(run, b, id, dst, at);
    at = putBytes(PROPERTIES, dst, at);
    let written = 0;
    for (let p = 0; p < this.slots.length; p++) {
      const c = fields.cell(this.slots[p]);
      if (c < 0) { continue; }
      const kind = run.kind(c) & KIND;
      if (kind === RawKind.NULL) { continue; } // left out: HubSpot would clear the property
      if (kind === RawKind.OTHER) { return false; }
      if (written++ > 0) { dst[at++] = COMMA; }
      at = putBytes(this.keys[p], dst, at);
      at = this.value(run, b, c, dst, at);
    }
    at = putBytes(TAIL, dst, at);
    out.commit(rowNumber, at);
    return true;
  }

  /** A value as a JSON string: a string's bytes, a number's or a boolean's in quotes (String() of it). */
  private value(run: RawRun, b: Buffer, c: number, dst: Buffer, at: number): number {
    const quoted = (run.kind(c) & KIND) !== RawKind.STRING;
    if (quoted) { dst[at++] = QUOTE; }
    at = copyRange(b, run.valueStart(c), run.valueEnd(c), dst, at);
    if (quoted) { dst[at++] = QUOTE; }
    return at;
  }
}

/**
 * Whether the id cell's bytes are the id as idValue makes it: a number or boolean, or a string
 * that is not empty and that trim() leaves as it is (no escape in it, no space or non-ASCII
 * character at either end); null, a list or any other string goes the parsed way.
 */
function plainId(run: RawRun, b: Buffer, c: number): boolean {
  const kind = run.kind(c) & KIND;
  if (kind === RawKind.NUMBER || kind === RawKind.TRUE || kind === RawKind.FALSE) { return true; }
  if (kind !== RawKind.STRING) { return false; }
  const from = run.valueStart(c) + 1, to = run.valueEnd(c) - 1;
  if (to <= from || b[from] <= SPACE || b[from] >= ASCII_END || b[to - 1] <= SPACE || b[to - 1] >= ASCII_END) {
    return false;
  }
  for (let i = from; i < to; i++) { if (b[i] === BACKSLASH) { return false; } }
  return true;
}
