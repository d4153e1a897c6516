// The official hub's data preparation for SageMaker, done on the stream: the header line is
// dropped (SageMaker's CSV input has none) and, for inference, the first 0 to 2 columns (a key,
// the target) of every row. Unlike the official hub's line splitting, quoted fields holding
// commas or line breaks stay whole, and a last row without a line break is kept.
import { Transform, TransformCallback } from "stream";

const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/** Drops the CSV's header record and the first `columns` fields of every other record. */
export class StripCsv extends Transform {
  private inHeader = true;
  private inQuotes = false;
  /** Index of the field being read in the current record. */
  private field = 0;
  /** Fields of the header record, once it has been read (0 before). */
  headerFields = 0;

  constructor(private readonly columns: number) { super(); }

  _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // The common case once the header is gone and no column is dropped: the bytes as they are.
    if (!this.inHeader && this.columns === 0) { return done(null, chunk); }
    let keepFrom = -1;
    const kept: Buffer[] = [];
    const flush = (end: number) => {
      if (keepFrom >= 0 && end > keepFrom) { kept.push(chunk.subarray(keepFrom, end)); }
      keepFrom = -1;
    };
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      const keeping = !this.inHeader && this.field >= this.columns;
      if (byte === QUOTE) {
        this.inQuotes = !this.inQuotes;
      } else if (!this.inQuotes && byte === NEWLINE) {
        const wasHeader = this.inHeader;
        this.inHeader = false;
        if (wasHeader) { this.headerFields = this.field + 1; }
        this.field = 0;
        if (wasHeader) { continue; }
        if (keepFrom < 0) { keepFrom = i; }
        // Past the header with no column to drop: the rest of the chunk as it is.
        if (this.columns === 0) { flush(chunk.length); break; }
        continue;
      } else if (!this.inQuotes && byte === COMMA && this.inHeader) {
        this.field++;
      } else if (!this.inQuotes && byte === COMMA && !this.inHeader && this.field < this.columns) {
        // The comma after a dropped field goes with it.
        this.field++;
        flush(i);
        continue;
      }
      if (keeping) {
        if (keepFrom < 0) { keepFrom = i; }
      } else {
        flush(i);
      }
    }
    flush(chunk.length);
    done(null, kept.length === 1 ? kept[0] : Buffer.concat(kept));
  }
}
