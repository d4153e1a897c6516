// A delivery's rows, mapped, handed to their consumer (the row pipeline, Segment's sender) one by
// one: read and mapped on this thread, or on a row worker (row_workers.ts) when the destination
// declares its mapping for one (a recipe), the pool has workers and this is no dry run. Either
// way the consumer gets the same records (in a worker's case serialised: SerializedRecord), the
// same row numbers and rejections, the same errors at the same rows.
import type { ActionRequest } from "../../hub/action_request";
import { BadRequestError, NotFoundError, PayloadTooLargeError, RetryableError, UserError } from "../../lib/errors";
import { abortReason, onAbort } from "../../lib/abort_scope";
import { spentBytes } from "../../lib/young_garbage";
import { hiddenFields } from "./detail_fields";
import { MappingRecipe, RowMapper, RowMapping } from "./row_mapping";
import { checkDetailDelivery, detailChunks, unreadableDetail } from "./detail_chunks";
import type { NumberedRecord } from "./row_pipeline";
import type { RowRejection } from "./row_tally";
import { CHUNKS_AHEAD, CrossedError, FromWorker, WorkerOutput } from "./row_worker_protocol";
import { rowWorkers, RowWorkerPool } from "./row_workers";
import { SerializedRecord } from "./serialized_record";

/** Where the rows go. */
export interface RowSink<R> {
  /** A mapped record; answers a promise only when it must be waited for (a batch handed over). */
  record(numbered: NumberedRecord<R>): Promise<void> | void;
  rejected(rejection: RowRejection): void;
  /** True once the consumer takes no more rows (a batch failed): reading stops there. */
  readonly stopped: boolean;
}

export interface RowFeed<R> {
  /** The vendor, as refusals of the delivery name it. */
  vendor: string;
  /** The mapping on this thread; with a worker it still reads the fields (the same refusals, first). */
  mapping: RowMapping<R>;
  /** The same mapping as a worker builds it; without one the rows are mapped here. */
  recipe?: MappingRecipe;
  /** json_label rows too (read here). */
  labelRows?: boolean;
  /** False when the consumer needs the records themselves (a sender that takes objects). */
  serialized?: boolean;
  /**
   * True when the sink copies a SerializedRecord's bytes before its record() call (or the promise
   * it answers) ends and keeps no reference to it: a worker's output then goes back to the worker
   * to be written again, instead of new memory for every chunk of rows (see BatchSender's spare).
   */
  copiesRecords?: boolean;
}

/** Reads, maps and hands over every row of the request's delivery. */
export async function feedRows<R>(request: ActionRequest, feed: RowFeed<R>, sink: RowSink<R>): Promise<void> {
  const pool = rowWorkers();
  if (pool && feed.recipe && feed.serialized !== false && !request.dryRun &&
      !checkDetailDelivery(request, feed.vendor, feed.labelRows)) {
    return feedFromWorker(request, pool, feed, feed.recipe, sink);
  }
  const hidden = hiddenFields(request);
  let mapper: RowMapper<R> | undefined;
  let rows = 0;
  reading: for await (const chunk of detailChunks(request, feed.vendor, feed.labelRows)) {
    for (const item of chunk) {
      if (item.kind === "fields") {
        mapper = feed.mapping.prepare(item.fields, hidden);
      } else if (item.kind === "ran_at") {
        feed.mapping.ranAt?.(item.ranAt);
      } else {
        mapper = mapper ?? feed.mapping.prepare({}, hidden);
        const row = ++rows;
        const mapped = mapper.map(item.row, row);
        if ("rejected" in mapped) {
          sink.rejected({ row, reason: mapped.rejected, example: mapped.example });
          continue;
        }
        const wait = sink.record({ row, record: mapped.record });
        if (wait) { await wait; }
        if (sink.stopped) { break reading; }
      }
    }
  }
  if (!mapper) { feed.mapping.prepare({}, hidden); }
}

const ERRORS: Record<string, new (message: string, validationErrors?: Record<string, string>) => Error> = {
  UserError, RetryableError, BadRequestError, NotFoundError, PayloadTooLargeError,
};

/** The worker's error on this thread: a hub error of the same kind and words, else an internal one. */
function rebuilt(crossed: CrossedError): Error {
  const kind = ERRORS[crossed.name];
  if (kind) { return new kind(crossed.message, crossed.validationErrors); }
  const err = new Error(crossed.message);
  err.name = crossed.name;
  return err;
}

/** A failure reading the delivery on this thread, to be told as the reader would. */
class ReadFailure {
  constructor(readonly error: unknown) {}
}

type Incoming = WorkerOutput | { type: "done" } | ReadFailure | Error;

