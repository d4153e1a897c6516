// Starts another Action Hub from its own checkout (the official one, looker-open-source/actions,
// built with its own steps: bench/README.md) for the "official" part, and measures it as the
// bench measures this hub: every process of its tree (yarn, ts-node, forked children) summed.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { BENCH_SECRET, procCpuSeconds, procMemory } from "./hub_process";
import { childServerPort } from "../test/fakes/closed_port";
import { generateApiKey } from "../src/server/auth";

export interface MeasuredHub {
  label: string;
  url: string;
  key: string;
  /** Resident memory now of every process of the hub's tree, summed, in bytes. */
  rss(): number;
  /** CPU seconds used so far by every process of the tree (those alive now). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** The pid and every descendant, from /proc (children of each thread). */
export function processTree(pid: number): number[] {
  const all = [pid];
  // The array grows as children are found; its iterator visits those too.
  for (const parent of all) {
    let tasks: string[] = [];
    try { tasks = fs.readdirSync(`/proc/${parent}/task`); } catch { continue; }
    for (const task of tasks) {
      try {
        const kids = fs.readFileSync(`/proc/${parent}/task/${task}/children`, "utf8").trim().split(/\s+/);
        for (const kid of kids.filter(Boolean).map(Number)) { if (!all.includes(kid)) { all.push(kid); } }
      } catch { /* gone */ }
    }
  }
  return all;
}

/** POST / with the bench key; resolves with the status and the latency in ms. */
export function postList(url: string, key: string, agent?: http.Agent): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(`${url}/`, { method: "POST", agent, headers: {
      "authorization": `Token token="${key}"`, "content-type": "application/json", "content-length": "2" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on("error", () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end("{}");
  });
}

/**
 * Runs `start` (a shell command) in `dir` with the official hub's settings (ACTION_HUB_BASE_URL,
 * ACTION_HUB_LABEL, ACTION_HUB_SECRET, PORT) and `env`; resolves once POST / answers 200 (its
 * ts-node start compiles every action first: up to `startSeconds`).
 */
export async function startOtherHub(label: string, dir: string, start: string, env: Record<string, string>,
  startSeconds = 180): Promise<MeasuredHub> {
  const port = await childServerPort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn("sh", ["-c", start], {
    cwd: dir, detached: true, stdio: ["ignore", "ignore", "inherit"],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production",
      PORT: String(port), ACTION_HUB_BASE_URL: url, ACTION_HUB_LABEL: label, ACTION_HUB_SECRET: BENCH_SECRET, ...env },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const key = generateApiKey(BENCH_SECRET);
  const deadline = Date.now() + startSeconds * 1000;
  const killTree = () => { try { process.kill(-(child.pid as number), "SIGKILL"); } catch { /* gone */ } };
  for (;;) {
    if (child.exitCode !== null) { throw new Error(`${label} exited while starting (code ${child.exitCode}): ${start}`); }
    if ((await postList(url, key)).status === 200) { break; }
    if (Date.now() > deadline) { killTree(); throw new Error(`${label} did not answer POST / within ${startSeconds} s`); }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const tree = () => processTree(child.pid as number);
  return {
    label, url, key,
    rss: () => tree().reduce((sum, p) => sum + procMemory(p, "VmRSS"), 0),
    cpuSeconds: () => tree().reduce((sum, p) => sum + procCpuSeconds(p), 0),
    stop: async () => {
      if (child.exitCode === null) {
        try { process.kill(-(child.pid as number), "SIGTERM"); } catch { /* gone */ }
        const timer = setTimeout(killTree, 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
