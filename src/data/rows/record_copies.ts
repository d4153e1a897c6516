// A row destination's records, copied out of a row worker's outputs as they arrive into pieces of
// memory the pipeline writes again, so that each output goes back to the worker at once (row_feed.ts,
// copiesRecords), instead of when the last request holding one of its records is over. A batch's
// request body then takes its records over (RecordBodies moves them there), and their pieces are
// written again before the request is sent. Held outputs made the worker allocate for nearly every
// chunk (Google Ads' batches of 10,000 people held about 90 outputs of 192 KiB), and in about 1 run
// of 4 a million people to Google Ads peaked 14-20 MB higher: V8 finished marking the worker's heap
// late while its young generation grew to 18 MB, pages it then kept pooled to the end (bench/RESULTS.md,
// issue 30 part 2). Now the worker writes the same few outputs again, and the records take what their
// bytes take.
import { CountedHold, SerializedRecord } from "./serialized_record";

/** A piece's size: a few hundred records of a few hundred bytes; a larger record gets its own. */
export const PIECE_BYTES = 256 * 1024;

/** Memory for records: back on the list once every record written into it moved on or was released. */
class Piece extends CountedHold {
  used = 0;

  constructor(readonly bytes: Buffer, back: (piece: Piece) => void) {
    super(() => back(this));
  }
}

export class RecordCopies {
  private readonly spare: Piece[] = [];
  private writing?: Piece;

  /**
   * Moves the record's bytes into this memory (SerializedRecord.moveTo); release it
   * (SerializedRecord.release) once it is read no more. Its old memory is not read after.
   */
  copy<R>(record: SerializedRecord<R>): SerializedRecord<R> {
    const size = record.length;
    if (size > PIECE_BYTES) {
      // Memory of its own, garbage with the record.
      record.moveTo(Buffer.allocUnsafeSlow(size), 0, new CountedHold(() => undefined));
      return record;
    }
    let piece = this.writing;
    if (!piece || piece.used + size > PIECE_BYTES) {
      piece?.release();
      piece = this.spare.pop() ?? new Piece(Buffer.allocUnsafeSlow(PIECE_BYTES), (p) => this.reuse(p));
      this.writing = piece;
    }
    record.moveTo(piece.bytes, piece.used, piece.hold());
    piece.used += size;
    return record;
  }

  /** A piece nobody reads again: written from its start next time. */
  private reuse(piece: Piece): void {
    piece.used = 0;
    piece.hold();
    this.spare.push(piece);
  }
}
