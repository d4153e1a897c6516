// How tests start the hub's programs as child processes: from the compiled build when it is
// current, else through ts-node. `npm test` type-checks with emit (tsc -p tsconfig.json writes
// dist/), so a whole run starts every hub process compiled: ts-node would compile the hub's 260
// files again in each child, and the process suites (boot, shutdown, resilience, private CA,
// hardening) start dozens. A single file run after an edit, with dist/ stale, still works.
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).map((f) => path.join(dir, f));
}

let current: boolean | undefined;

/** True when every source of src/ and bin/ has its compiled file in dist/, no older than itself. */
export function compiledIsCurrent(): boolean {
  if (current === undefined) {
    current = ["src", "bin"].flatMap(sources).every((file) => {
      const compiled = path.join(ROOT, "dist", file.replace(/\.ts$/, ".js"));
      return fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= fs.statSync(path.join(ROOT, file)).mtimeMs;
    });
  }
  return current;
}

/** Node's arguments that run `entry` (e.g. "src/boot.ts"), and the environment ts-node needs if used. */
export function nodeArgs(entry: string): { args: string[]; env: Record<string, string> } {
  if (compiledIsCurrent()) { return { args: [path.join(ROOT, "dist", entry.replace(/\.ts$/, ".js"))], env: {} }; }
  return { args: ["-r", require.resolve("ts-node/register/transpile-only"), path.join(ROOT, entry)],
    env: { TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") } };
}
