// The "with a second process busy": other processes at normal priority (nice 0), each
// spinning on a core for as long as a measurement runs. Parts that measure both conditions take
// `--busy no,yes` (busyConditions); the burst takes a count of spinning processes.
import { spawn } from "child_process";
import type { BenchContext } from "./part";

export interface Spinners {
  count: number;
  stop(): void;
}

/** What the table says of a condition. */
export const BUSY_SAID = "a second process busy (`node -e 'for(;;){}'` at nice 0 throughout)";

/** `count` processes at nice 0 each spinning on a core, until stop(). */
export function spinOnCores(count: number): Spinners {
  const spinners = Array.from({ length: count }, () =>
    spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  return { count, stop: () => spinners.forEach((s) => s.kill("SIGKILL")) };
}

/** The conditions `--busy` names ("no,yes": quiet, then busy), as booleans. */
export function busyConditions(ctx: BenchContext, fallback: string): boolean[] {
  return ctx.option("busy", fallback).split(",").filter(Boolean).map((c) => c === "yes");
}

/** Runs `measure` with one spinner when `busy`. */
export async function maybeBusy<T>(busy: boolean, measure: () => Promise<T>): Promise<T> {
  const spin = spinOnCores(busy ? 1 : 0);
  try {
    return await measure();
  } finally {
    spin.stop();
  }
}
