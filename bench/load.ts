// Parts "load" and "soak" (issue 7 item 8): mixed list / form / execute traffic (the debug
// integration, small CSV and JSON deliveries) at a fixed rate, open loop, against the compiled
// hub in production mode. "load": 200 req/s for 60 s, with one worker and with the default
// cluster, zero errors required. "soak": a moderate rate for 10 minutes; the hub's RSS must stay flat.
import * as http from "http";
import { Hub, startHub } from "./hub_process";
import { openLoop, OpenLoopResult, percentile, RequestKind } from "./open_loop";
import { BenchContext, Part } from "./part";
import { fmt, MB } from "./results";

const ROWS = 20;
const csv = "id,name,amount\n" + Array.from({ length: ROWS }, (_, i) => `${i},"Customer ${i}",${i * 3}.50\n`).join("");
const json = Array.from({ length: ROWS },
  (_, i) => ({ "users.id": i, "users.name": `Customer ${i}`, "orders.total": i * 3.5 }));
const plan = { title: "load test", query_id: 1 };
const answer = (status: number, body: string) => `${status} ${body.slice(0, 100)}`;
const delivered = (status: number, body: string) =>
  status === 200 && body.includes('"success":true') && body.includes(`${ROWS} rows`)
    ? undefined : answer(status, body);

export const MIXED_TRAFFIC: RequestKind[] = [
  { name: "list (POST /)", weight: 3, path: "/", body: "{}",
    check: (status, body) => status === 200 && body.includes('"integrations"') ? undefined : answer(status, body) },
  { name: "form (debug)", weight: 2, path: "/actions/debug/form", body: JSON.stringify({ data: {}, form_params: {} }),
    check: (status, body) => status === 200 && body.includes('"sleep"') ? undefined : answer(status, body) },
  { name: "execute, CSV push", weight: 3, path: "/actions/debug/execute", check: delivered,
    body: JSON.stringify({ type: "query", scheduled_plan: plan, data: {}, form_params: {},
      attachment: { mimetype: "text/csv", extension: "csv", data: csv } }) },
  { name: "execute, JSON push", weight: 2, path: "/actions/debug/execute", check: delivered,
    body: JSON.stringify({ type: "query", scheduled_plan: plan, data: {}, form_params: {},
      attachment: { mimetype: "application/json", extension: "json", data: json } }) },
];

function latencyTable(result: OpenLoopResult): string[] {
  const ms = (n: number) => Number.isNaN(n) ? "–" : fmt(n, 1);
  const row = (name: string, sent: number, errors: number, l: number[]) =>
    `| ${name} | ${fmt(sent)} | ${fmt(errors)} | ${ms(percentile(l, 50))} | ${ms(percentile(l, 95))} | ` +
    `${ms(percentile(l, 99))} | ${ms(l[l.length - 1] ?? NaN)} |`;
  const all = result.kinds.flatMap((k) => k.latencies).sort((a, b) => a - b);
  return [
    "| requests | sent | errors | p50 ms | p95 ms | p99 ms | max ms |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...result.kinds.map((k) => row(k.name, k.sent, k.errors, k.latencies)),
    row("**all**", result.sent, result.errors, all),
  ];
}

function errorLines(result: OpenLoopResult): string[] {
  return [...result.errorSamples].map(([message, count]) => `- ${count} × ${message.replace(/\|/g, "\\|")}`);
}

/** Runs mixed traffic against `hub`, sampling its RSS (all processes) at the start and every 5 s. */
async function drive(hub: Hub, rate: number, seconds: number, onSample?: (t: number, rss: number) => void) {
  const samples: Array<{ t: number; rss: number }> = [{ t: 0, rss: hub.rss() }];
  onSample?.(0, samples[0].rss);
  const result = await openLoop({
    url: hub.url, key: hub.key, rate, seconds, kinds: MIXED_TRAFFIC, everyMs: 5000,
    onTick: (t) => { const rss = hub.rss(); samples.push({ t, rss }); onSample?.(t, rss); },
  });
  if (seconds - samples[samples.length - 1].t >= 2.5) { samples.push({ t: seconds, rss: hub.rss() }); }
  return { result, samples };
}

