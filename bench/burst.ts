// Part "burst" (issues 19 and 30): the top of the hour. 150 deliveries started within one
// second against the hub: 100 CSV pushes of 5 MiB to webhook (a local receiver), 50 Segment
// deliveries of 20,000 rows (and `--slacks N` Slack files of 10 MiB to the fake Slack, 0 unless
// asked), each checked at the vendor (bytes and SHA-256, message counts). Meanwhile the hub is
// asked in turn, every 25 ms, for GET /status, the integration list (POST /) and a form, and its
// RSS is sampled. `--busy 1` keeps a second process spinning on a core throughout (the issue's
// "with a second process busy"). Then the same work one delivery at a time on a fresh hub.
// Targets: all succeed exactly, hub peak RSS < 300 MB, p99 of those answers < 100 ms.
import { fork } from "child_process";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { defaultMaxConcurrentDeliveries } from "../src/config/capacity";
import { BurstPlan, BurstSent } from "./burst_sender";
import { spinOnCores } from "./busy";
import { Arrived, VendorPorts } from "./burst_vendors";
import { getStatus, Hub, procMemory, rowThreadsSaid, startHub } from "./hub_process";
import { postList } from "./other_hub";
import { standIn } from "./deliveries";
import { BenchContext, Part, verdict } from "./part";
import { csvPlan, csvSha256 } from "./payloads";
import { fmt, MB, MiB } from "./results";

const RSS_TARGET = 300 * MB;
const STATUS_P99_TARGET_MS = 100;
const EXEC_ARGV = ["-r", "ts-node/register/transpile-only"];

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

/** A form request as Looker sends it (debug's form), answering its latency in ms. */
function postForm(hub: Hub, agent: http.Agent): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(`${hub.url}/actions/debug/form`, { method: "POST", agent, headers: {
      "authorization": `Token token="${hub.key}"`, "content-type": "application/json", "content-length": "2" } },
    (res) => {
      res.resume();
      res.on("end", () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    });
    req.on("error", reject);
    req.end("{}");
  });
}

/**
 * Asks in turn, every 25 ms, for GET /status, the integration list and a form (what Looker and
 * its admin ask while deliveries run), and samples RSS every 100 ms until stopped.
 */
function watch(hub: Hub) {
  let running = true;
  const latencies: number[] = [];
  let highest = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const asks = [() => getStatus(hub.url), async () => (await postList(hub.url, hub.key, agent)).ms,
    () => postForm(hub, agent)];
  const probing = (async () => {
    for (let i = 0; running; i++) {
      latencies.push(await asks[i % asks.length]());
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    agent.destroy();
  })();
  // The largest process: the one worker, or under the cluster the busiest of them.
  const sampler = setInterval(() => {
    highest = Math.max(highest, ...hub.pids().map((pid) => procMemory(pid, "VmRSS")));
  }, 100);
  return {
    async stop() {
      running = false;
      clearInterval(sampler);
      await probing;
      const sorted = [...latencies].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0,
        probes: sorted.length, highestRss: highest,
        peakRss: Math.max(highest, ...hub.pids().map((pid) => procMemory(pid, "VmHWM"))) };
    },
  };
}

interface RunOutcome {
  sent: BurstSent; arrived: Arrived; problems: string[]; idleRss: number; cpuSeconds: number;
  status: Awaited<ReturnType<ReturnType<typeof watch>["stop"]>>;
}

async function run(ctx: BenchContext, vendors: { ports: VendorPorts; report(): Promise<Arrived> },
  plan: Omit<BurstPlan, "hubUrl" | "key" | "vendors" | "mode">, mode: "burst" | "serial",
  env: Record<string, string>, workers: number | "default"): Promise<RunOutcome> {
  const hub = await startHub(ctx.root, { workers, env: {
    SLACK_API_URL: vendors.ports.slackApiUrl, SEGMENT_API_HOST: `http://127.0.0.1:${vendors.ports.segment}`,
    ALLOW_PRIVATE_URLS: "true", ALLOW_HTTP_URLS: "true", ...env } });
  try {
    const idleRss = Math.max(...hub.pids().map((pid) => procMemory(pid, "VmRSS")));
    const cpuBefore = hub.cpuSeconds();
    const watching = watch(hub);
    const full: BurstPlan = { ...plan, hubUrl: hub.url, key: hub.key, vendors: vendors.ports, mode };
    const child = standIn(fork(path.join(__dirname, "burst_sender.ts"), [JSON.stringify(full)],
      { execArgv: EXEC_ARGV }));
    const sent = await new Promise<BurstSent>((resolve, reject) => {
      child.once("message", (m) => resolve(m as BurstSent));
      child.once("exit", (code) => { if (code) { reject(new Error(`the burst sender exited with ${code}`)); } });
    });
    const cpuSeconds = hub.cpuSeconds() - cpuBefore;
    const status = await watching.stop();
    const arrived = await vendors.report();
    return { sent, arrived, problems: check(plan, sent, arrived), idleRss, cpuSeconds, status };
  } finally {
    await hub.stop();
  }
}

