// Part "burst" (issue 19): the top of the hour. 200 deliveries started within one second
// against one hub worker: 100 CSV pushes of 5 MiB to webhook (a local receiver), 50 Segment
// deliveries of 20,000 rows, 50 Slack files of 10 MiB (the fake Slack), each checked at the
// vendor (bytes and SHA-256, message counts). Meanwhile GET /status is probed every 25 ms
// and the hub's RSS sampled. Then the same work one delivery at a time on a fresh hub.
// Targets: all succeed exactly, hub peak RSS < 300 MB, /status p99 < 100 ms.
import { fork } from "child_process";
import * as os from "os";
import * as path from "path";
import { defaultMaxConcurrentDeliveries } from "../src/config/capacity";
import { BurstPlan, BurstSent } from "./burst_sender";
import { Arrived, VendorPorts } from "./burst_vendors";
import { getStatus, Hub, procMemory, startHub } from "./hub_process";
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

/** Probes /status every 25 ms and samples RSS every 100 ms until stopped. */
function watch(hub: Hub) {
  let running = true;
  const latencies: number[] = [];
  let highest = 0;
  const probing = (async () => {
    while (running) {
      latencies.push(await getStatus(hub.url));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  const sampler = setInterval(() => { highest = Math.max(highest, procMemory(hub.pid, "VmRSS")); }, 100);
  return {
    async stop() {
      running = false;
      clearInterval(sampler);
      await probing;
      const sorted = [...latencies].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0,
        probes: sorted.length, highestRss: highest, peakRss: hub.peakRss() };
    },
  };
}

interface RunOutcome {
  sent: BurstSent; arrived: Arrived; problems: string[]; idleRss: number; cpuSeconds: number;
  status: Awaited<ReturnType<ReturnType<typeof watch>["stop"]>>;
}

async function run(ctx: BenchContext, vendors: { ports: VendorPorts; report(): Promise<Arrived> },
  plan: Omit<BurstPlan, "hubUrl" | "key" | "vendors" | "mode">, mode: "burst" | "serial",
  env: Record<string, string>): Promise<RunOutcome> {
  const hub = await startHub(ctx.root, { env: {
    SLACK_API_URL: vendors.ports.slackApiUrl, SEGMENT_API_HOST: `http://127.0.0.1:${vendors.ports.segment}`,
    ALLOW_PRIVATE_URLS: "true", ALLOW_HTTP_URLS: "true", ...env } });
  try {
    const idleRss = procMemory(hub.pid, "VmRSS");
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
  name: "burst", title: "The burst: 200 deliveries within one second (issue 19)", needsBuild: true,
  async run(ctx) {
    const plan = {
      webhooks: Number(ctx.option("webhooks", "100")), webhookMib: 5,
      segments: Number(ctx.option("segments", "50")), segmentRows: 20_000,
      slacks: Number(ctx.option("slacks", "50")), slackMib: 10,
      // Within the first half second: the sender shares the two cores, and its timers lag under the load.
      spreadMs: 500,
    };
    const limit = ctx.option("limit", "");
    const env: Record<string, string> = limit ? { MAX_CONCURRENT_DELIVERIES: limit } : {};
    const effectiveLimit = limit ? Number(limit)
      : defaultMaxConcurrentDeliveries(os.totalmem(), 1, os.availableParallelism());
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
      const burst = await run(ctx, vendors, plan, "burst", env);
      ctx.say(`burst: ${fmt(burst.sent.wallMs / 1000, 1)} s, last start at ${fmt(burst.sent.lastStartMs)} ms, ` +
        `peak RSS ${fmt(burst.status.peakRss / MB)} MB, /status p99 ${fmt(burst.status.p99, 1)} ms` +
        `${burst.problems.length ? `, PROBLEMS: ${burst.problems.join("; ")}` : ""}`);
      const serial = ctx.option("serial", "yes") === "no" ? undefined : await run(ctx, vendors, plan, "serial", env);
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
      const statusMet = verdict(ctx, burst.status.p99 < STATUS_P99_TARGET_MS, "burst: GET /status p99 under 100 ms");
      const startMet = verdict(ctx, burst.sent.lastStartMs < 1000, "burst: all started within one second");
      const perDelivery = (burst.status.peakRss - burst.idleRss) / Math.min(effectiveLimit, count);
      return [
        `${count} deliveries (${plan.webhooks} CSV pushes of ${plan.webhookMib} MiB to webhook, a local receiver; ` +
          `${plan.segments} Segment deliveries of ${fmt(plan.segmentRows)} rows; ${plan.slacks} Slack files of ` +
          `${plan.slackMib} MiB to the fake Slack), ${fmt(dataMib)} MiB of execute bodies, sent by a helper process;`,
        "receivers in another, each file's SHA-256 and every Segment message checked. One hub worker, " +
          `MAX_CONCURRENT_DELIVERIES ${limit || `default (${effectiveLimit} here)`}. GET /status probed every 25 ms ` +
          "throughout from the bench process.",
        "",
        "| run | wall time | data | Segment rows | hub CPU | hub RSS idle → peak | GET /status | all exact |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        line(`burst: all started within ${fmt(burst.sent.lastStartMs)} ms`, burst),
        ...(serial ? [line("the same, one at a time", serial)] : []),
        "",
        `Targets (issue 19): peak RSS < 300 MB: ${rssMet}; /status p99 < 100 ms: ${statusMet}; ` +
          `all started within 1 s: ${startMet}.` +
          (serial ? ` Burst wall time / one at a time: ${fmt(burst.sent.wallMs / serial.sent.wallMs, 2)}.` : ""),
        `Memory per delivery in flight: (peak − idle) / ${Math.min(effectiveLimit, count)} in flight = ` +
          `${fmt(perDelivery / MB, 1)} MB.`,
      ].join("\n");
    } finally {
      child.kill();
    }
  },
};