async function feedFromWorker<R>(
  request: ActionRequest, pool: RowWorkerPool, feed: RowFeed<R>, recipe: MappingRecipe, sink: RowSink<R>,
): Promise<void> {
  const delivery = request.delivery!;
  const hidden = hiddenFields(request);
  const queue: Incoming[] = [];
  let wakeReader: (() => void) | undefined;
  let credit = CHUNKS_AHEAD;
  let wakePump: (() => void) | undefined;
  let finished = false;
  const arrive = (item: Incoming) => {
    queue.push(item);
    wakeReader?.();
    wakeReader = undefined;
  };
  const line = pool.open({
    message: (message: FromWorker) => {
      if (message.type === "more") {
        credit++;
        wakePump?.();
        wakePump = undefined;
      } else {
        arrive(message);
      }
    },
    lost: arrive,
  });
  const job = line.job;
  line.post({ type: "start", job, recipe, format: delivery.format, hidden: [...hidden] });
  let source: NodeJS.ReadableStream & { destroy(error?: Error): void } | undefined;
  const stopAbort = onAbort(request.signal, (reason) => { arrive(new ReadFailure(reason)); source?.destroy(reason); });

  // The delivery's bytes to the worker, CHUNKS_AHEAD chunks ahead of what it has taken.
  const pump = async () => {
    try {
      source = await delivery.stream();
      for await (const chunk of source as AsyncIterable<Buffer>) {
        while (credit <= 0 && !finished) { await new Promise<void>((resolve) => { wakePump = resolve; }); }
        if (finished) { return; }
        credit--;
        const { data, offset } = movable(chunk);
        line.post({ type: "chunk", job, data, offset, length: chunk.length }, [data]);
        // A chunk copied is garbage here now (one transferred left with its memory).
        if (data !== chunk.buffer) { spentBytes(chunk.length); }
      }
      line.post({ type: "end", job });
    } catch (err) {
      if (!finished) { arrive(new ReadFailure(err)); }
    }
  };
  const next = async (): Promise<Incoming> => {
    while (queue.length === 0) { await new Promise<void>((resolve) => { wakeReader = resolve; }); }
    return queue.shift()!;
  };

  let done = false;
  void pump();
  try {
    for (;;) {
      const item = await next();
      if (item instanceof ReadFailure) {
        throw unreadableDetail(request.signal?.aborted ? abortReason(request.signal) : item.error);
      }
      if (item instanceof Error) { throw item; }
      if (item.type === "done") {
        done = true;
        return;
      }
      if (item.noted) { delivery.noteRows?.(item.noted); }
      const going = await take(item, feed, hidden, sink);
      if (!going) { return; }
      if (item.error) { throw rebuilt(item.error); }
      if (feed.copiesRecords && item.bytes.byteLength > 0) {
        line.post({ type: "ack", job, spare: item.bytes }, [item.bytes]);
        continue;
      }
      // The output's buffer dies with the last batch that copies from it: without a scavenge now
      // and then, the dead buffers (a byte-copying path allocates little else) pile up to V8's
      // external-memory limit before a GC comes (src/lib/young_garbage.ts).
      spentBytes(item.bytes.byteLength);
      line.post({ type: "ack", job });
    }
  } finally {
    finished = true;
    wakePump?.();
    stopAbort();
    if (!done) {
      line.post({ type: "abort", job });
      source?.destroy();
    }
    line.close();
  }
}

/** Hands an output's records and events to the sink in order; false when the sink stopped. */
async function take<R>(
  output: WorkerOutput, feed: RowFeed<R>, hidden: Set<string>, sink: RowSink<R>,
): Promise<boolean> {
  const bytes = Buffer.from(output.bytes);
  const { events, rows, ends, count } = output;
  let event = 0;
  let start = 0;
  for (let i = 0; i <= count; i++) {
    for (; event < events.length && events[event].at === i; event++) {
      const { fields, rejected } = events[event];
      if (fields) { feed.mapping.prepare(fields, hidden); }
      if (rejected) { sink.rejected(rejected); }
    }
    if (i === count) { break; }
    const wait = sink.record(new SerializedRecord<R>(rows[i], bytes, start, ends[i]));
    start = ends[i];
    if (wait) { await wait; }
    if (sink.stopped) { return false; }
  }
  return true;
}

/**
 * The chunk's memory to post: transferred when the chunk is all of its ArrayBuffer (nothing else
 * can be looking at it), else a copy (a slice of Node's pool or of a larger read).
 */
function movable(chunk: Buffer): { data: ArrayBuffer; offset: number } {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer) {
    return { data: chunk.buffer, offset: 0 };
  }
  const copy = new ArrayBuffer(chunk.length);
  new Uint8Array(copy).set(chunk);
  return { data: copy, offset: 0 };
}