/** What did not arrive exactly. */
function check(plan: Omit<BurstPlan, "hubUrl" | "key" | "vendors" | "mode">, sent: BurstSent,
  arrived: Arrived): string[] {
  const problems: string[] = [];
  const failed = sent.results.filter((r) => r.status !== 200 || !/"success":true/.test(r.answer));
  if (failed.length) {
    problems.push(`${failed.length} deliveries failed, e.g. ${failed[0].kind}: ${failed[0].status} ` +
      `${failed[0].answer.slice(0, 160)}`);
  }
  for (const [kind, got, count, mib] of [["webhook", arrived.webhook, plan.webhooks, plan.webhookMib],
    ["slack", arrived.slack, plan.slacks, plan.slackMib]] as const) {
    const sha = csvSha256(mib);
    const bytes = csvPlan(mib).totalBytes;
    const exact = got.filter((g) => g.sha256 === sha && g.bytes === bytes).length;
    if (exact !== count) {
      problems.push(`${kind}: ${exact} of ${count} files arrived exactly (${got.length} arrived)`);
    }
  }
  const rows = plan.segments * plan.segmentRows;
  if (arrived.segmentMessages !== rows) { problems.push(`segment: ${arrived.segmentMessages} of ${rows} messages`); }
  const counted = sent.results.filter((r) => r.kind === "segment_event" &&
    r.answer.includes(`Sent ${plan.segmentRows.toLocaleString("en-US")} rows`)).length;
  if (counted !== plan.segments) { problems.push(`segment: ${counted} of ${plan.segments} answers counted every row`); }
  return problems;
}

