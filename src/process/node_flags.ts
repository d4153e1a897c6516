// The node flags (and malloc settings) every hub process runs with: the start commands (Procfile,
// Dockerfile, `npm start`) pass them, the cluster primary hands the flags to its workers (which
// inherit its environment), and the benchmark starts its hubs with both
// (test/process/test_node_flags.ts keeps the start commands in step).
//
// A delivery streams, so little of it is live at once (15-30 MB), but a row delivery makes
// garbage fast (rows parsed, mapped and serialised), and V8's defaults for a large machine let
// that garbage take the memory:
// - --max-semi-space-size=4: the young generation, where nearly all of it is born and dies,
//   defaults to 16 MB semi-spaces on 64-bit, which that allocation rate keeps resident. 8 MB took
//   1M people to Facebook and Google Ads from 168 and 177 MB peak RSS to 148 and 138 MB; 4 took 1M
//   rows to HubSpot and mParticle from 127-130 to 115-122 MB on the main thread, and with a row
//   thread (which the main thread only feeds) from 151-172 to 148-161 MB, at the same rows/s.
//   Row worker threads get their own young generation (row_workers.ts, worker_young_generation.ts).
// - --heap-growing-percent=25: after each full collection V8 lets the heap grow to a multiple
//   of what was live before collecting again, approaching 4 on a machine with gigabytes. At 1.25,
//   1M rows to Braze peaked at 114-116 MB where V8's factor left 158-167 MB, for about 5% more
//   CPU (set at run time with v8.setFlagsFromString it did not hold: 158-167 MB).
// - --incremental-marking-soft-trigger=25 --incremental-marking-hard-trigger=90: V8 starts
//   marking (a full collection's first half) as soon as the old generation's room to its limit is
//   under what the new space could promote; with a heap that grows by a quarter, a small heap is
//   always that close, so a delivery keeping a retry copy of its body (url -> webhook) began
//   marking after every scavenge: 76-87 full collections a GiB against 19-23, 4.8-7.1 hub CPU s a
//   GiB. Started a quarter of the way to the limit instead (at once at 90%): 2.6-4.0 s a GiB. The
//   spent chunks those collections also freed are collected by young_garbage.ts.
// - --no-concurrent-recompilation: V8 compiles a hot function with Maglev or TurboFan on the
//   thread that runs it, not in a queue for helper threads. The functions that run once per vendor
//   request (Node's http client, ours) turn hot together: some 100 Maglev jobs queued at once held
//   12 MB of compiler memory for 40 ms, in malloc's arenas, which kept it afterwards, so 1M rows to
//   Salesforce Campaigns sat 8-12 MB higher from then on (`--trace-zone-stats`, and a 1 ms RSS
//   sampler). Compiled in turn, a hub peaked at 143-146 MB against 146-151 (busy: 141-145 against
//   144-146); HubSpot and mParticle 4-9 MB lower. It costs 2-12% of rows/s beside a busy process
//   (alternating runs), as each compile pauses its thread (at most 20-30 ms, about 1 s in all while
//   a fresh process warms up).
// All only work on the command line (bench/RESULTS.md has the runs).
export const HUB_NODE_FLAGS: readonly string[] = [
  "--max-semi-space-size=4",
  "--heap-growing-percent=25",
  "--incremental-marking-soft-trigger=25",
  "--incremental-marking-hard-trigger=90",
  "--no-concurrent-recompilation",
];

/**
 * glibc's malloc settings the start commands give every hub process (a cluster's workers inherit
 * them), for the memory outside V8's heaps: buffers, and V8's and Node's own allocations.
 * - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates an arena of its own (up to 8 a
 *   core), and an arena keeps what it once held; the main thread, a row worker and V8's and
 *   libuv's helper threads held 40-45 MB of malloc memory at a 1M-row peak, of which V8 counted
 *   15-30 MB as buffers or its own allocations.
 * - MALLOC_MMAP_THRESHOLD_=262144: buffers of 256 KiB and more (a row worker's outputs, up to about
 *   1 MB) get pages of their own, returned when freed, instead of growing an arena that a later
 *   small allocation pins; glibc does so only when no free space in the arena fits them, so an
 *   arena that grew once (see --no-concurrent-recompilation) still serves some from there. At
 *   65536 every 64 KiB socket read was a mapping of its own, faulted in and unmapped again: a GiB
 *   pushed or downloaded went 15-40% slower (243 against 286 MiB/s push, 205 against 309
 *   download_url), where the 1M-row peaks stayed within 1-5 MB of each other (bench/RESULTS.md).
 * Together, 1M rows to HubSpot and mParticle with a row thread peaked at 138-148 MB against
 * 148-161 without them, at the same rows/s (bench/RESULTS.md, issue 30). Other C libraries ignore them.
 */
export const HUB_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: "2",
  MALLOC_MMAP_THRESHOLD_: "262144",
};

/** A flag's option: `--no-x`, `--x=1` and `--x_y` are options x and x-y. */
function optionOf(flag: string): string {
  return flag.split("=")[0].replace(/^--(no-)?/, "").replace(/_/g, "-");
}

/** `execArgv` with each hub flag whose option it does not already set (a flag given by hand wins). */
export function withHubNodeFlags(execArgv: readonly string[]): string[] {
  const given = new Set(execArgv.map(optionOf));
  return [...execArgv, ...HUB_NODE_FLAGS.filter((flag) => !given.has(optionOf(flag)))];
}
