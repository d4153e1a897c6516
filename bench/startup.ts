// The `startup` part: how soon the compiled hub answers after `node dist/src/boot.js` starts.
// Each run spawns a fresh hub (production mode, one worker) and polls GET /status every 5 ms;
// the time is from the spawn to the first 200, the memory the hub's RSS at that moment.
import { HUB_MALLOC_ENV, HUB_NODE_FLAGS } from "../src/process/node_flags";
import { Part } from "./part";
import { getStatus, procMemory } from "./hub_process";
import { childServerPort } from "../test/fakes/closed_port";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { fmt, MB } from "./results";

interface Start { ms: number; rssMb: number; }

async function startOnce(root: string, workers: number): Promise<Start> {
  const port = await childServerPort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "", NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1",
    BASE_URL: `http://127.0.0.1:${port}`, INTEGRATION_SERVICE_SECRET: "bench-secret-0123456789abcdef",
    LOG_LEVEL: "warn", WEB_CONCURRENCY: String(workers), ...HUB_MALLOC_ENV,
  };
  const started = process.hrtime.bigint();
  const child: ChildProcess = spawn(process.execPath, [...HUB_NODE_FLAGS, path.join(root, "dist/src/boot.js")], {
    cwd: root, env, stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    for (let tries = 0; ; tries++) {
      if (child.exitCode !== null) { throw new Error(`the hub exited while starting (code ${child.exitCode})`); }
      try {
        await getStatus(`http://127.0.0.1:${port}`);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        return { ms, rssMb: procMemory(child.pid as number, "VmRSS") / MB };
      } catch (err) {
        if (tries > 4000) { throw err; }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  } finally {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const startupPart: Part = {
  name: "startup",
  title: "Start-up: spawn to the first GET /status answer",
  needsBuild: true,
  async run(ctx) {
    const runs = Number(ctx.option("runs", "10"));
    const starts: Start[] = [];
    for (let i = 0; i < runs; i++) {
      const start = await startOnce(ctx.root, 1);
      ctx.say(`run ${i + 1}: ${fmt(start.ms)} ms, RSS ${fmt(start.rssMb)} MB`);
      starts.push(start);
    }
    const ms = starts.map((s) => s.ms);
    const rss = starts.map((s) => s.rssMb);
    return [
      `\`node dist/src/boot.js\`, production mode, \`WEB_CONCURRENCY=1\`, ${runs} fresh starts one after another;`,
      "time from the spawn to the first 200 of `GET /status` (polled every 5 ms), RSS at that moment.",
      "",
      "| runs | min | median | max | RSS median |",
      "| --- | --- | --- | --- | --- |",
      `| ${runs} | ${fmt(Math.min(...ms))} ms | ${fmt(median(ms))} ms | ${fmt(Math.max(...ms))} ms | ` +
        `${fmt(median(rss))} MB |`,
    ].join("\n");
  },
};
