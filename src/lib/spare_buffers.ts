// Buffers given back once nothing reads or writes them, kept to be written again instead of
// allocating new ones: a new Buffer per piece, body or batch is a fresh ArrayBuffer that V8 and
// malloc then have to collect (bench/RESULTS.md, issues 29 and 30). At most `most` are kept, so
// the list never holds more than its owner had in use at once; past that a buffer given back is
// left to the garbage collector. Each buffer is its own memory (allocUnsafeSlow), not Node's
// shared pool.

export class SpareBuffers {
  private readonly kept: Buffer[] = [];

  /**
   * @param most buffers kept at most
   * @param sizeFor how large a new buffer is for `bytes` wanted (the same by default; more, where
   *   sizes vary, so that it fits the next ones too)
   */
  constructor(private readonly most: number, private readonly sizeFor: (bytes: number) => number = (bytes) => bytes) {}

  /** The last buffer given back when it has room for `bytes`, else a new one (one too small is dropped). */
  take(bytes: number): Buffer {
    const kept = this.kept.pop();
    if (kept && kept.length >= bytes) { return kept; }
    return Buffer.allocUnsafeSlow(this.sizeFor(bytes));
  }

  /** Keeps `buffer` for a later `take`, unless `most` are kept or it is kept already; it is written over. */
  giveBack(buffer: Buffer): void {
    if (this.kept.length < this.most && !this.kept.includes(buffer)) { this.kept.push(buffer); }
  }
}
