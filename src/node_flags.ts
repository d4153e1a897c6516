// The node flags every hub process runs with: the start commands (Procfile, Dockerfile,
// `npm start`) pass them, the cluster primary hands them to its workers, and the benchmark
// starts its hubs with them (test/test_node_flags.ts keeps the start commands in step).
//
// --max-semi-space-size=8: V8's young generation (where a delivery's parsed rows, mapped
// records and request bodies are born and almost all die) defaults to 16 MB semi-spaces on
// 64-bit machines, which the allocation rate of a row delivery fills and keeps resident. 8 MB
// took 1M people to Facebook and Google Ads from 168 and 177 MB peak RSS to 148 and 138 MB
// without costing CPU (bench/RESULTS.md). It can only be set on the command line.
export const HUB_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

/** `execArgv` with each hub flag whose option it does not already set (a flag given by hand wins). */
export function withHubNodeFlags(execArgv: readonly string[]): string[] {
  const name = (flag: string) => flag.split("=")[0];
  const given = new Set(execArgv.map(name));
  return [...execArgv, ...HUB_NODE_FLAGS.filter((flag) => !given.has(name(flag)))];
}
