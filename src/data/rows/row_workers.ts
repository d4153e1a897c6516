// The pool of row worker threads (row_worker.ts), one per process: a big row delivery's parsing,
// mapping and serialising run there, so the main thread only moves bytes in and requests out,
// and its event loop stays free for other requests. Workers start when a delivery first needs
// one, up to ROW_WORKER_THREADS; each job goes to the worker with the fewest. A worker that dies
// fails its jobs with a clear message and is replaced by the next job; the hub lives on.
// Idle workers do not hold the process open; shutdown terminates them (closeRowWorkers).
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { UserError } from "../../lib/errors";
import { startWithOwnYoungGeneration } from "../../lib/worker_young_generation";
import type { FromWorker, ToWorker } from "./row_worker_protocol";

/**
 * A worker's heap: a job holds a few chunks of rows and their records at a time (about 1 MB),
 * the mapping's state, and the reader's spool buffers; 48 MB of old space leaves ample room, and
 * a runaway delivery fails alone instead of growing the process. Its young generation (honoured
 * only since startWithOwnYoungGeneration: before, the hub's --max-semi-space-size gave it 16 MB)
 * is 4 MB: 1M rows to HubSpot peaked 8-12 MB lower than with 16, at the same rows/s (bench/RESULTS.md).
 */
export const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4, stackSizeMb: 4 };

/** What a job hears from its worker. */
export interface JobListener {
  message(message: FromWorker): void;
  /** The worker died (or the pool closed): the job cannot go on. */
  lost(error: Error): void;
}

class PoolWorker {
  readonly worker: Worker;
  readonly jobs = new Map<number, JobListener>();
  exited = false;

  constructor(spoolDir: string, onExit: (worker: PoolWorker) => void) {
    this.worker = startWorker(spoolDir);
    this.worker.unref();
    this.worker.on("message", (message: FromWorker) => this.jobs.get(message.job)?.message(message));
    const fail = (reason: string) => {
      if (this.exited) { return; }
      this.exited = true;
      onExit(this);
      const lost = new UserError(`The hub's row worker stopped while it read this delivery (${reason}); the ` +
        "delivery stopped there. Send it again; if it keeps failing, ask the hub's admin to check its logs.");
      for (const job of this.jobs.values()) { job.lost(lost); }
      this.jobs.clear();
    };
    this.worker.on("error", (err) => fail(err.message || err.name));
    this.worker.on("exit", (code) => fail(`exit code ${code}`));
  }

  add(job: number, listener: JobListener): void {
    if (this.jobs.size === 0) { this.worker.ref(); }
    this.jobs.set(job, listener);
  }

  remove(job: number): void {
    if (this.jobs.delete(job) && this.jobs.size === 0) { this.worker.unref(); }
  }
}

/**
 * The worker's script: compiled, the .js beside this file; under ts-node, the .ts through ts-node.
 * Its young generation is its own (RESOURCE_LIMITS), not the main thread's.
 */
function startWorker(spoolDir: string): Worker {
  const options = { workerData: { spoolDir }, resourceLimits: RESOURCE_LIMITS, stdout: false, stderr: false };
  const file = path.join(__dirname, `row_worker${path.extname(__filename)}`);
  return startWithOwnYoungGeneration(() => {
    if (file.endsWith(".ts")) {
      const tsNode = require.resolve("ts-node/register/transpile-only");
      return new Worker(`require(${JSON.stringify(tsNode)}); require(${JSON.stringify(file)});`,
        { ...options, eval: true });
    }
    return new Worker(file, options);
  });
}

/** A job's line to its worker. */
export interface JobLine {
  readonly job: number;
  post(message: ToWorker, transfer?: ArrayBuffer[]): void;
  close(): void;
}

export class RowWorkerPool {
  private readonly workers: PoolWorker[] = [];
  private nextJob = 1;
  private closed = false;

  constructor(readonly size: number, readonly spoolDir = os.tmpdir()) {}

  /** Opens a job on the least busy worker (starting one when the pool is not full). */
  open(listener: JobListener): JobLine {
    if (this.closed) { throw new UserError("The hub is shutting down; send the delivery again in a moment."); }
    const job = this.nextJob++;
    const worker = this.pick();
    worker.add(job, listener);
    return {
      job,
      post: (message, transfer) => { if (!worker.exited) { worker.worker.postMessage(message, transfer ?? []); } },
      close: () => worker.remove(job),
    };
  }

  /**
   * Starts the first worker ahead of the first delivery (the hub calls it once it listens): making
   * its isolate and loading its modules cost the first row delivery of every fresh process about
   * 0.1-0.2 CPU s otherwise. It waits idle, unreferenced, as any worker between deliveries.
   */
  prestart(): void {
    if (!this.closed && this.workers.length === 0) { this.pick(); }
  }

  /** Workers running now. */
  get running(): number { return this.workers.length; }

  /** Jobs open on them. */
  get jobs(): number { return this.workers.reduce((n, w) => n + w.jobs.size, 0); }

  /** Terminates every worker; jobs still running fail with a clear message. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
  }

  private pick(): PoolWorker {
    const least = this.workers.reduce<PoolWorker | undefined>(
      (best, w) => (best === undefined || w.jobs.size < best.jobs.size ? w : best), undefined);
    if (least && (least.jobs.size === 0 || this.workers.length >= this.size)) { return least; }
    const worker = new PoolWorker(this.spoolDir, (gone) => {
      const at = this.workers.indexOf(gone);
      if (at >= 0) { this.workers.splice(at, 1); }
    });
    this.workers.push(worker);
    return worker;
  }
}

let pool: RowWorkerPool | undefined;

/**
 * Sets the process's pool from the configuration (ROW_WORKER_THREADS; 0: rows on the main thread,
 * SPOOL_DIR): the pool there is kept when both are unchanged, else replaced.
 */
export function configureRowWorkers(size: number, spoolDir = os.tmpdir()): void {
  if (pool && pool.size === size && pool.spoolDir === spoolDir) { return; }
  void pool?.close();
  pool = size > 0 ? new RowWorkerPool(size, spoolDir) : undefined;
}

/** The process's pool, when it has one. */
export function rowWorkers(): RowWorkerPool | undefined { return pool; }

/** Ends the pool at shutdown, after the deliveries drained. */
export async function closeRowWorkers(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}
