// Parts "list" (POST / throughput with autocannon), "push" and "url" (large CSV deliveries to
// the debug integration: wall time, MiB/s, the hub's peak RSS, worst concurrent GET /status).
import autocannon from "autocannon";
import { ChildProcess, fork } from "child_process";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { Hub, probeStatus, readAnswer, startHub } from "./hub_process";
import { BenchContext, numbers, Part } from "./part";
import { fmt, MB, MiB } from "./results";

/**
 * Niceness of the processes that stand in for Looker and the vendors (BENCH_STAND_IN_NICE, 10
 * unless set; 0 turns it off). In production they run on other machines; here they share two
 * cores with the hub, and at equal priority the scheduler hands the hub's core to them while
 * the hub has work, which the figures would then count as the hub's.
 */
const STAND_IN_NICE = Number(process.env.BENCH_STAND_IN_NICE ?? "10");

/** Lowers a stand-in process's priority (see STAND_IN_NICE). */
export function standIn(child: ChildProcess): ChildProcess {
  if (STAND_IN_NICE && child.pid) {
    try { os.setPriority(child.pid, STAND_IN_NICE); } catch { /* not allowed here: equal priority */ }
  }
  return child;
}

/** Starts bench/sender.ts in its own process; `message` is its first message. */
export function sender(mode: string, argv: string[]): { child: ChildProcess; message: Promise<any> } {
  const execArgv = ["-r", "ts-node/register/transpile-only"];
  const child = standIn(fork(path.join(__dirname, "sender.ts"), [mode, ...argv], { execArgv }));
  return { child, message: new Promise((resolve) => child.once("message", resolve)) };
}

export const listPart: Part = {
  name: "list", title: "POST / (the integration list)", needsBuild: true,
  async run(ctx) {
    const hub = await startHub(ctx.root);
    try {
      const run = (duration: number) => autocannon({
        url: `${hub.url}/`, method: "POST", connections: 10, duration,
        headers: { authorization: `Token token="${hub.key}"` },
      });
      await run(2);
      const r = await run(10);
      const row = `| POST / (10 connections, 10 s, 1 worker) | ${fmt(r.requests.average)} req/s | ` +
        `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms | ` +
        `${r.non2xx} non-2xx, ${r.errors} errors | ≥ 3,000 req/s: ${r.requests.average >= 3000 ? "met" : "**not met**"} |`;
      ctx.say(row);
      return ["| benchmark | throughput | latency | errors | target (issue 3) |",
        "| --- | --- | --- | --- | --- |", row].join("\n");
    } finally {
      await hub.stop();
    }
  },
};

interface Timed { ms: number; csvBytes: number; answer: string; }

async function timedDelivery(ctx: BenchContext, label: string, hub: Hub, run: () => Promise<Timed>): Promise<string> {
  const probe = probeStatus(hub.url);
  const result = await run();
  const { worstMs, probes } = await probe.stop();
  const mibs = result.csvBytes / MiB / (result.ms / 1000);
  const ok = /"success":true/.test(result.answer) && /received \d+ bytes/.test(result.answer);
  const answer = ok ? "ok" : "FAILED: " + result.answer.slice(0, 120);
  const row = `| ${label} ${fmt(result.csvBytes / MiB)} MiB CSV | ${fmt(result.ms / 1000, 2)} s | ` +
    `${fmt(mibs)} MiB/s | ` +
    `${fmt(hub.peakRss() / MB)} MB | ${fmt(worstMs, 1)} ms (${probes} probes) | ${answer} |`;
  ctx.say(row);
  return row;
}

const DELIVERY_HEAD = "| delivery to debug | wall time | throughput | hub peak RSS | worst GET /status | answer |\n" +
  "| --- | --- | --- | --- | --- | --- |";
const DELIVERY_TARGETS =
  "Targets (issue 3), for 1 GiB: ≥ 150 MiB/s, hub peak RSS < 150 MB, worst GET /status < 100 ms.";

export const pushPart: Part = {
  name: "push", title: "Push deliveries (CSV in the execute body) to debug", needsBuild: true,
  async run(ctx) {
    const rows: string[] = [];
    for (const mib of numbers(ctx.option("sizes", "10,200,1024"))) {
      const hub = await startHub(ctx.root);
      try {
        rows.push(await timedDelivery(ctx, "push", hub, () => sender("push", [hub.url, hub.key, String(mib)]).message));
      } finally {
        await hub.stop();
      }
    }
    return [DELIVERY_TARGETS, "", DELIVERY_HEAD, ...rows].join("\n");
  },
};

/** A download_url delivery of CSV to `integration` (debug unless told), timed to its answer. */
export function executeWithUrl(hub: Hub, downloadUrl: string, csvBytes: number, integration = "debug",
  formParams: Record<string, string> = {}): Promise<Timed> {
  const started = process.hrtime.bigint();
  const body = JSON.stringify({
    type: "query", data: {}, form_params: { format: "csv", ...formParams },
    scheduled_plan: { title: "bench", download_url: downloadUrl },
  });
  return new Promise((resolve, reject) => {
    const req = http.request(`${hub.url}/actions/${integration}/execute`, {
      method: "POST", headers: { "Authorization": `Token token="${hub.key}"`, "Content-Type": "application/json" },
    }, (res) => readAnswer(res).then(({ body: answer }) => {
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, csvBytes, answer });
    }, reject));
    req.on("error", reject);
    req.end(body);
  });
}

export const urlPart: Part = {
  name: "url", title: "download_url deliveries (CSV served on loopback) to debug", needsBuild: true,
  async run(ctx) {
    const rows: string[] = [];
    for (const mib of numbers(ctx.option("sizes", "200,1024")).filter((s) => s >= 200)) {
      const hub = await startHub(ctx.root);
      const source = sender("serve", [String(mib)]);
      try {
        const served = await source.message;
        const url = `http://127.0.0.1:${served.port}/download/once`;
        rows.push(await timedDelivery(ctx, "download_url", hub, () => executeWithUrl(hub, url, served.csvBytes)));
      } finally {
        source.child.kill();
        await hub.stop();
      }
    }
    return [DELIVERY_TARGETS, "", DELIVERY_HEAD, ...rows].join("\n");
  },
};
