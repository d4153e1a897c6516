// Part "small" (issue 19): many small ones. Cell actions (Looker's cell request shape) and small
// form requests to debug at a fixed rate, open loop (bench/open_loop.ts, as the load part), one
// worker: zero errors required; latency p50/p95/p99/max reported per kind.
import { startHub } from "./hub_process";
import { openLoop, percentile, RequestKind } from "./open_loop";
import { Part, verdict } from "./part";
import { fmt, MB } from "./results";

const answer = (status: number, body: string) => `${status} ${body.slice(0, 100)}`;
const CELL = { type: "cell", scheduled_plan: null, attachment: null,
  data: { value: "acme-corp-1042", rendered: "Acme Corp (1042)" }, form_params: {} };

export const SMALL_TRAFFIC: RequestKind[] = [
  { name: "cell action (debug execute)", weight: 1, path: "/actions/debug/execute", body: JSON.stringify(CELL),
    check: (status, body) => status === 200 && body.includes("received cell value of 14 bytes")
      ? undefined : answer(status, body) },
  { name: "form (debug)", weight: 1, path: "/actions/debug/form",
    body: JSON.stringify({ type: "cell", data: { value: "acme-corp-1042" }, form_params: {} }),
    check: (status, body) => status === 200 && body.includes('"sleep"') ? undefined : answer(status, body) },
];

export const smallPart: Part = {
  name: "small", title: "Many small ones: cell actions and forms at 2,000 requests/s (issue 19)", needsBuild: true,
  async run(ctx) {
    const rate = Number(ctx.option("rate", "2000"));
    const seconds = Number(ctx.option("seconds", "60"));
    const hub = await startHub(ctx.root);
    try {
      const rss: number[] = [hub.rss()];
      const cpuBefore = hub.cpuSeconds();
      const generatorBefore = (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
      const result = await openLoop({ url: hub.url, key: hub.key, rate, seconds, kinds: SMALL_TRAFFIC, everyMs: 5000,
        onTick: () => { rss.push(hub.rss()); } });
      const cpu = hub.cpuSeconds() - cpuBefore;
      // Per request that reached the hub: those the generator refused (too many in flight) cost it nothing.
      const reached = result.sent - result.refused;
      const generatorCpu = (process.cpuUsage().user + process.cpuUsage().system) / 1e6 - generatorBefore;
      const ms = (n: number) => Number.isNaN(n) ? "–" : fmt(n, 1);
      const row = (name: string, sent: number, errors: number, l: number[]) =>
        `| ${name} | ${fmt(sent)} | ${fmt(errors)} | ${ms(percentile(l, 50))} | ${ms(percentile(l, 95))} | ` +
        `${ms(percentile(l, 99))} | ${ms(l[l.length - 1] ?? NaN)} |`;
      const all = result.kinds.flatMap((k) => k.latencies).sort((a, b) => a - b);
      const offered = result.sent / result.firedSeconds;
      const met = verdict(ctx, result.errors === 0 && offered >= rate * 0.99,
        `small: ${result.errors} errors at ${fmt(offered)} req/s offered`);
      const lines = [
        `Open loop at ${fmt(rate)} req/s for ${fmt(seconds)} s, one worker: half cell actions (execute, type cell, as`,
        "Looker sends them), half debug forms; every answer checked. Latency from each request's scheduled start.",
        "",
        `Offered **${fmt(offered)} req/s** (${fmt(result.sent)} requests); errors **${fmt(result.errors)}**; ` +
          `worst start lag of the generator ${fmt(result.worstStartLagMs, 1)} ms; hub CPU ${fmt(cpu, 1)} s ` +
          `(**${fmt((cpu / Math.max(1, reached)) * 1e6)} µs a request**, of ${fmt(reached)} that reached it: ` +
          `${fmt((cpu / result.firedSeconds) * 100)}% of a core); generator (the bench process) CPU ` +
          `${fmt(generatorCpu, 1)} s (${fmt((generatorCpu / result.sent) * 1e6)} µs a request). ` +
          `Target (issue 19): zero errors: ${met}.`,
        ...[...result.errorSamples].map(([message, count]) => `- ${count} × ${message.replace(/\|/g, "\\|")}`),
        "",
        "| requests | sent | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...result.kinds.map((k) => row(k.name, k.sent, k.errors, k.latencies)),
        row("**all**", result.sent, result.errors, all),
        "",
        `Hub RSS every 5 s (MB): ${rss.map((r) => fmt(r / MB)).join(", ")}`,
      ];
      ctx.say(lines.slice(3).join("\n"));
      return lines.join("\n");
    } finally {
      await hub.stop();
    }
  },
};
