// A stand-in whose module needs only Node's own modules, run as plain JavaScript: transpiled here
// (this process runs TypeScript anyway) into a file of its own, forked without ts-node. Under
// ts-node a stand-in's heap holds the TypeScript compiler (26 MB), which each of its mark-compacts
// marks again: the counting Segment (segment_api.ts), which V8 collects every 100 ms for the socket
// reads' fresh memory, spent 1.3-1.8 CPU seconds a million messages so, 1.0 without it. The bench
// modules it imports (`from "./name"`, themselves importing only Node's modules or other such) are
// transpiled beside it.
import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { standIn } from "./deliveries";

/** Forks `module` (a .ts file in bench/ importing only Node's modules) and calls its export `entry`. */
export function plainStandIn(module: string, entry: string): { child: ChildProcess; message: Promise<any> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-stand-in-"));
  const file = transpiled(module, dir);
  fs.appendFileSync(file, `\nexports.${entry}();\n`);
  const child = standIn(fork(file, [], { execArgv: [] }));
  // Read once it runs: the file is not needed after its first message (or its end).
  const gone = () => fs.rmSync(dir, { recursive: true, force: true });
  child.once("exit", gone);
  return { child, message: new Promise((resolve) => child.once("message", (m) => { gone(); resolve(m); })) };
}

/**
 * Sends `message` to a stand-in and answers its next message: within `seconds` (the stand-ins
 * check a million rows' bodies in a few), else fails saying which stand-in did not answer.
 */
export function askStandIn<T>(child: ChildProcess, message: string | object, seconds = 120): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off("message", answered);
      reject(new Error(`the stand-in (pid ${child.pid}) did not answer ${JSON.stringify(message)} in ${seconds} s`));
    }, seconds * 1000);
    const answered = (m: unknown) => {
      clearTimeout(timer);
      resolve(m as T);
    };
    child.once("message", answered);
    child.send(message);
  });
}

/** Writes `module` and the bench modules it imports, as JavaScript, into `dir`; answers its file. */
function transpiled(module: string, dir: string): string {
  const file = path.join(dir, module.replace(/\.ts$/, ".js"));
  if (fs.existsSync(file)) { return file; }
  const source = fs.readFileSync(path.join(__dirname, module), "utf8");
  fs.writeFileSync(file, ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, fileName: module,
  }).outputText);
  for (const [, name] of source.matchAll(/^import (?!type )[^;]* from "\.\/(\w+)";$/gm)) { transpiled(`${name}.ts`, dir); }
  return file;
}
