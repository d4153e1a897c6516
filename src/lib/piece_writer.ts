// Bytes written straight into fixed-size Buffers ("pieces") as they are made, for a format
// written value by value (COPY text, newline-delimited JSON): no string a line or a batch, no
// copy of it as a Buffer. A piece is handed on when full, so a line, or a value, may go on in
// the next one; the caller sends the full pieces, then the rest (`end`). A piece given back with
// `reuse` (once nothing holds it: copied out, or written) is filled again instead of a new one.
// (Issue 29: a million rows' peak RSS, bench/RESULTS.md.)
import { SpareBuffers } from "./spare_buffers";

/** Pieces given back and kept for the next ones, at most. */
const SPARES = 2;

export class PieceWriter {
  private piece: Buffer;
  private length = 0;
  /** Pieces filled and not yet taken. */
  private full: Buffer[] = [];
  /** Pieces given back, to fill again. */
  private readonly spares = new SpareBuffers(SPARES);

  constructor(private readonly pieceBytes: number) {
    this.piece = Buffer.allocUnsafeSlow(pieceBytes);
  }

  /** The pieces filled since the last call, in order. */
  take(): Buffer[] {
    const full = this.full;
    this.full = [];
    return full;
  }

  /** What is written after the last full piece (empty when nothing is): the last bytes, nothing is written after. */
  end(): Buffer {
    return this.piece.subarray(0, this.length);
  }

  /**
   * Gives back a full piece that `take` answered, to be filled again. Only once nothing holds it
   * any more (the bytes copied out, or written): they are written over.
   */
  reuse(piece: Buffer): void {
    if (piece.length === this.pieceBytes && piece.byteOffset === 0 && piece !== this.piece) {
      this.spares.giveBack(piece);
    }
  }

  /** Writes one byte. */
  byte(b: number): void {
    if (this.length === this.piece.length) { this.next(); }
    this.piece[this.length++] = b;
  }

  /** Writes `b`'s bytes. */
  bytes(b: Buffer): void {
    let from = 0;
    while (from < b.length) {
      if (this.length === this.piece.length) { this.next(); }
      const n = b.copy(this.piece, this.length, from);
      this.length += n;
      from += n;
    }
  }

  /** `text` as UTF-8. */
  text(text: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8: when that fits, encode in place.
    if (text.length * 3 <= this.piece.length - this.length) {
      this.length += this.piece.write(text, this.length, "utf8");
    } else {
      this.bytes(Buffer.from(text, "utf8"));
    }
  }

  private next(): void {
    this.full.push(this.piece);
    this.piece = this.spares.take(this.pieceBytes);
    this.length = 0;
  }
}
