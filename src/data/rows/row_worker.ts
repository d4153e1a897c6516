// A row worker thread (row_workers.ts starts it): for each job, reads the delivery's json_detail
// bytes the main thread passes in, parses the rows, maps each with the destination's mapping
// (built here from its recipe, row_mapping.ts) and serialises the records, one output per chunk
// of rows, so that the main thread only moves bytes and sends requests. Row numbers, rejections
// and errors are the in-thread pipeline's (row_feed.ts), in the same order.
import { Readable } from "stream";
import { parentPort, workerData } from "worker_threads";
import type { Delivery } from "../../hub/delivery";
import { UserError } from "../../lib/errors";
import { spentBytes } from "../../lib/young_garbage";
import { setSpoolDirectory } from "../delivery/spool";
import { mappingOf, RawOutput, RowMapper, RowMapping } from "./row_mapping";
import { readDetailChunks, readDetailRawChunks } from "./detail_chunks";
import type { JsonDetailPart, JsonDetailRow } from "./rows";
import type { CrossedError, FromWorker, OutputEvent, ToWorker, WorkerOutput } from "./row_worker_protocol";
import { OUTPUTS_AHEAD } from "./row_worker_protocol";
import { boundOldSpace } from "./worker_old_space";

const port = parentPort!;
setSpoolDirectory((workerData as { spoolDir: string }).spoolDir);

const post = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []);

export function crossed(err: unknown): CrossedError {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message, validationErrors: (err as UserError).validationErrors };
}

const EMPTY = Buffer.alloc(0);
/** What a chunk's records take at first: most chunks are 64 KiB of rows, their records about as much. */
const FIRST_BYTES = 96 * 1024;
/** An output's lists before its first record. */
const NO_RECORDS = new Uint32Array(0);
/**
 * The most records an output held (at most 65536): the next start with room for as many. From 256
 * doubling, a chunk of 300-600 records made and copied its two lists two or three times over.
 */
let recordsHint = 256;
/** Handed-back outputs kept for a job at most: more than the outputs it can have in flight. */
const SPARES_KEPT = 2 * OUTPUTS_AHEAD + 4;

/** A chunk's records, written into one buffer that grows as needed, with their rows and ends. */
class OutputBuilder implements RawOutput {
  // Its own memory (not Node's shared pool), so that it can be transferred: an output the main
  // thread handed back, or new.
  private bytes: Buffer;
  private length = 0;
  private rows = NO_RECORDS;
  private ends = NO_RECORDS;
  private count = 0;
  readonly events: OutputEvent[] = [];

  constructor(spare?: ArrayBuffer) {
    this.bytes = spare ? Buffer.from(spare) : EMPTY;
  }

  get size(): number { return this.count; }

  event(event: Omit<OutputEvent, "at">): void { this.events.push({ at: this.count, ...event }); }

  record(row: number, json: string): void {
    // Each UTF-16 unit is at most 3 bytes of UTF-8; only when that bound does not fit is the exact
    // length counted, and the buffer grown (a copy, the old one garbage) only when that does not fit.
    if (this.length + json.length * 3 > this.bytes.length) {
      const exact = this.length + Buffer.byteLength(json, "utf8");
      if (exact > this.bytes.length) { this.grow(exact); }
    }
    this.commit(row, this.length + this.bytes.write(json, this.length, "utf8"));
  }

  /** The buffer, with room for `bytes` more at `end` (a record a mapping writes itself). */
  room(bytes: number): Buffer {
    if (this.length + bytes > this.bytes.length) { this.grow(this.length + bytes); }
    return this.bytes;
  }

  get end(): number { return this.length; }

  /** The record of `row` is what was written up to `end`. */
  commit(row: number, end: number): void {
    this.length = end;
    if (this.count === this.rows.length) {
      const size = this.count === 0 ? recordsHint : this.count * 2;
      const rows = new Uint32Array(size);
      const ends = new Uint32Array(size);
      rows.set(this.rows);
      ends.set(this.ends);
      this.rows = rows;
      this.ends = ends;
    }
    this.rows[this.count] = row;
    this.ends[this.count++] = this.length;
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafeSlow(Math.max(needed, this.bytes.length * 2, FIRST_BYTES));
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }

  send(job: number, noted: number, error?: CrossedError): void {
    recordsHint = Math.min(Math.max(recordsHint, this.count), 65536);
    // The lists themselves, longer than `count` as they may be (the builder is done with them):
    // the main thread reads `count` of them.
    const rows = this.rows === NO_RECORDS ? new Uint32Array(0) : this.rows;
    const ends = this.ends === NO_RECORDS ? new Uint32Array(0) : this.ends;
    const bytes = (this.bytes === EMPTY ? new ArrayBuffer(0) : this.bytes.buffer) as ArrayBuffer;
    const output: WorkerOutput = { type: "output", job, bytes, count: this.count, rows, ends, events: this.events,
      noted, error };
    post(output, [bytes, rows.buffer, ends.buffer]);
  }
}

class Job {
  private readonly pending: Buffer[] = [];
  private wanting = false;
  private readonly input: Readable;
  private unacked = 0;
  private ackWaiter?: () => void;
  private aborted = false;
  private noted = 0;
  /** Outputs' memory the main thread handed back, written again (at most the outputs in flight). */
  private readonly spares: ArrayBuffer[] = [];

