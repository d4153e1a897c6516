// Part "copyspeed" (issue 19): the same 1 GiB of CSV delivered to debug three ways in one run:
// fetched from a download URL (the reference: bytes straight from the socket), pushed in the
// execute body as a JSON string with escapes, and pushed base64-encoded. Reports MiB/s of
// CSV, the hub's CPU seconds per GiB, and each push's ratio to the url path's rate; a ratio
// under the target fails the run. Each delivery gets a fresh hub; `--rounds` repeats the
// three and keeps each one's best (the machine is shared: a round can lose a core).
import { probeStatus, startHub } from "./hub_process";
import { executeWithUrl, sender } from "./deliveries";
import { BenchContext, Part, verdict } from "./part";
import { fmt, MB, MiB } from "./results";

const TARGET = 0.8;

interface Measured { mibs: number; cpuPerGib: number; peakMb: number; worstMs: number; ok: boolean; answer: string; }

async function measure(ctx: BenchContext, mib: number, way: "url" | "push" | "base64"): Promise<Measured> {
  const hub = await startHub(ctx.root);
  const source = way === "url" ? sender("serve", [String(mib)]) : undefined;
  try {
    const served = source ? await source.message : undefined;
    const cpuBefore = hub.cpuSeconds();
    const probe = probeStatus(hub.url);
    const result: { ms: number; csvBytes: number; answer: string } = served
      ? await executeWithUrl(hub, `http://127.0.0.1:${served.port}/download/once`, served.csvBytes)
      : await sender("push", [hub.url, hub.key, String(mib), "debug", "{}", way === "base64" ? "base64" : "string"])
        .message;
    const cpu = hub.cpuSeconds() - cpuBefore;
    const { worstMs } = await probe.stop();
    const ok = /"success":true/.test(result.answer) && result.answer.includes(`received ${result.csvBytes} bytes`);
    return {
      mibs: result.csvBytes / MiB / (result.ms / 1000), cpuPerGib: cpu / (result.csvBytes / 1024 ** 3),
      peakMb: hub.peakRss() / MB, worstMs, ok, answer: result.answer.slice(0, 160),
    };
  } finally {
    source?.child.kill();
    await hub.stop();
  }
}

export const copySpeedPart: Part = {
  name: "copyspeed", title: "Push at copy speed: push and base64 push against download_url (issue 19)",
  needsBuild: true,
  async run(ctx) {
    const mib = Number(ctx.option("mb", "1024"));
    const rounds = Number(ctx.option("rounds", "2"));
    const best: Record<string, Measured | undefined> = {};
    for (let round = 1; round <= rounds; round++) {
      for (const way of ["url", "push", "base64"] as const) {
        const m = await measure(ctx, mib, way);
        ctx.say(`round ${round} ${way}: ${fmt(m.mibs)} MiB/s, hub CPU ${fmt(m.cpuPerGib, 2)} s/GiB, ` +
          `peak RSS ${fmt(m.peakMb)} MB, worst /status ${fmt(m.worstMs, 1)} ms${m.ok ? "" : `, FAILED: ${m.answer}`}`);
        if (!m.ok) { ctx.fail(`${way}: the delivery failed: ${m.answer}`); }
        if (!best[way] || m.mibs > best[way]!.mibs) { best[way] = m; }
      }
    }
    const url = best.url!;
    const lines = [
      `The same ${fmt(mib)} MiB of CSV to debug (fresh hub each, one worker), ${rounds} round(s); the best of each kind.`,
      "MiB/s are of the CSV as delivered (base64: the decoded bytes; 4/3 as many crossed the wire).",
      `Target (issue 19): each push at ≥ ${TARGET * 100}% of the download_url rate of the same run.`,
      "",
      "| delivery | throughput | hub CPU per GiB | hub peak RSS | worst GET /status | ratio to url | target |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    ];
    for (const [way, label] of [["url", "download_url"], ["push", "push, JSON string with escapes"],
      ["base64", "push, base64"]] as const) {
      const m = best[way]!;
      const ratio = m.mibs / url.mibs;
      const target = way === "url" ? "reference" : verdict(ctx, ratio >= TARGET,
        `${label}: ${fmt(ratio * 100)}% of the url rate (target ${TARGET * 100}%)`);
      lines.push(`| ${label} | ${fmt(m.mibs)} MiB/s | ${fmt(m.cpuPerGib, 2)} s | ${fmt(m.peakMb)} MB | ` +
        `${fmt(m.worstMs, 1)} ms | ${way === "url" ? "1.00" : fmt(ratio, 2)} | ${target} |`);
    }
    for (const line of lines.slice(-3)) { ctx.say(line); }
    return lines.join("\n");
  },
};
