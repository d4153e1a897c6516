// A record a row worker mapped and serialised (row_workers.ts): its JSON bytes in the worker's
// output, copied into the vendor's request as they are. The record itself is parsed again only
// when the main thread asks for it (a vendor's answer naming the record, a batch split in two),
// which is rare; sending costs a copy of its bytes.
import type { NumberedRecord } from "./row_pipeline";

export class SerializedRecord<R> implements NumberedRecord<R> {
  private parsed?: R;

  constructor(readonly row: number, private readonly bytes: Buffer, private readonly start: number,
    private readonly end: number) {}

  get length(): number { return this.end - this.start; }

  get record(): R {
    this.parsed ??= JSON.parse(this.bytes.toString("utf8", this.start, this.end)) as R;
    return this.parsed;
  }

  /** Writes the JSON into `target` at `at`; answers its length. */
  copyTo(target: Buffer, at: number): number {
    return this.bytes.copy(target, at, this.start, this.end);
  }
}

/**
 * `head`, the records' JSON joined by commas, `tail`: the bytes JSON.stringify gives for the
 * records in an array wrapped so (`{"inputs":[` ... `]}`), whichever thread serialised them.
 * With `around`, each record is wrapped too (`{"create":` ... `}`).
 */
export function recordsJson<R>(
  batch: ReadonlyArray<NumberedRecord<R>>, head: string, tail: string, around: [string, string] = ["", ""],
): string | Buffer {
  const [before, after] = around;
  if (!batch.some((b) => b instanceof SerializedRecord)) {
    return `${head}${batch.map((b) => `${before}${JSON.stringify(b.record)}${after}`).join(",")}${tail}`;
  }
  const parts = batch.map((b) => b instanceof SerializedRecord ? b : Buffer.from(JSON.stringify(b.record)));
  const wrap = Buffer.byteLength(before) + Buffer.byteLength(after);
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, parts.length - 1) + wrap * parts.length;
  for (const part of parts) { size += part.length; }
  const body = Buffer.allocUnsafe(size);
  let at = body.write(head, 0, "utf8");
  parts.forEach((part, i) => {
    if (i > 0) { body[at++] = 0x2c; }
    if (before) { at += body.write(before, at, "utf8"); }
    at += part instanceof SerializedRecord ? part.copyTo(body, at) : part.copy(body, at);
    if (after) { at += body.write(after, at, "utf8"); }
  });
  body.write(tail, at, "utf8");
  return body;
}
