// Worker threads with the young generation their resourceLimits ask for. V8's
// --max-semi-space-size, which the hub's start flags set for the main thread (node_flags.ts), is
// one setting for the whole process, and V8 lets it win over a Worker's maxYoungGenerationSizeMb
// when it makes the worker's heap: a row worker asking for 8 MB got the main thread's two 8 MB
// semi-spaces. So the flag is lifted while a worker's isolate is made and put back once the
// worker is online (or failed to start); the main thread's heap, made at start, keeps its own.
// (1M rows to HubSpot with a row thread: its heap 30 MB at the peak before, 16-20 after.)
import * as v8 from "v8";
import type { Worker } from "worker_threads";

const FLAG = "--max-semi-space-size";

/**
 * The semi-space size in MB the process was started with (the last one given on its command line),
 * 0 when none (V8's default). Only later isolates read it back: the main thread's heap is made.
 */
export function givenSemiSpaceMb(execArgv: readonly string[] = process.execArgv): number {
  let given = 0;
  execArgv.forEach((arg, i) => {
    const [name, value] = arg.split("=", 2);
    if (name.replace(/_/g, "-") !== FLAG) { return; }
    const mb = Number(value ?? execArgv[i + 1]);
    if (Number.isInteger(mb) && mb >= 0) { given = mb; }
  });
  return given;
}

let starting = 0;

function lift(): void {
  if (starting++ === 0) { v8.setFlagsFromString(`${FLAG}=0`); }
}

function restore(semiSpaceMb: number): void {
  if (--starting === 0) { v8.setFlagsFromString(`${FLAG}=${semiSpaceMb}`); }
}

/**
 * Calls `start` (which makes the Worker) with the semi-space flag lifted until the worker is up,
 * then sets it back to `semiSpaceMb` (the process's own).
 */
export function startWithOwnYoungGeneration(start: () => Worker, semiSpaceMb = givenSemiSpaceMb()): Worker {
  lift();
  let worker: Worker;
  try {
    worker = start();
  } catch (err) {
    restore(semiSpaceMb);
    throw err;
  }
  let up = false;
  const settle = () => {
    if (up) { return; }
    up = true;
    restore(semiSpaceMb);
  };
  // A worker that fails to start exits (after its "error", which stays its owner's to hear).
  worker.once("online", settle);
  worker.once("exit", settle);
  return worker;
}
