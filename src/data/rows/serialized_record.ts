// A record a row worker mapped and serialised (row_workers.ts): its JSON bytes in the worker's
// output, copied into the vendor's request as they are. The record itself is parsed again only
// when the main thread asks for it (a vendor's answer naming the record, a batch split in two),
// which is rare; sending costs a copy of its bytes.
import type { NumberedRecord } from "./row_pipeline";

/** Whoever lent a record's memory: told once per record when the record is no longer read. */
export interface RecordHold {
  release(): void;
}

/** Memory lent to several: `back` is called once every hold taken (one at first) was released. */
export class CountedHold implements RecordHold {
  private holds = 1;

  constructor(private readonly back: () => void) {}

  /** One more hold (a record written into the memory); answers this. */
  hold(): this {
    this.holds++;
    return this;
  }

  release(): void {
    if (--this.holds === 0) { this.back(); }
  }
}

export class SerializedRecord<R> implements NumberedRecord<R> {
  private parsed?: R;

  constructor(readonly row: number, private bytes: Buffer, private start: number, private end: number,
    private hold?: RecordHold) {}

  /**
   * Says the record's bytes will not be read again (its batch's request is over): their memory may
   * then be written again (row_feed.ts hands a worker's output back once all its records said so).
   * Once only; the record must not be copied after it.
   */
  release(): void {
    const hold = this.hold;
    this.hold = undefined;
    hold?.release();
  }

  get length(): number { return this.end - this.start; }

  get record(): R {
    this.parsed ??= JSON.parse(this.bytes.toString("utf8", this.start, this.end)) as R;
    return this.parsed;
  }

  /**
   * Moves the record's JSON into `target` at `at`, whose memory `hold` lends from now on: its old
   * memory is not read again, and its old hold is released. Answers the JSON's length.
   */
  moveTo(target: Buffer, at: number, hold: RecordHold): number {
    const length = this.bytes.copy(target, at, this.start, this.end);
    const old = this.hold;
    this.bytes = target;
    this.start = at;
    this.end = at + length;
    this.hold = hold;
    old?.release();
    return length;
  }

  /** Writes the JSON into `target` at `at`, less `trim` bytes at either end; answers the length written. */
  copyTo(target: Buffer, at: number, trim = 0): number {
    return this.bytes.copy(target, at, this.start + trim, this.end - trim);
  }
}

/**
 * `head`, the records' JSON joined by commas, `tail`: the bytes JSON.stringify gives for the
 * records in an array wrapped so (`{"inputs":[` ... `]}`), whichever thread serialised them.
 * With `around`, each record is wrapped too (`{"create":` ... `}`). With `lend`, each serialised
 * record moves into the body (SerializedRecord.moveTo), its memory then lent by what `lend` answers.
 */
export function recordsJson<R>(
  batch: ReadonlyArray<NumberedRecord<R>>, head: string, tail: string, around: [string, string] = ["", ""],
  memory: (size: number) => Buffer = Buffer.allocUnsafe, lend?: () => RecordHold,
): string | Buffer {
  return joined(batch, head, tail, around, 0, memory, lend);
}

/**
 * `head`, each record's members (its JSON object without the braces) between `before` and `after`,
 * joined by commas, `tail`: the records spliced into objects of the caller's, as JSON.stringify
 * writes `{...extra, ...record}` when `before` is `{` and the extra members and a comma. For
 * records that are objects with at least one member; serialised ones are copied, not moved.
 */
export function membersJson<R>(
  batch: ReadonlyArray<NumberedRecord<R>>, head: string, tail: string, before: string, after: string,
  memory: (size: number) => Buffer = Buffer.allocUnsafe,
): string | Buffer {
  return joined(batch, head, tail, [before, after], 1, memory);
}

/** recordsJson and membersJson: each record's JSON less `trim` bytes at either end. */
function joined<R>(
  batch: ReadonlyArray<NumberedRecord<R>>, head: string, tail: string, around: [string, string], trim: number,
  memory: (size: number) => Buffer = Buffer.allocUnsafe, lend?: () => RecordHold,
): string | Buffer {
  const [before, after] = around;
  const json = (record: R) => {
    const text = JSON.stringify(record);
    return trim ? text.slice(trim, text.length - trim) : text;
  };
  if (!batch.some((b) => b instanceof SerializedRecord)) {
    return `${head}${batch.map((b) => `${before}${json(b.record)}${after}`).join(",")}${tail}`;
  }
  const parts = batch.map((b) => b instanceof SerializedRecord ? b : Buffer.from(json(b.record)));
  const wrap = Buffer.byteLength(before) + Buffer.byteLength(after);
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, parts.length - 1) + wrap * parts.length;
  for (const part of parts) { size += part instanceof SerializedRecord ? part.length - 2 * trim : part.length; }
  const body = memory(size).subarray(0, size);
  let at = body.write(head, 0, "utf8");
  parts.forEach((part, i) => {
    if (i > 0) { body[at++] = 0x2c; }
    if (before) { at += body.write(before, at, "utf8"); }
    if (part instanceof SerializedRecord) {
      at += lend && !trim ? part.moveTo(body, at, lend()) : part.copyTo(body, at, trim);
    } else {
      at += part.copy(body, at);
    }
    if (after) { at += body.write(after, at, "utf8"); }
  });
  body.write(tail, at, "utf8");
  return body;
}

/** Releases every serialised record of a batch whose request is over (SerializedRecord.release). */
export function releaseRecords<R>(batch: ReadonlyArray<NumberedRecord<R>>): void {
  for (const numbered of batch) {
    if (numbered instanceof SerializedRecord) { numbered.release(); }
  }
}
