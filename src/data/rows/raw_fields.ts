// What every writer of records from rows' bytes (a RowMapper's writeRaw, row_mapping.ts) needs:
// which of a row's cells holds each field it reads, and copying value bytes into its output.
// Segment's, HubSpot's and mParticle's writers (src/integrations/*/…_raw_writer.ts) use it.
import { ESCAPED_KEY, RawRun } from "../json/raw_run";

/** A cell's RawKind, without the ESCAPED_KEY bit. */
export const KIND = 7;

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
