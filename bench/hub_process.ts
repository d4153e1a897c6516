// Runs the compiled hub as a child process and watches its memory, so figures are the
// hub's own and not the benchmark client's.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { generateApiKey } from "../src/server/auth";

export const BENCH_SECRET = "bench-secret-0123456789abcdef";

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Hub {
  url: string;
  key: string;
  pid: number;
  /** Highest resident set size seen, in bytes (kernel's VmHWM). */
  peakRss(): number;
  stop(): Promise<void>;
}

export async function startHub(root: string): Promise<Hub> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "dist/src/boot.js")], {
    cwd: root,
    env: {
      PATH: process.env.PATH, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1",
      BASE_URL: `http://127.0.0.1:${port}`, INTEGRATION_SERVICE_SECRET: BENCH_SECRET,
      DEBUG_INTEGRATION: "true", LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      await getStatus(url);
      break;
    } catch (err) {
      if (tries > 100) { throw err; }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const pid = child.pid as number;
  return {
    url,
    key: generateApiKey(BENCH_SECRET),
    pid,
    peakRss: () => {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    stop: () => new Promise((resolve) => { child.once("exit", () => resolve()); child.kill("SIGTERM"); }),
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
