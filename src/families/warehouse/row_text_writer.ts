// A warehouse's rows as text written straight into pieces (PieceWriter), value by value, the
// same loop for every text format of the family: each value opened (a separator, a key), written
// (null and booleans as fixed bytes, text as the format escapes it), then the row closed. The
// format is an encoder the warehouse supplies (PostgreSQL's COPY text, BigQuery's
// newline-delimited JSON); the writer makes no string a line or a batch.
import { PieceWriter } from "../../lib/piece_writer";
import type { WarehouseValue } from "./warehouse_values";

/** Where an encoder writes: the writer's own piece-filling calls. */
export type PieceOut = Pick<PieceWriter, "byte" | "bytes" | "text">;

/** One text format: how a row's values are opened, written and the row closed. */
export interface RowTextEncoder {
  /** Writes what comes before value `column` of a row (a separator, a key; the row's start with the first). */
  before(out: PieceOut, column: number): void;
  /** Writes a text value of `column` as the format has it (escaped where it needs). */
  text(out: PieceOut, value: string, column: number): void;
  /** Writes what ends a row. */
  end(out: PieceOut): void;
  /** The bytes of null, true and false. */
  readonly nullValue: Buffer;
  readonly trueValue: Buffer;
  readonly falseValue: Buffer;
}

export class RowTextWriter extends PieceWriter {
  constructor(private readonly encoder: RowTextEncoder, pieceBytes: number) {
    super(pieceBytes);
  }

  /** Writes the rows; answers the pieces they filled, in order. */
  rows(rows: readonly (readonly WarehouseValue[])[]): Buffer[] {
    const encoder = this.encoder;
    for (const row of rows) {
      for (let i = 0; i < row.length; i++) {
        encoder.before(this, i);
        const value = row[i];
        if (value === null) {
          this.bytes(encoder.nullValue);
        } else if (value === true) {
          this.bytes(encoder.trueValue);
        } else if (value === false) {
          this.bytes(encoder.falseValue);
        } else {
          encoder.text(this, value, i);
        }
      }
      encoder.end(this);
    }
    return this.take();
  }
}
