// Part "webhookspeed" (issue 30, part 1): bytes at the speed the hub reads them. In one run,
// the same CSV (1 GiB by default) three ways, each on a fresh hub: a download_url delivery to
// debug (the hub's own read speed, the reference), the same download to webhook, posted to a
// local receiver that hashes what it gets, and the same CSV pushed in the execute body (a JSON
// string with escapes) to webhook. Reports MiB/s, hub CPU s/GiB, peak RSS, the worst GET
// /status, and the ratios the issue sets: url to webhook ≥ 60% of the read speed, push ≥ 80% of
// url. With `--busy no,yes` (the default) the three run again beside a second process spinning
// at normal priority (`node -e 'for(;;){}'`), so both conditions are in one run.
import { BUSY_SAID, busyConditions, spinOnCores } from "./busy";
import { probeStatus, startHub } from "./hub_process";
import { executeWithUrl, sender } from "./deliveries";
import { BenchContext, Part, verdict } from "./part";
import { csvSha256 } from "./payloads";
import { fmt, MB, MiB } from "./results";

const URL_TARGET = 0.6;
const PUSH_TARGET = 0.8;
const RSS_TARGET_MB = 150;

type Way = "read" | "url" | "push";

interface Measured {
  mibs: number; cpuPerGib: number; peakMb: number; worstMs: number; ok: boolean; answer: string;
  /** How the receiver was told the length (webhook only). */
  framing?: string;
}

interface Received { bytes: number; sha256: string; framing: string; }

const HUB_ENV = { ALLOW_HTTP_URLS: "true", ALLOW_PRIVATE_URLS: "true" };

async function measure(ctx: BenchContext, mib: number, way: Way, sha256: string): Promise<Measured> {
  // `--hub-env K=V,K2=V2` adds to the hub's environment (experiments: HTTP_MAX_ATTEMPTS=1, ...).
  const extra = Object.fromEntries(ctx.option("hub-env", "").split(",").filter(Boolean).map((kv) => kv.split("=", 2)));
  const hub = await startHub(ctx.root, { env: { ...HUB_ENV, ...extra } });
  const source = way === "push" ? undefined : sender("serve", [String(mib)]);
  const receiver = way === "read" ? undefined : sender("hash-receiver", []);
  try {
    const served = source ? await source.message : undefined;
    const hook = receiver ? `http://127.0.0.1:${(await receiver.message).port}/in` : "";
    const received = receiver
      ? new Promise<Received>((resolve) => receiver.child.once("message", resolve as (m: unknown) => void))
      : undefined;
    const download = served ? `http://127.0.0.1:${served.port}/download/once` : "";
    const cpuBefore = hub.cpuSeconds();
    const probe = probeStatus(hub.url);
    const result: { ms: number; csvBytes: number; answer: string } =
      way === "read" ? await executeWithUrl(hub, download, served.csvBytes)
      : way === "url" ? await executeWithUrl(hub, download, served.csvBytes, "webhook", { url: hook })
      : await sender("push", [hub.url, hub.key, String(mib), "webhook", JSON.stringify({ form_params: { url: hook } }),
        "string"]).message;
    const cpu = hub.cpuSeconds() - cpuBefore;
    const { worstMs } = await probe.stop();
    let ok = /"success":true/.test(result.answer);
    let framing: string | undefined;
    if (received) {
      const late = new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000).unref());
      const got = await Promise.race([received, late]);
      ok = ok && got?.bytes === result.csvBytes && got.sha256 === sha256;
      framing = got?.framing;
    } else {
      ok = ok && result.answer.includes(`received ${result.csvBytes} bytes`);
    }
    return {
      mibs: result.csvBytes / MiB / (result.ms / 1000), cpuPerGib: cpu / (result.csvBytes / 1024 ** 3),
      peakMb: hub.peakRss() / MB, worstMs, ok, answer: result.answer.slice(0, 160), framing,
    };
  } finally {
    source?.child.kill();
    receiver?.child.kill();
    await hub.stop();
  }
}

const LABELS: Record<Way, string> = {
  read: "download_url → debug (the hub's read speed)",
  url: "download_url → webhook",
  push: "push (JSON string with escapes) → webhook",
};