export const burstPart: Part = {
  name: "burst", title: "The burst: 150 deliveries within one second (issues 19 and 30)", needsBuild: true,
  async run(ctx) {
    const plan = {
      webhooks: Number(ctx.option("webhooks", "100")), webhookMib: 5,
      segments: Number(ctx.option("segments", "50")), segmentRows: 20_000,
      slacks: Number(ctx.option("slacks", "0")), slackMib: 10,
      // Within the first half second: the sender shares the two cores, and its timers lag under the load.
      spreadMs: 500,
    };
    const limit = ctx.option("limit", "");
    const env: Record<string, string> = limit ? { MAX_CONCURRENT_DELIVERIES: limit } : {};
    const workersOption = ctx.option("workers", "1");
    const workers = workersOption === "default" ? "default" : Number(workersOption);
    const processes = workers === "default" ? os.availableParallelism() : workers;
    const effectiveLimit = limit ? Number(limit)
      : defaultMaxConcurrentDeliveries(os.totalmem(), processes, os.availableParallelism());
    const busy = spinOnCores(Number(ctx.option("busy", "0")));
    const child = standIn(fork(path.join(__dirname, "burst_vendors.ts"), [], { execArgv: EXEC_ARGV }));
    try {
      const ports = await new Promise<VendorPorts>((resolve) => {
        child.once("message", (m) => resolve(m as VendorPorts));
      });
      const report = () => new Promise<Arrived>((resolve) => {
        child.once("message", (m) => resolve(m as Arrived));
        child.send("report");
      });
      const vendors = { ports, report };
      const burst = await run(ctx, vendors, plan, "burst", env, workers);
      ctx.say(`burst: ${fmt(burst.sent.wallMs / 1000, 1)} s, last start at ${fmt(burst.sent.lastStartMs)} ms, ` +
        `peak RSS ${fmt(burst.status.peakRss / MB)} MB, answers p99 ${fmt(burst.status.p99, 1)} ms` +
        `${burst.problems.length ? `, PROBLEMS: ${burst.problems.join("; ")}` : ""}`);
      const serial = ctx.option("serial", "yes") === "no" ? undefined : await run(ctx, vendors, plan, "serial", env, workers);
      if (serial) {
        ctx.say(`one at a time: ${fmt(serial.sent.wallMs / 1000, 1)} s, ` +
          `peak RSS ${fmt(serial.status.peakRss / MB)} MB` +
          `${serial.problems.length ? `, PROBLEMS: ${serial.problems.join("; ")}` : ""}`);
      }
      const dataMib = burst.sent.bodyBytes / MiB;
      const rows = plan.segments * plan.segmentRows;
      const count = plan.webhooks + plan.segments + plan.slacks;
      const line = (label: string, o: RunOutcome) => `| ${label} | ${fmt(o.sent.wallMs / 1000, 1)} s | ` +
        `${fmt(dataMib / (o.sent.wallMs / 1000))} MiB/s | ${fmt(rows / (o.sent.wallMs / 1000))} rows/s | ` +
        `${fmt(o.cpuSeconds, 1)} s | ${fmt(o.idleRss / MB)} → ${fmt(o.status.peakRss / MB)} MB | ` +
        `p50 ${fmt(o.status.p50, 1)}, p99 ${fmt(o.status.p99, 1)}, max ${fmt(o.status.max, 1)} ms ` +
        `(${o.status.probes}) | ` +
        `${o.problems.length ? `**no**: ${o.problems.join("; ")}` : `yes, all ${count}`} |`;
      for (const o of [burst, serial]) { if (o?.problems.length) { ctx.fail(`burst: ${o.problems.join("; ")}`); } }
      const rssMet = verdict(ctx, burst.status.peakRss < RSS_TARGET, "burst: hub peak RSS under 300 MB");
      const statusMet = verdict(ctx, burst.status.p99 < STATUS_P99_TARGET_MS,
        "burst: /status, list and form answered at p99 under 100 ms");
      const startMet = verdict(ctx, burst.sent.lastStartMs < 1000, "burst: all started within one second");
      const perDelivery = (burst.status.peakRss - burst.idleRss) / Math.min(effectiveLimit, count);
      return [
        `${count} deliveries (${plan.webhooks} CSV pushes of ${plan.webhookMib} MiB to webhook, a local receiver; ` +
          `${plan.segments} Segment deliveries of ${fmt(plan.segmentRows)} rows; ${plan.slacks} Slack files of ` +
          `${plan.slackMib} MiB to the fake Slack), ${fmt(dataMib)} MiB of execute bodies, sent by a helper process;`,
        "receivers in another, each file's SHA-256 and every Segment message checked. " +
          `${workers === "default" ? `The default cluster (${processes} workers)` : `${workers} hub worker(s)`}, ` +
          `${rowThreadsSaid()}, MAX_CONCURRENT_DELIVERIES ${limit || `default (${effectiveLimit} a worker here)`}. ` +
          "GET /status, POST / (the list) and debug's form asked in turn every 25 ms throughout from the bench " +
          `process${busy.count ? `; ${busy.count} other process(es) spinning on a core throughout (nice 0)` : ""}. ` +
          "RSS is of the largest hub process.",
        "",
        "| run | wall time | data | Segment rows | hub CPU | hub RSS idle → peak | /status, list, form | all exact |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        line(`burst: all started within ${fmt(burst.sent.lastStartMs)} ms`, burst),
        ...(serial ? [line("the same, one at a time", serial)] : []),
        "",
        `Targets (issue 30): peak RSS < 300 MB: ${rssMet}; answers p99 < 100 ms: ${statusMet}; ` +
          `all started within 1 s: ${startMet}.` +
          (serial ? ` Burst wall time / one at a time: ${fmt(burst.sent.wallMs / serial.sent.wallMs, 2)}.` : ""),
        `Memory per delivery in flight: (peak − idle) / ${Math.min(effectiveLimit, count)} in flight = ` +
          `${fmt(perDelivery / MB, 1)} MB.`,
      ].join("\n");
    } finally {
      child.kill();
      busy.stop();
    }
  },
};
