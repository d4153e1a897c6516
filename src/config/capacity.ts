// How many deliveries a hub process runs at once (MAX_CONCURRENT_DELIVERIES). Deliveries past
// it wait their turn, their bodies unread, with keep-alive newlines, and are never refused.
// Read from the Env object that src/config/index.ts hands over; never from the process environment.
import { Env, intSetting } from "./values";

/**
 * Memory one running delivery may use at most, for sizing the default: its body window and
 * the integration's buffers (a Segment batch being built and up to 4 in flight, 500 KB
 * each, is the largest) are 3-4 MB; this leaves room for the garbage they make.
 */
export const MEMORY_PER_DELIVERY_BYTES = 8 * 1024 * 1024;
/**
 * Deliveries running at once per core, for sizing the default: past a few per core a burst
 * is CPU-bound, and more of them only lengthen each turn of the event loop (a GET /status
 * waited 300 ms behind 64 in flight on 2 cores, 117 ms behind 16; the 16 also finished the
 * whole burst in two thirds of the time: less garbage, fewer streams' buffers at once).
 */
export const DELIVERIES_PER_CORE = 8;
/** The default never goes under or over these, whatever the machine. */
const DEFAULT_MIN = 4;
const DEFAULT_MAX = 64;

/**
 * The default for one process: deliveries in flight may take up to an eighth of the
 * machine's memory shared by the worker processes, at MEMORY_PER_DELIVERY_BYTES each, and
 * DELIVERIES_PER_CORE per core shared by them, between 4 and 64 (24 GiB, 2 cores and
 * 1 worker: 16; 2 workers: 8 each; 24 GiB and 16 cores, 2 workers: 64; a 512 MB container
 * with one: 8).
 */
export function defaultMaxConcurrentDeliveries(totalMemoryBytes: number, workers: number, cores: number): number {
  const processes = Math.max(1, workers);
  const byMemory = Math.floor(totalMemoryBytes / 8 / processes / MEMORY_PER_DELIVERY_BYTES);
  const byCores = Math.floor((Math.max(1, cores) * DELIVERIES_PER_CORE) / processes);
  return Math.min(DEFAULT_MAX, Math.max(DEFAULT_MIN, Math.min(byMemory, byCores)));
}

/**
 * The memory this process may count on: the machine's, or its container's limit (cgroup, as
 * Node reports it) when that is lower. Node reports no limit as 0 or as a huge number.
 */
export function usableMemory(machineBytes: number, constrainedBytes: number | undefined): number {
  return constrainedBytes && constrainedBytes > 0 ? Math.min(machineBytes, constrainedBytes) : machineBytes;
}

export function maxConcurrentDeliveries(env: Env, totalMemoryBytes: number, workers: number, cores: number): number {
  return intSetting(env, "MAX_CONCURRENT_DELIVERIES", defaultMaxConcurrentDeliveries(totalMemoryBytes, workers, cores),
    1);
}


/**
 * Row worker threads per process by default (ROW_WORKER_THREADS): the cores the worker processes
 * leave to each, less the one its main thread runs on. A thread pays only on a core nobody else
 * uses: on 2 cores filled by the hub, the bench's sender and its vendor, one thread per delivery
 * gave ±10% rows/s (within the spread of runs), no lower GET /status latency in a burst, and about 30 MB
 * more peak RSS per process (bench/RESULTS.md, issue 30). 2 cores: one process, 1 thread; two
 * processes (production's default), none; 16 cores and 4 processes, 3 each.
 */
export function defaultRowWorkerThreads(cores: number, workers: number): number {
  return Math.max(0, Math.floor(Math.max(1, cores) / Math.max(1, workers)) - 1);
}