async function table(ctx: BenchContext, mib: number, rounds: number, busy: boolean, sha256: string,
  ways: Way[]): Promise<string[]> {
  const spin = spinOnCores(busy ? 1 : 0);
  const best: Partial<Record<Way, Measured>> = {};
  const condition = busy ? "busy" : "quiet";
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const way of ways) {
        const m = await measure(ctx, mib, way, sha256);
        ctx.say(`${condition} round ${round} ${way}: ${fmt(m.mibs)} MiB/s, hub CPU ${fmt(m.cpuPerGib, 2)} s/GiB, ` +
          `peak RSS ${fmt(m.peakMb)} MB, worst /status ${fmt(m.worstMs, 1)} ms${m.framing ? `, ${m.framing}` : ""}` +
          `${m.ok ? "" : `, FAILED: ${m.answer}`}`);
        if (!m.ok) { ctx.fail(`${condition} ${way}: the delivery failed or arrived changed: ${m.answer}`); }
        if (!best[way] || m.mibs > best[way]!.mibs) { best[way] = m; }
      }
    }
  } finally {
    spin.stop();
  }
  const lines = [
    busy ? `**With ${BUSY_SAID}:**`
      : "**Without the spinner** (the bench's own processes, and whatever else the load average above shows):",
    "",
    "| delivery | throughput | hub CPU per GiB | hub peak RSS (≤ 150 MB) | worst GET /status | receiver got | ratio | target |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const way of ways) {
    const m = best[way]!;
    const [ratio, target, of] = way === "read" ? [1, 0, ""]
      : way === "url" ? [m.mibs / (best.read?.mibs ?? NaN), URL_TARGET, "of the read speed"]
        : [m.mibs / (best.url?.mibs ?? NaN), PUSH_TARGET, "of url → webhook"];
    const met = way === "read" ? "reference" : verdict(ctx, ratio >= target,
      `${condition}, ${LABELS[way]}: ${fmt(ratio * 100)}% ${of} (target ${target * 100}%)`);
    const rss = verdict(ctx, m.peakMb <= RSS_TARGET_MB, `${condition}, ${LABELS[way]}: peak RSS ${fmt(m.peakMb)} MB`);
    const got = way === "read" ? "–" : m.ok ? `same SHA-256, ${m.framing}` : "**changed or missing**";
    lines.push(`| ${LABELS[way]} | ${fmt(m.mibs)} MiB/s | ${fmt(m.cpuPerGib, 2)} s | ${fmt(m.peakMb)} MB (${rss}) | ` +
      `${fmt(m.worstMs, 1)} ms | ${got} | ${way === "read" ? "1.00" : `${fmt(ratio, 2)} ${of}`} | ` +
      `${way === "read" ? met : `≥ ${fmt(target, 2)}: ${met}`} |`);
  }
  for (const line of lines.slice(-3)) { ctx.say(line); }
  return lines;
}

export const webhookSpeedPart: Part = {
  name: "webhookspeed", title: "Bytes at the speed the hub reads them: download_url and push to webhook (issue 30)",
  needsBuild: true,
  async run(ctx) {
    const mib = Number(ctx.option("mb", "1024"));
    const rounds = Number(ctx.option("rounds", "2"));
    const conditions = busyConditions(ctx, "no,yes");
    // `--ways url` (say) runs only some, to profile one (--cpu-prof); ratios need all three.
    const ways = ctx.option("ways", "read,url,push").split(",").filter(Boolean) as Way[];
    const sha256 = csvSha256(mib);
    const lines = [
      `The same ${fmt(mib)} MiB of CSV three ways (fresh hub each, one worker), ${rounds} round(s); the best of each.`,
      "The webhook receiver (a helper process at nice 10, as the other stand-ins) hashes each body as it arrives;",
      "its SHA-256 and length are checked against the CSV sent. Targets (issue 30): download_url → webhook ≥ 60% of",
      "the read speed, push → webhook ≥ 80% of download_url → webhook, hub peak RSS ≤ 150 MB.",
      "",
    ];
    for (const condition of conditions) {
      lines.push(...await table(ctx, mib, rounds, condition, sha256, ways), "");
    }
    return lines.join("\n").trimEnd();
  },
};
