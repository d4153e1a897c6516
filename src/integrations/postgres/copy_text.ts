// Rows as COPY's text format, written straight into Buffers: one line a row, fields split by a
// tab, NULL as \N, booleans as t and f, and backslash, newline, return and tab escaped, so the
// line PostgreSQL names in an error is the row. The lines are encoded into fixed-size pieces
// as they are made (no string a batch, no copy of it as a Buffer), and a piece is handed on
// when full: a row, or a value, may go on in the next piece, as COPY's data messages need not
// follow the rows (issue 29: a million rows' peak RSS, bench/RESULTS.md).
import type { WarehouseValue } from "../../families/warehouse/warehouse_values";

/** Bytes per piece: each is one CopyData message, and a new Buffer (a piece sent is not reused). */
export const COPY_PIECE_BYTES = 64 * 1024;

const TAB = 0x09;
const NEWLINE = 0x0a;
const NULL_FIELD = Buffer.from("\\N");
const TRUE_FIELD = Buffer.from("t");
const FALSE_FIELD = Buffer.from("f");
const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A value as COPY's text format has it (the escapes only where the text needs them). */
function escaped(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]) : text;
}

export class CopyTextWriter {
  private piece: Buffer;
  private length = 0;
  /** Pieces filled and not yet taken. */
  private full: Buffer[] = [];

  constructor(private readonly pieceBytes = COPY_PIECE_BYTES) {
    this.piece = Buffer.allocUnsafeSlow(pieceBytes);
  }

  /** Writes the rows; answers the pieces they filled, in order (each to be sent once, then dropped). */
  rows(rows: readonly (readonly WarehouseValue[])[]): Buffer[] {
    for (const row of rows) {
      for (let i = 0; i < row.length; i++) {
        if (i > 0) { this.byte(TAB); }
        const value = row[i];
        if (value === null) { this.bytes(NULL_FIELD); } else if (value === true) { this.bytes(TRUE_FIELD); } else if (
          value === false) { this.bytes(FALSE_FIELD); } else { this.text(escaped(value)); }
      }
      this.byte(NEWLINE);
    }
    const full = this.full;
    this.full = [];
    return full;
  }

  /** What is left after the last row (empty when nothing is). */
  end(): Buffer {
    const rest = this.piece.subarray(0, this.length);
    this.length = 0;
    return rest;
  }

  private next(): void {
    this.full.push(this.piece);
    this.piece = Buffer.allocUnsafeSlow(this.pieceBytes);
    this.length = 0;
  }

  private byte(b: number): void {
    if (this.length === this.piece.length) { this.next(); }
    this.piece[this.length++] = b;
  }

  private bytes(b: Buffer): void {
    let from = 0;
    while (from < b.length) {
      if (this.length === this.piece.length) { this.next(); }
      const n = b.copy(this.piece, this.length, from);
      this.length += n;
      from += n;
    }
  }

  private text(text: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8: when that fits, encode in place.
    if (text.length * 3 <= this.piece.length - this.length) {
      this.length += this.piece.write(text, this.length, "utf8");
    } else {
      this.bytes(Buffer.from(text, "utf8"));
    }
  }
}
