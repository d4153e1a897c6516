// What every writer of records from rows' bytes (a RowMapper's RawRecordWriter, row_mapping.ts)
// needs: which of a row's cells holds each field it reads, and copying value bytes into its output.
// Each integration's …_raw_writer.ts (Segment, HubSpot, mParticle, Braze, Marketo, Salesforce) uses it.
import { ESCAPED_KEY, RawKind, RawRun } from "../json/raw_run";

/** A cell's RawKind, without the ESCAPED_KEY bit. */
export const KIND = 7;

const QUOTE = 0x22, COMMA = 0x2c, BACKSLASH = 0x5c, SPACE = 0x20, ASCII_END = 0x80;

/** Ranges this long and longer are copied with Buffer.copy; shorter ones byte by byte (its call costs more). */
const SHORT = 24;

/** Copies src[from, to) to dst at `at`; answers the end. */
export function copyRange(src: Buffer, from: number, to: number, dst: Buffer, at: number): number {
  if (to - from >= SHORT) { return at + src.copy(dst, at, from, to); }
  for (let k = from; k < to; k++) { dst[at++] = src[k]; }
  return at;
}

/** A part the same in every record: set() of a whole Buffer costs as much as copying 8 bytes one by one. */
export function putBytes(part: Buffer, dst: Buffer, at: number): number {
  if (part.length > 8) {
    dst.set(part, at);
    return at + part.length;
  }
  for (const byte of part) { dst[at++] = byte; }
  return at;
}

/** Writes `n` (a whole number, 0 or more) in decimal at `at`; answers the end. */
export function writeDigits(n: number, dst: Buffer, at: number): number {
  let digits = 1;
  for (let p = 10; p <= n; p *= 10) { digits++; }
  for (let k = at + digits - 1; k >= at; k--) {
    dst[k] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + digits;
}

/** The fields a writer reads, and for the row being written, the cell holding each. */
export class RawFieldSlots {
  /** The fields read, by name: their slot. */
  private readonly index = new Map<string, number>();
  /** For each slot, the row's cell holding it (-1: none), for the row read last. */
  private slots = new Int32Array(0);
  /** By a cell's place in the row: the key last seen there and its slot (-1 when not read). */
  private readonly seenKeys: Buffer[] = [];
  private readonly seenSlots: number[] = [];

  /** The slot of field `name` (-1 for undefined), added the first time it is asked: ask them all before read(). */
  slotOf(name: string | undefined): number {
    if (name === undefined) { return -1; }
    let slot = this.index.get(name);
    if (slot === undefined) {
      slot = this.index.size;
      this.index.set(name, slot);
      this.slots = new Int32Array(this.index.size);
    }
    return slot;
  }

  /** The cell of `slot` in the row read last, -1 when it has none (or slot is -1). */
  cell(slot: number): number {
    return slot < 0 ? -1 : this.slots[slot];
  }

  /**
   * Finds the cells of row `k` of `run`; false when a key has an escape (its bytes are not its
   * name: the row goes the parsed way). A key twice: the last, as JSON.parse keeps it.
   */
  read(run: RawRun, k: number): boolean {
    const slots = this.slots;
    slots.fill(-1);
    const b = run.bytes;
    const first = run.firstCell(k), last = run.firstCell(k + 1);
    for (let c = first; c < last; c++) {
      if (run.kind(c) & ESCAPED_KEY) { return false; }
      const slot = this.slotAt(c - first, b, run.keyStart(c), run.keyEnd(c));
      if (slot >= 0) { slots[slot] = c; }
    }
    return true;
  }

  /** The slot of the key at `pos` in a row, from the key seen there last when the bytes are the same. */
  private slotAt(pos: number, b: Buffer, from: number, to: number): number {
    const seen = this.seenKeys[pos];
    if (seen !== undefined && seen.length === to - from) {
      let same = true;
      for (let k = 0; k < seen.length; k++) { if (seen[k] !== b[from + k]) { same = false; break; } }
      if (same) { return this.seenSlots[pos]; }
    }
    // No escape in it (ESCAPED_KEY): its bytes decode to its name, as JSON.parse reads it.
    const slot = this.index.get(b.toString("utf8", from, to)) ?? -1;
    this.seenKeys[pos] = Buffer.from(b.subarray(from, to));
    this.seenSlots[pos] = slot;
    return slot;
  }
}

/**
 * Whether an object map() builds from `fields`' cells under `keys` prints as a writer writes it:
 * JavaScript prints keys in the order first set, once each, so no key twice, none index-like (it
 * orders those first) and no "__proto__" (setting it sets the prototype); and no field is
 * "__proto__" (a row without that cell reads Object.prototype there, which cellValue makes a list).
 * When it answers false, every row is mapped.
 */
export function keysInOrder(fields: readonly string[], keys: readonly string[]): boolean {
  return new Set(keys).size === keys.length && !fields.includes("__proto__") &&
    !keys.some((key) => key === "__proto__" || /^\d+$/.test(key));
}

/** How many times the field read most often is among `fields`: its value's bytes may be written that often. */
export function mostReads(fields: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const field of fields) { counts.set(field, (counts.get(field) ?? 0) + 1); }
  return Math.max(1, ...counts.values());
}

