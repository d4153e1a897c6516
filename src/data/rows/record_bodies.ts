// The request bodies of a row destination's batches (recordsJson's bytes, when a row worker
// serialised the records), written into memory used again once a request is over. A new body
// per request (25-40 KB, 10,000-13,000 of them a million rows to HubSpot, mParticle, Marketo or
// Braze) was a fresh ArrayBuffer for each on a thread that allocates little else: V8 collects its
// heap for them, and malloc's arena holds their churn (bench/RESULTS.md, issue 30 part 2). Segment's
// batch sender does the same for its own bodies (src/integrations/segment/batch_sender.ts).
import { SpareBuffers } from "../../lib/spare_buffers";
import type { NumberedRecord } from "./row_pipeline";
import { CountedHold, membersJson, RecordHold, recordsJson } from "./serialized_record";

/** Bodies kept for reuse at most: a destination's requests in flight, and a split batch's halves. */
const KEPT = 8;

export class RecordBodies {
  /** A body kept with room for the next batch, or a new one with some to spare (batches' sizes vary). */
  private readonly spare = new SpareBuffers(KEPT, (size) => Math.ceil(size * 1.25 / 4096) * 4096);

  /**
   * Calls `post` with the batch's body as recordsJson makes it (`head`, the records' JSON joined
   * by commas, `tail`; each record wrapped in `around`). A row worker's records move into the body
   * (the pipeline's copies of them are then written again at once) and are read there until they
   * are released; the body, in reused memory, is taken back once `post`'s promise settled and every
   * record in it was released. So `post` must be the whole request (every attempt of it), and keep
   * no reference to the body after. Answers what `post` answers.
   */
  post<T>(
    batch: ReadonlyArray<NumberedRecord<unknown>>, head: string, tail: string,
    post: (body: string | Buffer) => Promise<T>, around?: [string, string],
  ): Promise<T> {
    return this.written((memory, lend) => recordsJson(batch, head, tail, around, memory, lend), post);
  }

  /**
   * post() with the body as membersJson makes it: each record's members spliced between `before`
   * and `after`. The members are copied (the records keep their own memory); the same rules for `post`.
   */
  postMembers<T>(
    batch: ReadonlyArray<NumberedRecord<unknown>>, head: string, tail: string, [before, after]: [string, string],
    post: (body: string | Buffer) => Promise<T>,
  ): Promise<T> {
    return this.written((memory) => membersJson(batch, head, tail, before, after, memory), post);
  }

  /** The body `write` makes in memory kept for reuse, posted, then its memory taken back. */
  private async written<T>(
    write: (memory: (size: number) => Buffer, lend: () => RecordHold) => string | Buffer,
    post: (body: string | Buffer) => Promise<T>,
  ): Promise<T> {
    // Held by the request, and by each record moved into the body until it is released or moves on.
    let lent: CountedHold | undefined;
    const body = write((size) => {
      const bytes = this.spare.take(size);
      lent = new CountedHold(() => this.spare.giveBack(bytes));
      return bytes;
    }, () => lent!.hold());
    try {
      return await post(body);
    } finally {
      lent?.release();
    }
  }
}