export const loadPart: Part = {
  name: "load", title: "Load test: mixed traffic at a fixed rate (issue 7 item 8)", needsBuild: true,
  async run(ctx: BenchContext) {
    const rate = Number(ctx.option("rate", "200"));
    const seconds = Number(ctx.option("seconds", "60"));
    const setups = ctx.option("workers", "1,default").split(",").map((w) => w === "default" ? "default" : Number(w));
    const out = [
      `Open loop: request i starts at i / ${fmt(rate)} s whatever the answers before it; latency counts from`,
      "that scheduled start. Traffic, in a fixed interleaved pattern: 30% POST / (list), 20% debug form,",
      `30% debug execute with a ${ROWS}-row CSV push, 20% with a ${ROWS}-row inline JSON push; each answer is`,
      "checked (status 200 and its content; an execute must report all rows). Keep-alive sockets, 10 s timeout.",
      `Requirement: zero errors at ${fmt(rate)} req/s for ${fmt(seconds)} s. RSS is the sum over the hub's processes.`,
    ];
    for (const workers of setups) {
      const hub = await startHub(ctx.root, { workers });
      try {
        ctx.say(`load: ${workers} worker(s), ${rate} req/s, ${seconds} s`);
        const { result, samples } = await drive(hub, rate, seconds, (t, rss) => ctx.say(`  t=${t}s RSS ${fmt(rss / MB)} MB`));
        const label = workers === "default" ? "default cluster (WEB_CONCURRENCY unset: one worker per core)" : `WEB_CONCURRENCY=${workers}`;
        const achieved = result.sent / result.firedSeconds;
        const okRate = (result.sent - result.errors) / result.seconds;
        out.push("", `### ${label}: ${hub.pids().length} process(es)`, "",
          `Offered: ${fmt(result.sent)} requests in ${fmt(result.firedSeconds, 2)} s = **${fmt(achieved, 1)} req/s** ` +
          `(target ${fmt(rate)}); answered without error: ${fmt(okRate, 1)} req/s over ${fmt(result.seconds, 2)} s; ` +
          `worst start lag of the generator ${fmt(result.worstStartLagMs, 1)} ms.  `,
          `Errors: **${fmt(result.errors)}** — ${result.errors === 0 ? "requirement met" : "**requirement not met**"}.`,
          ...errorLines(result), "", ...latencyTable(result), "",
          `RSS every 5 s (MB): ${samples.map((s) => fmt(s.rss / MB)).join(", ")}`);
        ctx.say(`  offered ${fmt(result.sent / result.firedSeconds, 1)} req/s, errors ${result.errors}, ` +
          `worst start lag ${fmt(result.worstStartLagMs, 1)} ms`);
        ctx.say(latencyTable(result).join("\n"));
      } finally {
        await hub.stop();
      }
    }
    return out.join("\n");
  },
};

/** Least-squares slope of y over x. */
function slope(points: Array<{ x: number; y: number }>): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den ? num / den : 0;
}

/** The hub's V8 heap in use, from GET /metrics (prom-client's nodejs_heap_size_used_bytes). */
function heapUsed(hub: Hub): Promise<number> {
  return new Promise((resolve) => {
    http.get(`${hub.url}/metrics`, (res) => {
      let text = "";
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve(Number(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(text)?.[1] ?? NaN)));
    }).on("error", () => resolve(NaN));
  });
}

/** Flat: after the warm-up (the first 20% of the run), RSS grows by less than this, fitted over time. */
export const FLAT_MB_PER_MINUTE = 1;

export const soakPart: Part = {
  name: "soak", title: "Soak: mixed traffic at a moderate rate; RSS must stay flat (issue 7 item 8)", needsBuild: true,
  async run(ctx: BenchContext) {
    const minutes = Number(ctx.option("minutes", "10"));
    const rate = Number(ctx.option("rate", "50"));
    const hub = await startHub(ctx.root, { workers: 1 });
    const heaps: Array<{ t: number; heap: number }> = [];
    try {
      ctx.say(`soak: 1 worker, ${rate} req/s, ${minutes} min`);
      const { result, samples } = await drive(hub, rate, minutes * 60, (t, rss) => {
        heapUsed(hub).then((heap) => heaps.push({ t, heap }));
        if (t % 60 === 0) { ctx.say(`  t=${t}s RSS ${fmt(rss / MB)} MB`); }
      });
      const warmup = minutes * 60 * 0.2;
      const after = samples.filter((s) => s.t >= warmup);
      const mbPerMin = slope(after.map((s) => ({ x: s.t / 60, y: s.rss / MB })));
      const heapSlope = slope(heaps.filter((h) => h.t >= warmup && !Number.isNaN(h.heap))
        .map((h) => ({ x: h.t / 60, y: h.heap / MB })));
      const at = (t: number) => samples.reduce((best, s) => Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best);
      const mid = at(minutes * 30);
      const flat = mbPerMin < FLAT_MB_PER_MINUTE;
      const pass = flat && result.errors === 0;
      const line = (t: number) => `${fmt(at(t).rss / MB)} MB`;
      return [
        `${fmt(minutes)} minutes at ${fmt(rate)} req/s, the load test's traffic mix, one worker (WEB_CONCURRENCY=1).`,
        `**Flat** means: after a warm-up of the first 20% of the run (${fmt(warmup / 60, 1)} min), the least-squares`,
        `slope of the hub's RSS (sampled every 5 s) is under ${FLAT_MB_PER_MINUTE} MB per minute; and zero errors.`,
        "",
        `Result: **${pass ? "pass" : "FAIL"}** — RSS slope after warm-up **${fmt(mbPerMin, 2)} MB/min** ` +
          `(${flat ? "flat" : "not flat"}); V8 heap in use slope ${fmt(heapSlope, 2)} MB/min; ` +
          `errors ${fmt(result.errors)} of ${fmt(result.sent)}.`,
        ...errorLines(result),
        "",
        `| RSS at start (before traffic) | at warm-up end (${fmt(warmup / 60, 1)} min) | middle (${fmt(mid.t / 60, 1)} min) | end | lowest | highest after warm-up |`,
        "| --- | --- | --- | --- | --- | --- |",
        `| ${line(0)} | ${line(warmup)} | ${fmt(mid.rss / MB)} MB | ` +
          `${fmt(samples[samples.length - 1].rss / MB)} MB | ` +
          `${fmt(Math.min(...samples.map((s) => s.rss)) / MB)} MB | ${fmt(Math.max(...after.map((s) => s.rss)) / MB)} MB |`,
        "",
        `Offered ${fmt(result.sent / result.firedSeconds, 1)} req/s; latencies over the whole soak:`,
        "",
        ...latencyTable(result),
        "",
        `RSS each minute (MB): ${samples.filter((s) => s.t % 60 === 0).map((s) => fmt(s.rss / MB)).join(", ")}`,
      ].join("\n");
    } finally {
      await hub.stop();
    }
  },
};
