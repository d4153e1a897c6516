// The rows of a buffer as byte ranges, as the raw scan (raw_rows.ts) leaves them: for each row its
// cells' key and value ranges and kinds, in typed arrays reused from one run to the next.

/** What a cell's value is, as far as copying its bytes goes. */
export const enum RawKind {
  /** Not copyable: an object or list, a pivot, a cell without `value`, an escape JSON.stringify writes otherwise. */
  OTHER = 0,
  /** A string whose bytes are what JSON.stringify writes (quotes included). */
  STRING = 1,
  /** A number written as JSON.stringify writes it. */
  NUMBER = 2,
  TRUE = 3,
  FALSE = 4,
  NULL = 5,
}

/** A cell's fields in RawRun.cells: key start and end (inside the quotes), value start and end, kind. */
const CELL = 5;
/** A key whose bytes are not its name (an escape in it): the row goes the parsed way. */
export const ESCAPED_KEY = 8;

/** The most rows and cells a run held (at most 4096 and 65536): a new run has room for them. */
let rowsHint = 64;
let cellsHint = 512;
/**
 * The arrays of the runs released last, two at most: while a chunk's run is being read, the walker
 * tries a run at the chunk's last row, which goes on past its end and is released at once. With
 * one spare, that try made new arrays for every other chunk or so (about 70 KB each, zeroed: some
 * 150 MB a million rows on the row thread).
 */
const spares: Array<{ rows: Int32Array; cells: Int32Array }> = [];
const SPARES_KEPT = 2;

/** Rows lying whole in one buffer, read as byte ranges. */
export class RawRun {
  count = 0;
  /** Per row: its start, its end, its first cell; per cell (CELL ints): see CELL. */
  rows: Int32Array;
  cells: Int32Array;
  private cellCount = 0;
  private released = false;

  /** Its arrays: those of a run released (release()), else room for as many as the largest run had. */
  constructor(readonly bytes: Buffer) {
    const reused = spares.pop();
    this.rows = reused?.rows ?? new Int32Array(3 * rowsHint);
    this.cells = reused?.cells ?? new Int32Array(CELL * cellsHint);
  }

  /** A run that was kept: the next runs start with room for as many rows and cells. */
  noteSize(): void {
    rowsHint = Math.min(Math.max(rowsHint, this.count), 4096);
    cellsHint = Math.min(Math.max(cellsHint, this.cellCount), 65536);
  }

  /**
   * Says the run will not be read again: its arrays serve the next run (a new pair for each chunk
   * of rows was a third of the scan's cost, with the collections it caused).
   */
  release(): void {
    // Once: the same arrays twice among the spares would be two runs' at once.
    if (this.released) { return; }
    this.released = true;
    if (spares.length < SPARES_KEPT) { spares.push({ rows: this.rows, cells: this.cells }); }
    this.count = 0;
    this.cellCount = 0;
  }

  rowStart(k: number): number { return this.rows[3 * k]; }
  rowEnd(k: number): number { return this.rows[3 * k + 1]; }
  /** Cells of row k: indexes [firstCell(k), firstCell(k + 1)). */
  firstCell(k: number): number { return k < this.count ? this.rows[3 * k + 2] : this.cellCount; }
  keyStart(c: number): number { return this.cells[CELL * c]; }
  keyEnd(c: number): number { return this.cells[CELL * c + 1]; }
  valueStart(c: number): number { return this.cells[CELL * c + 2]; }
  valueEnd(c: number): number { return this.cells[CELL * c + 3]; }
  /** RawKind, plus ESCAPED_KEY when the key has an escape. */
  kind(c: number): number { return this.cells[CELL * c + 4]; }

  /** Row k parsed, as the walker's other ways give it. */
  row(k: number): unknown {
    return JSON.parse(this.bytes.toString("utf8", this.rowStart(k), this.rowEnd(k)));
  }

  addCell(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, kind: number): void {
    let at = CELL * this.cellCount;
    if (at + CELL > this.cells.length) { this.cells = grown(this.cells); }
    const cells = this.cells;
    cells[at++] = keyStart; cells[at++] = keyEnd; cells[at++] = valueStart; cells[at++] = valueEnd; cells[at] = kind;
    this.cellCount++;
  }

  /** Keeps the row begun at `firstCell` cells (its cells added since), from `start` to `end`. */
  addRow(start: number, end: number, firstCell: number): void {
    if (3 * this.count + 3 > this.rows.length) { this.rows = grown(this.rows); }
    this.rows[3 * this.count] = start;
    this.rows[3 * this.count + 1] = end;
    this.rows[3 * this.count + 2] = firstCell;
    this.count++;
  }

  get cellsSoFar(): number { return this.cellCount; }
  /** Drops cells added after `count` (a row that did not end in the buffer). */
  dropCells(count: number): void { this.cellCount = count; }
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
