// The rows of an array of objects that lie whole in one chunk, parsed with one JSON.parse,
// where walking them byte by byte to find each row's end cost more than parsing them. Rows of
// json_detail end with a cell's "}" and their own, so a run ends at the chunk's last "}},{";
// JSON.parse checks the guess: the text up to there parses as a list of values only when it
// ends exactly at a row's end (inside a string, or a row, it is cut short and fails). When it
// fails the walker reads the chunk row by row as before, and after a few failures stops trying.
// A run is at most a chunk, and at most MAX_RUN_BYTES: what waits parsed stays small.

/** The end of one row and the start of the next in json_detail's `data`. */
const RUN_END = Buffer.from("}},{");

/** Bytes parsed at once at most, so a delivery in huge chunks never holds a huge run's rows. */
const MAX_RUN_BYTES = 1024 * 1024;

/** Failed guesses after which a document is read row by row only. */
const MAX_FAILURES = 3;

/** Values of the array from `from` (the start of a row) to the chunk's last row end; undefined when none. */
export class RowRuns {
  private failures = 0;
  private readonly maxBytes: number;
  /** Where in the document the chunk a run was last tried in began: one try a chunk. */
  private tried = -1;

  /** `maxBytes`: what a run may span at most (never over MAX_RUN_BYTES), so no row in it is larger. */
  constructor(maxBytes = MAX_RUN_BYTES) {
    this.maxBytes = Math.min(maxBytes, MAX_RUN_BYTES);
  }

  /**
   * The rows and the index just past the last, or undefined to read on row by row. `chunkAt` is
   * where in the document `buf` begins (a reader may feed one Buffer object more than once).
   */
  take(buf: Buffer, from: number, chunkAt: number): { values: unknown[]; end: number } | undefined {
    if (this.tried === chunkAt || this.failures >= MAX_FAILURES) { return undefined; }
    this.tried = chunkAt;
    // The last place a run's end may start; lastIndexOf would read a negative one from the end.
    const last = Math.min(buf.length, from + this.maxBytes) - RUN_END.length;
    const at = last < from ? -1 : buf.lastIndexOf(RUN_END, last);
    if (at < from) { return undefined; }
    const end = at + 2;
    let values: unknown;
    try {
      values = JSON.parse(`[${buf.toString("utf8", from, end)}]`);
    } catch {
      values = undefined;
    }
    if (!Array.isArray(values)) {
      this.failures++;
      return undefined;
    }
    return { values, end };
  }
}
