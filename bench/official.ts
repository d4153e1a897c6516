// Part "official" (issue 30): this hub beside the official one (looker-open-source/actions), the
// same deliveries to the same receiver, interleaved (the order alternates each round), medians
// of `--rounds`. It needs a checkout of the official hub built with its own steps (bench/README.md,
// "Side by side with the official hub"); nothing of it is in this repository. Without
// `--official-dir` (or OFFICIAL_HUB_DIR) the part says so and measures nothing.
//
// Deliveries: zapier, which both hubs have under the same name and which takes its address from
// the form, so both post to a local receiver that checks every byte (SHA-256). Their vendor-host
// checks want a zapier.com name: bench/loopback_names.cjs, preloaded into both, resolves
// *.zapier.com to 127.0.0.1 without DNS. The row integrations (Segment, HubSpot, mParticle) and
// Slack are not compared here: the official hub sends them to the vendor's fixed https origin.
import { ChildProcess, fork } from "child_process";
import * as http from "http";
import * as path from "path";
import { Arrived, VendorPorts } from "./burst_vendors";
import { sender, standIn } from "./deliveries";
import { startHub } from "./hub_process";
import { MeasuredHub, postList, startOtherHub } from "./other_hub";
import { BenchContext, Part } from "./part";
import { csvPlan, csvSha256 } from "./payloads";
import { fmt, MB, MiB } from "./results";

const LOOPBACK_ENV = {
  NODE_OPTIONS: `-r ${path.join(__dirname, "loopback_names.cjs")}`, BENCH_LOOPBACK_DOMAINS: "zapier.com",
};

interface Measured { ms: number; cpu: number; peakRss: number; exact: number; sent: number; p99: number; }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One url delivery to zapier: Looker's execute with the download URL; answers whether it succeeded. */
function zapier(hub: MeasuredHub, downloadUrl: string, hookUrl: string): Promise<boolean> {
  const body = JSON.stringify({ type: "query", data: {}, form_params: { url: hookUrl },
    scheduled_plan: { title: "bench", download_url: downloadUrl } });
  return new Promise((resolve) => {
    const req = http.request(`${hub.url}/actions/zapier/execute`, { method: "POST", agent: false, headers: {
      "authorization": `Token token="${hub.key}"`, "content-type": "application/json" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => { text += c; });
      res.on("end", () => resolve(res.statusCode === 200 && /"success":\s*true/.test(text)));
    });
    req.on("error", () => resolve(false));
    req.end(body);
  });
}

