// The node flags every hub process runs with: the start commands (Procfile, Dockerfile,
// `npm start`) pass them, the cluster primary hands them to its workers, and the benchmark
// starts its hubs with them (test/process/test_node_flags.ts keeps the start commands in step).
//
// A delivery streams, so little of it is live at once (15-30 MB), but a row delivery makes
// garbage fast (rows parsed, mapped and serialised), and V8's defaults for a large machine let
// that garbage take the memory:
// - --max-semi-space-size=8: the young generation, where nearly all of it is born and dies,
//   defaults to 16 MB semi-spaces on 64-bit, which that allocation rate keeps resident. 8 MB took
//   1M people to Facebook and Google Ads from 168 and 177 MB peak RSS to 148 and 138 MB.
// - --heap-growing-percent=25: after each full collection V8 lets the heap grow to a multiple
//   of what was live before collecting again, approaching 4 on a machine with gigabytes. At 1.25,
//   1M rows to Braze peaked at 114-116 MB where V8's factor left 158-167 MB, for about 5% more
//   CPU (set at run time with v8.setFlagsFromString it did not hold: 158-167 MB).
// Both only work on the command line (bench/RESULTS.md has the runs).
export const HUB_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8", "--heap-growing-percent=25"];

/** `execArgv` with each hub flag whose option it does not already set (a flag given by hand wins). */
export function withHubNodeFlags(execArgv: readonly string[]): string[] {
  const name = (flag: string) => flag.split("=")[0];
  const given = new Set(execArgv.map(name));
  return [...execArgv, ...HUB_NODE_FLAGS.filter((flag) => !given.has(name(flag)))];
}
