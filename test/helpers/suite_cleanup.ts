// What the suite leaves behind is removed at its end, even when a test timed out or failed
// before its own `after` ran: every child process the suite started is ended, and every
// temporary file is removed. Temporary files go to a directory of this run (TMPDIR is set to
// it before any test loads, and child processes inherit it), so two runs at once never meet.
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const children = new Set<childProcess.ChildProcess>();
let runDir: string | undefined;

function alive(child: childProcess.ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.pid !== undefined;
}

/** Tracks every child process (spawn, exec, execFile and fork all go through ChildProcess#spawn). */
function trackChildren(): void {
  const proto = childProcess.ChildProcess.prototype as any;
  if (proto.__suiteTracked) { return; }
  const spawn = proto.spawn;
  proto.spawn = function trackedSpawn(this: childProcess.ChildProcess, ...args: unknown[]) {
    const result = spawn.apply(this, args);
    children.add(this);
    this.once("exit", () => children.delete(this));
    return result;
  };
  proto.__suiteTracked = true;
}

/** Points TMPDIR at a fresh directory for this run. */
function useRunTempDir(): void {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-test-run-"));
  process.env.TMPDIR = runDir;
}

/** Children still running and the run's temporary directory, for tests of this module. */
export function leftovers(): { children: childProcess.ChildProcess[]; tempDir: string | undefined } {
  return { children: [...children].filter(alive), tempDir: runDir };
}

/** SIGTERM to every child still running, SIGKILL to those still up after `graceMs`. */
export async function endChildren(graceMs = 3000): Promise<void> {
  const running = [...children].filter(alive);
  if (!running.length) { return; }
  const exited = running.map((child) => new Promise<void>((resolve) => {
    if (!alive(child)) { return resolve(); }
    child.once("exit", () => resolve());
  }));
  for (const child of running) { child.kill("SIGTERM"); }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(exited), new Promise((r) => { timer = setTimeout(r, graceMs); })]);
  clearTimeout(timer);
  for (const child of running) { if (alive(child)) { child.kill("SIGKILL"); } }
}

/**
 * Unmounts what a test mounted under the run's directory and is still mounted (the SFTP tests'
 * 1 MiB tmpfs, when the server that mounted it ran in a parallel worker that has not stopped it).
 */
function unmountUnder(dir: string): void {
  let mounts: string;
  try { mounts = fs.readFileSync("/proc/mounts", "utf8"); } catch { return; }
  const points = mounts.split("\n").map((line) => line.split(" ")[1])
    .filter((p) => p && (p === dir || p.startsWith(`${dir}${path.sep}`)));
  for (const point of points.reverse()) {
    try { childProcess.execFileSync("umount", [point], { stdio: "ignore" }); } catch { /* not ours, or gone */ }
  }
}

function removeRunDir(): void {
  if (!runDir) { return; }
  unmountUnder(runDir);
  fs.rmSync(runDir, { recursive: true, force: true });
}

export function installSuiteCleanup(): void {
  trackChildren();
  useRunTempDir();
  // A run ended by a signal or by process.exit still leaves nothing behind.
  process.once("exit", () => {
    for (const child of children) { if (alive(child)) { child.kill("SIGKILL"); } }
    removeRunDir();
  });
}

/** Mocha's global teardown (exported by test/setup.ts): runs once after the whole run. */
export async function mochaGlobalTeardown(): Promise<void> {
  await endChildren();
  removeRunDir();
}
