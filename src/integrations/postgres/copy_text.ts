// Rows as COPY's text format, written straight into Buffers (RowTextWriter): one line a row,
// fields split by a tab, NULL as \N, booleans as t and f, and backslash, newline, return and tab
// escaped, so the line PostgreSQL names in an error is the row. A row may go on in the next
// piece, as COPY's data messages need not follow the rows. Pieces are not given back: a socket
// may still hold one after its write's callback.
import { PieceOut, RowTextEncoder, RowTextWriter } from "../../families/warehouse/row_text_writer";

/** Bytes per piece: each is one CopyData message. */
export const COPY_PIECE_BYTES = 64 * 1024;

const TAB = 0x09;
const NEWLINE = 0x0a;
const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** COPY's text format: a tab between fields, the escapes only where the text needs them. */
const COPY_TEXT: RowTextEncoder = {
  before(out: PieceOut, column: number): void {
    if (column > 0) { out.byte(TAB); }
  },
  text(out: PieceOut, value: string): void {
    out.text(SPECIAL.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]) : value);
  },
  end(out: PieceOut): void {
    out.byte(NEWLINE);
  },
  nullValue: Buffer.from("\\N"),
  trueValue: Buffer.from("t"),
  falseValue: Buffer.from("f"),
};

export class CopyTextWriter extends RowTextWriter {
  constructor(pieceBytes = COPY_PIECE_BYTES) {
    super(COPY_TEXT, pieceBytes);
  }
}
