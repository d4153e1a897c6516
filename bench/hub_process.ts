// Runs the compiled hub as a child process and watches its memory, so figures are the
// hub's own and not the benchmark client's. Every part of the bench suite starts its hub here.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { Readable } from "stream";
import { HUB_MALLOC_ENV, withHubNodeFlags } from "../src/process/node_flags";
import { generateApiKey } from "../src/server/auth";
import { childServerPort } from "../test/fakes/closed_port";

export const BENCH_SECRET = "bench-secret-0123456789abcdef";

export interface HubOptions {
  /** Worker processes: a number sets WEB_CONCURRENCY; "default" leaves the hub's default (one per core). */
  workers?: number | "default";
  /** Extra environment for the hub (vendor base URLs, SEGMENT_SENDER, ...). */
  env?: Record<string, string>;
}

/** Node flags for every hub started (`--cpu-prof <dir>` on the bench's command line). */
let hubNodeArgs: string[] = (process.env.BENCH_HUB_NODE_ARGS ?? "").split(" ").filter(Boolean);

/** Makes every hub started from now on write a V8 CPU profile into `dir` when it exits. */
export function profileHubsInto(dir: string): void {
  hubNodeArgs = ["--cpu-prof", "--cpu-prof-dir", dir];
}

export interface Hub {
  url: string;
  key: string;
  pid: number;
  /** Highest resident set size of the hub's main process, in bytes (kernel's VmHWM). */
  peakRss(): number;
  /** Resident set size now of the hub and its cluster workers, summed, in bytes. */
  rss(): number;
  /** The hub's processes: the main one, then its cluster workers. */
  pids(): number[];
  /** CPU time (user + system) used so far by the hub and its workers, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A field of /proc/<pid>/status in bytes (0 once the process is gone). */
export function procMemory(pid: number, key: "VmRSS" | "VmHWM"): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds of a process (0 once it is gone), from /proc/<pid>/stat. */
export function procCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may hold spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** USER_HZ: 100 on Linux on every architecture Node runs on. */
const CLOCK_TICKS = 100;

function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** How the bench's hubs ran their row work, for the results: the bench's ROW_WORKER_THREADS, or the hub's default. */
export function rowThreadsSaid(): string {
  const n = process.env.ROW_WORKER_THREADS;
  return n === undefined ? "its default row worker threads (ROW_WORKER_THREADS unset)" : `ROW_WORKER_THREADS=${n}`;
}

/**
 * Starts `dist/src/boot.js` (build first) in production mode on a free loopback port, with
 * one worker unless told otherwise, so that memory figures are of one process.
 */
export async function startHub(root: string, options: HubOptions = {}): Promise<Hub> {
  // Below the ephemeral range: a port freed from listen(0) could be handed to a stand-in or a
  // sender started before the hub binds it.
  const port = await childServerPort();
  const workers = options.workers ?? 1;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "", NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1",
    BASE_URL: `http://127.0.0.1:${port}`, INTEGRATION_SERVICE_SECRET: BENCH_SECRET,
    DEBUG_INTEGRATION: "true", LOG_LEVEL: "warn",
    // The malloc settings the start commands set, as the flags below.
    ...HUB_MALLOC_ENV,
    // The bench's own ROW_WORKER_THREADS, when set, to compare row deliveries with and without row workers.
    ...(process.env.ROW_WORKER_THREADS === undefined ? {} : { ROW_WORKER_THREADS: process.env.ROW_WORKER_THREADS }),
    ...options.env,
  };
  if (workers !== "default") { env.WEB_CONCURRENCY = String(workers); }
  // The flags the start commands (Procfile, Dockerfile, npm start) run the hub with.
  const args = [...withHubNodeFlags(hubNodeArgs), path.join(root, "dist/src/boot.js")];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root, env,
    stdio: ["ignore", process.env.BENCH_HUB_STDOUT ? fs.openSync(process.env.BENCH_HUB_STDOUT, "w") : "ignore",
      "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) { throw new Error(`the hub exited while starting (code ${child.exitCode})`); }
    try {
      await getStatus(url);
      break;
    } catch (err) {
      if (tries > 200) { child.kill("SIGKILL"); throw err; }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const pid = child.pid as number;
  if (workers === "default" || workers > 1) {
    // Each worker answers /status on its own; wait until all of them are up.
    const expected = workers === "default" ? undefined : workers;
    for (let tries = 0; tries < 100 && childPids(pid).length < (expected ?? 2); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const pids = () => [pid, ...childPids(pid)];
  return {
    url,
    key: generateApiKey(BENCH_SECRET),
    pid,
    peakRss: () => procMemory(pid, "VmHWM"),
    rss: () => pids().reduce((sum, p) => sum + procMemory(p, "VmRSS"), 0),
    pids,
    cpuSeconds: () => pids().reduce((sum, p) => sum + procCpuSeconds(p), 0),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET /status; resolves with its latency in ms. */
export function getStatus(url: string): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/status`, { agent: probeAgent }, (res) => {
      res.resume();
      res.on("end", () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    });
    req.on("error", reject);
  });
}

/** Probes GET /status every 25 ms until stopped; answers the worst latency seen. */
export function probeStatus(url: string): { stop(): Promise<{ worstMs: number; probes: number }> } {
  let running = true;
  let worstMs = 0;
  let probes = 0;
  const loop = (async () => {
    while (running) {
      const ms = await getStatus(url);
      worstMs = Math.max(worstMs, ms);
      probes++;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return { stop: async () => { running = false; await loop; return { worstMs, probes }; } };
}

/** Answers an HTTP request's status and body text. */
export function readAnswer(res: http.IncomingMessage): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let body = "";
    res.setEncoding("utf8");
    res.on("data", (c: string) => { body += c; });
    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
    res.on("error", reject);
  });
}

/** Pushes `body` to `integration`'s execute as Looker does (chunked); answers the hub's answer. */
export function pushTo(hub: Hub, integration: string, body: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${hub.url}/actions/${integration}/execute`, {
      method: "POST",
      headers: { "authorization": `Token token="${hub.key}"`, "content-type": "application/json",
        "user-agent": "LookerOutgoingWebhook/23.0.0" },
    }, (res) => readAnswer(res).then(resolve, reject));
    req.on("error", reject);
    Readable.from(body).pipe(req);
  });
}