/** Runs `count` deliveries at once, sampling the tree's RSS and probing POST / every 50 ms. */
async function measure(hub: MeasuredHub, vendors: Vendors, served: Served, count: number): Promise<Measured> {
  const hook = `http://bench.zapier.com:${vendors.ports.webhook}/hooks/catch/1/bench/`;
  const download = `http://127.0.0.1:${served.port}/download`;
  let peakRss = hub.rss();
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, hub.rss()); }, 100);
  const latencies: number[] = [];
  let probing = true;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const probe = (async () => {
    while (probing) {
      latencies.push((await postList(hub.url, hub.key, agent)).ms);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const cpuBefore = hub.cpuSeconds();
  const started = process.hrtime.bigint();
  const answers = await Promise.all(Array.from({ length: count }, () => zapier(hub, download, hook)));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = hub.cpuSeconds() - cpuBefore;
  probing = false;
  await probe;
  clearInterval(sampler);
  agent.destroy();
  const arrived = await vendors.report();
  const exact = arrived.webhook.filter((w) => w.sha256 === served.sha256 && w.bytes === served.bytes).length;
  const sorted = latencies.sort((a, b) => a - b);
  return { ms, cpu, peakRss, exact: Math.min(exact, answers.filter(Boolean).length), sent: count,
    p99: sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? 0 };
}

interface Vendors { ports: VendorPorts; report(): Promise<Arrived>; child: ChildProcess; }
interface Served { port: number; bytes: number; sha256: string; child: ChildProcess; }

async function startVendors(): Promise<Vendors> {
  const child = standIn(fork(path.join(__dirname, "burst_vendors.ts"), [],
    { execArgv: ["-r", "ts-node/register/transpile-only"] }));
  const ports = await new Promise<VendorPorts>((resolve) => child.once("message", (m) => resolve(m as VendorPorts)));
  const report = () => new Promise<Arrived>((resolve) => {
    child.once("message", (m) => resolve(m as Arrived));
    child.send("report");
  });
  return { ports, report, child };
}

async function serve(mib: number): Promise<Served> {
  const source = sender("serve", [String(mib)]);
  const served = await source.message;
  return { port: served.port, bytes: csvPlan(mib).totalBytes, sha256: csvSha256(mib), child: source.child };
}

export const officialPart: Part = {
  name: "official", title: "Side by side with the official hub (issue 30)", needsBuild: true,
  async run(ctx: BenchContext) {
    const dir = ctx.option("official-dir", process.env.OFFICIAL_HUB_DIR ?? "");
    if (!dir) {
      const why = "Not measured: no checkout of the official hub (`--official-dir <path>` or OFFICIAL_HUB_DIR; " +
        "bench/README.md says how to build one).";
      ctx.say(why);
      return why;
    }
    const start = ctx.option("official-start", "yarn start");
    const rounds = Number(ctx.option("rounds", "3"));
    const mib = Number(ctx.option("mib", "1024"));
    const burst = Number(ctx.option("burst", "50"));
    const burstMib = Number(ctx.option("burst-mib", "20"));
    const extra = Object.fromEntries(ctx.option("official-env", "").split(",").filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    const vendors = await startVendors();
    const big = await serve(mib);
    const small = await serve(burstMib);
    const ourHub = await startHub(ctx.root, { workers: "default", env: {
      ...LOOPBACK_ENV, ALLOW_PRIVATE_URLS: "true", ALLOW_HTTP_URLS: "true" } });
    const ours: MeasuredHub = { label: "this hub", url: ourHub.url, key: ourHub.key, rss: ourHub.rss,
      cpuSeconds: ourHub.cpuSeconds, stop: ourHub.stop };
    let theirs: MeasuredHub | undefined;
    try {
      theirs = await startOtherHub("the official hub", path.resolve(dir), start, { ...LOOPBACK_ENV, ...extra });
      const runs = new Map<MeasuredHub, { url: Measured[]; burst: Measured[] }>(
        [[ours, { url: [], burst: [] }], [theirs, { url: [], burst: [] }]]);
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 ? [theirs, ours] : [ours, theirs];
        for (const hub of order) {
          const one = await measure(hub, vendors, big, 1);
          const many = await measure(hub, vendors, small, burst);
          runs.get(hub)!.url.push(one);
          runs.get(hub)!.burst.push(many);
          ctx.say(`round ${round + 1}, ${hub.label}: ${fmt(mib / (one.ms / 1000))} MiB/s (${one.exact}/1 exact), ` +
            `burst ${fmt(many.ms / 1000, 1)} s (${many.exact}/${burst} exact), POST / p99 ${fmt(many.p99, 1)} ms`);
        }
      }
      return table(runs, ours, theirs, { rounds, mib, burst, burstMib });
    } finally {
      await theirs?.stop();
      await ours.stop();
      for (const child of [vendors.child, big.child, small.child]) { child.kill(); }
    }
  },
};

function table(runs: Map<MeasuredHub, { url: Measured[]; burst: Measured[] }>, ours: MeasuredHub,
  theirs: MeasuredHub, plan: { rounds: number; mib: number; burst: number; burstMib: number }): string {
  const of = (hub: MeasuredHub, kind: "url" | "burst", pick: (m: Measured) => number) =>
    median(runs.get(hub)![kind].map(pick));
  const rows: Array<[string, (m: Measured) => number, "url" | "burst", "higher" | "lower", (n: number) => string]> = [
    [`url delivery of ${fmt(plan.mib)} MiB: MiB/s`, (m) => plan.mib / (m.ms / 1000), "url", "higher", (n) => fmt(n)],
    ["… hub CPU s per GiB", (m) => m.cpu / (plan.mib / 1024), "url", "lower", (n) => fmt(n, 2)],
    ["… peak RSS of the hub's processes (MB)", (m) => m.peakRss / MB, "url", "lower", (n) => fmt(n)],
    [`${plan.burst} at once of ${plan.burstMib} MiB: wall time (s)`, (m) => m.ms / 1000, "burst", "lower", (n) => fmt(n, 1)],
    ["… POST / p99 during it (ms)", (m) => m.p99, "burst", "lower", (n) => fmt(n, 1)],
    ["… peak RSS of the hub's processes (MB)", (m) => m.peakRss / MB, "burst", "lower", (n) => fmt(n)],
  ];
  const exact = (hub: MeasuredHub) => [...runs.get(hub)!.url, ...runs.get(hub)!.burst]
    .reduce((sum, m) => sum + m.exact, 0);
  const sent = (hub: MeasuredHub) => [...runs.get(hub)!.url, ...runs.get(hub)!.burst]
    .reduce((sum, m) => sum + m.sent, 0);
  return [
    `The same url deliveries to \`zapier\` (a local receiver checking each body's SHA-256), each hub as shipped ` +
      `(this one: a worker per core; the official one: its start command), ${plan.rounds} rounds interleaved, ` +
      "medians. Memory is every process of each hub summed, sampled every 100 ms.",
    "",
    "| measure | this hub | official hub | this hub's advantage |",
    "| --- | --- | --- | --- |",
    ...rows.map(([label, pick, kind, better, show]) => {
      const a = of(ours, kind, pick);
      const b = of(theirs, kind, pick);
      const ratio = better === "higher" ? a / b : b / a;
      return `| ${label} | ${show(a)} | ${show(b)} | ${fmt(ratio, 2)}× |`;
    }),
    `| deliveries that arrived byte-exact | ${exact(ours)} of ${sent(ours)} | ${exact(theirs)} of ${sent(theirs)} | |`,
    "",
    `MiB are of the CSV served (${fmt(plan.mib * MiB / MB)} MB); advantage above 1 means this hub does better.`,
  ].join("\n");
}
