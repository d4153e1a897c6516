// Rows queued as their JSON bytes (json_detail's `data` in elementBytes mode), parsed as they
// are taken. Rows that lie side by side in one chunk (nearly all of them) are parsed a group at
// a time: the bytes from the group's first row to its last are `row,row,...`, so one string and
// one JSON.parse of `[...]` serve the group, where a call each cost about a fifth more CPU.
// A group is small, so what waits parsed is a few dozen rows, never a chunk's worth.
import { isSpace, parseJsonBytes } from "./json_value_end";

/** Rows that came parsed already, all at once (row_runs.ts): taken one by one like the others. */
export class ParsedRun {
  constructor(readonly rows: readonly unknown[]) {}
}

/** Rows parsed at once at most. */
const GROUP_ROWS = 32;

const COMMA = 0x2c;

/** True when `bytes[from, to)` is one comma and JSON whitespace, what lies between two elements. */
function separator(bytes: Uint8Array, from: number, to: number): boolean {
  let commas = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i];
    if (c === COMMA) { commas++; } else if (!isSpace(c)) { return false; }
  }
  return commas === 1;
}

/**
 * How many parts from `start` are rows side by side in one buffer, only a separator between
 * them (at most GROUP_ROWS). Small buffers share Node's pool, so sharing a buffer is not enough.
 */
function adjacentRows(parts: readonly unknown[], start: number): number {
  const first = parts[start] as Buffer;
  const bytes = new Uint8Array(first.buffer);
  let end = first.byteOffset + first.length;
  let n = 1;
  while (n < GROUP_ROWS && start + n < parts.length) {
    const next = parts[start + n];
    if (!Buffer.isBuffer(next) || next.buffer !== first.buffer || next.byteOffset < end ||
        !separator(bytes, end, next.byteOffset)) { break; }
    end = next.byteOffset + next.length;
    n++;
  }
  return n;
}

/**
 * Yields each part, a Buffer parsed as a row's value (a ParsedRun: each of its rows); `onRow` is told
 * of each row. A group that does not parse is parsed again row by row, so the error comes at the
 * broken row.
 */
export function* parsedRows<T>(
  parts: ReadonlyArray<T | Buffer | ParsedRun>, onRow: (row: unknown) => T,
): Generator<T> {
  for (let i = 0; i < parts.length;) {
    const part = parts[i];
    if (part instanceof ParsedRun) {
      for (const row of part.rows) { yield onRow(row); }
      i++;
      continue;
    }
    if (!Buffer.isBuffer(part)) {
      yield part;
      i++;
      continue;
    }
    const n = adjacentRows(parts, i);
    let rows: unknown[] | undefined;
    if (n > 1) {
      const last = parts[i + n - 1] as Buffer;
      const span = Buffer.from(part.buffer, part.byteOffset, last.byteOffset + last.length - part.byteOffset);
      try {
        rows = JSON.parse(`[${span.toString("utf8")}]`) as unknown[];
      } catch {
        rows = undefined;
      }
      if (rows && rows.length !== n) { rows = undefined; }
    }
    for (let k = 0; k < n; k++) {
      yield onRow(rows ? rows[k] : parseJsonBytes(parts[i + k] as Buffer, ["data"]));
    }
    i += n;
  }
}
