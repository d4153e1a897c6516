// Rows as COPY's text format, written straight into Buffers (PieceWriter): one line a row,
// fields split by a tab, NULL as \N, booleans as t and f, and backslash, newline, return and tab
// escaped, so the line PostgreSQL names in an error is the row. A row may go on in the next
// piece, as COPY's data messages need not follow the rows. Pieces are not given back: a socket
// may still hold one after its write's callback.
import type { WarehouseValue } from "../../families/warehouse/warehouse_values";
import { PieceWriter } from "../../lib/piece_writer";

/** Bytes per piece: each is one CopyData message. */
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

export class CopyTextWriter extends PieceWriter {
  constructor(pieceBytes = COPY_PIECE_BYTES) {
    super(pieceBytes);
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
    return this.take();
  }
}