  constructor(private readonly start: Extract<ToWorker, { type: "start" }>) {
    this.input = new Readable({ read: () => { this.wanting = true; this.feed(); } });
  }

  chunk(data: Buffer): void {
    this.pending.push(data);
    this.feed();
  }

  end(): void {
    this.pending.push(Buffer.alloc(0));
    this.feed();
  }

  ack(spare?: ArrayBuffer): void {
    if (spare) { this.spare(spare); }
    this.unacked--;
    const wake = this.ackWaiter;
    this.ackWaiter = undefined;
    wake?.();
  }

  /** An output's memory handed back with its ack (at most one per output sent, so the list stays short). */
  private spare(bytes: ArrayBuffer): void {
    if (this.spares.length < SPARES_KEPT) { this.spares.push(bytes); }
  }

  abort(): void {
    this.aborted = true;
    this.input.destroy();
    this.ack();
  }

  /** Hands the reader the next chunk it asked for; an empty one ends the input. */
  private feed(): void {
    while (this.wanting && this.pending.length > 0) {
      const chunk = this.pending.shift()!;
      if (chunk.length === 0) {
        this.input.push(null);
        return;
      }
      this.wanting = this.input.push(chunk);
      post({ type: "more", job: this.start.job });
      // Read whole at once, then garbage: scavenged now and then, as on the main thread (young_garbage.ts).
      spentBytes(chunk.length);
    }
  }

  async run(): Promise<void> {
    const job = this.start.job;
    let out = new OutputBuilder();
    try {
      const mapping = mappingOf(this.start.recipe) as RowMapping<unknown>;
      const serialize = mapping.serialize?.bind(mapping) ?? JSON.stringify;
      const hidden = new Set(this.start.hidden);
      const delivery: Delivery = {
        source: "push", format: this.start.format, mimetype: undefined,
        stream: () => Promise.resolve(this.input),
        firstSignificantByte: () => Promise.resolve(undefined),
        noteRows: (n) => { this.noted += n; },
      };
      let mapper: RowMapper<unknown> | undefined;
      let rows = 0;
      const prepare = (fields: Parameters<RowMapping<unknown>["prepare"]>[0]) => {
        out.event({ fields });
        mapper = mapping.prepare(fields, hidden);
        return mapper;
      };
      const mapRow = (row: JsonDetailRow, rowNumber: number) => {
        const mapped = (mapper ?? prepare({})).map(row, rowNumber);
        if ("rejected" in mapped) {
          out.event({ rejected: { row: rowNumber, reason: mapped.rejected, example: mapped.example } });
        } else {
          out.record(rowNumber, serialize(mapped.record));
        }
      };
      const chunks: AsyncGenerator<Iterable<JsonDetailPart>> = mapping.rawRows ? readDetailRawChunks(delivery)
        : readDetailChunks(delivery);
      for await (const chunk of chunks) {
        if (this.aborted) { return; }
        out = new OutputBuilder(this.spares.pop());
        for (const item of chunk) {
          if (item.kind === "fields") {
            prepare(item.fields);
          } else if (item.kind === "ran_at") {
            mapping.ranAt?.(item.ranAt);
          } else if (item.kind === "raw") {
            // Rows as byte ranges: written by the mapper from their bytes, or parsed and mapped.
            const rowMapper = mapper ?? prepare({});
            for (let k = 0; k < item.run.count; k++) {
              const row = ++rows;
              if (!rowMapper.raw?.write(item.run, k, row, out)) { mapRow(item.run.row(k) as JsonDetailRow, row); }
            }
            item.run.release();
          } else {
            mapRow(item.row, ++rows);
          }
        }
        this.send(out);
        out = new OutputBuilder();
        boundOldSpace();
        if (++this.unacked >= OUTPUTS_AHEAD) {
          await new Promise<void>((resolve) => { this.ackWaiter = resolve; });
        }
      }
      if (!mapper && !this.aborted) { prepare({}); }
      if (out.size > 0 || out.events.length > 0) { this.send(out); }
      if (!this.aborted) { post({ type: "done", job }); }
    } catch (err) {
      if (!this.aborted) { out.send(job, this.taken(), crossed(err)); }
    }
  }

  private taken(): number {
    const noted = this.noted;
    this.noted = 0;
    return noted;
  }

  private send(out: OutputBuilder): void {
    if (!this.aborted) { out.send(this.start.job, this.taken()); }
  }
}

const jobs = new Map<number, Job>();

port.on("message", (message: ToWorker) => {
  if (message.type === "start") {
    const job = new Job(message);
    jobs.set(message.job, job);
    void job.run().finally(() => jobs.delete(message.job));
    return;
  }
  const job = jobs.get(message.job);
  if (!job) { return; }
  if (message.type === "chunk") {
    job.chunk(Buffer.from(message.data, message.offset, message.length));
  } else if (message.type === "end") {
    job.end();
  } else if (message.type === "ack") {
    job.ack(message.spare);
  } else {
    job.abort();
    jobs.delete(message.job);
  }
});