/**
 * Whether cell `c`'s bytes are the id as idValue makes it: a number or boolean, or a string that is
 * not empty and that trim() leaves as it is (no escape in it, no space or non-ASCII character at
 * either end); null, a list or any other string goes the parsed way.
 */
export function plainId(run: RawRun, c: number): boolean {
  const kind = run.kind(c) & KIND;
  if (kind === RawKind.NUMBER || kind === RawKind.TRUE || kind === RawKind.FALSE) { return true; }
  if (kind !== RawKind.STRING) { return false; }
  const b = run.bytes;
  const from = run.valueStart(c) + 1, to = run.valueEnd(c) - 1;
  if (to <= from || b[from] <= SPACE || b[from] >= ASCII_END || b[to - 1] <= SPACE || b[to - 1] >= ASCII_END) {
    return false;
  }
  for (let i = from; i < to; i++) { if (b[i] === BACKSLASH) { return false; } }
  return true;
}

/** Cell `c`'s value as a JSON string (String() of it): a string's bytes, a number's or boolean's in quotes. */
export function writeAsString(run: RawRun, c: number, dst: Buffer, at: number): number {
  const quoted = (run.kind(c) & KIND) !== RawKind.STRING;
  if (quoted) { dst[at++] = QUOTE; }
  at = copyRange(run.bytes, run.valueStart(c), run.valueEnd(c), dst, at);
  if (quoted) { dst[at++] = QUOTE; }
  return at;
}

/** Whether map() leaves cell `c`'s value out: null, or "" when it drops empty values. */
export function leftOut(run: RawRun, c: number, dropEmpty: boolean): boolean {
  const kind = run.kind(c) & KIND;
  return kind === RawKind.NULL || (dropEmpty && kind === RawKind.STRING && run.valueEnd(c) - run.valueStart(c) === 2);
}

/** How RawPairs writes values: "" left out too (as null is); numbers and booleans as strings (String()). */
export interface PairsWay { dropEmpty?: boolean; asStrings?: boolean }

/**
 * Fields whose values go under keys of one object (`"key":value`, as JSON.stringify writes them),
 * as they are or as strings: null left out, and "" too when map() drops it.
 */
export class RawPairs {
  private readonly slots: number[];
  private readonly keys: Buffer[];
  /** The keys' bytes, a comma and two quotes each: what write() adds to the values' bytes at most. */
  readonly fixedBytes: number;

  constructor(private readonly fields: RawFieldSlots, pairs: ReadonlyArray<readonly [field: string, key: string]>,
              private readonly way: PairsWay = {}) {
    this.slots = pairs.map(([field]) => fields.slotOf(field));
    this.keys = pairs.map(([, key]) => Buffer.from(`${JSON.stringify(key)}:`));
    this.fixedBytes = this.keys.reduce((n, key) => n + key.length + 3, 0);
  }

  /**
   * The present values of the row the fields read last, at `at`, a comma between them (and before
   * the first when `comma`); the end, or -1 for a value it cannot copy (the row goes the parsed way).
   */
  write(run: RawRun, dst: Buffer, at: number, comma: boolean): number {
    const { dropEmpty = false, asStrings = false } = this.way;
    for (let p = 0; p < this.slots.length; p++) {
      const c = this.fields.cell(this.slots[p]);
      if (c < 0) { continue; }
      if (leftOut(run, c, dropEmpty)) { continue; }
      if ((run.kind(c) & KIND) === RawKind.OTHER) { return -1; }
      if (comma) { dst[at++] = COMMA; }
      comma = true;
      at = putBytes(this.keys[p], dst, at);
      at = asStrings ? writeAsString(run, c, dst, at)
        : copyRange(run.bytes, run.valueStart(c), run.valueEnd(c), dst, at);
    }
    return at;
  }
}
