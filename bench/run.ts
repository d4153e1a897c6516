// npm run bench [-- part ...] [--sizes 10,200,1024] [--rows 1000000] [--no-write]
// Parts: list (POST / throughput), push, download, rows. Default: all of them.
// The hub runs as a child process from compiled JavaScript (npm run build first, done here).
import autocannon from "autocannon";
import { execSync, fork } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { Delivery } from "../src/hub/delivery";
import { jsonDetailItems } from "../src/hub/rows";
import { Hub, probeStatus, startHub } from "./hub_process";
import { detailRow } from "./payloads";

const ROOT = path.join(__dirname, "..");
const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const optionValues = new Set([option("sizes", ""), option("rows", "")]);
const named = args.filter((a) => !a.startsWith("--") && !optionValues.has(a));
const parts = named.length ? named : ["list", "push", "download", "rows"];
const sizes = option("sizes", "10,200,1024").split(",").map(Number);
const rowCount = Number(option("rows", "1000000"));
const lines: string[] = [];
const say = (line: string) => { lines.push(line); process.stdout.write(line + "\n"); };
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function sender(mode: string, argv: string[]): { child: ReturnType<typeof fork>; message: Promise<any> } {
  const execArgv = ["-r", "ts-node/register/transpile-only"];
  const child = fork(path.join(__dirname, "sender.ts"), [mode, ...argv], { execArgv });
  return { child, message: new Promise((resolve) => child.once("message", resolve)) };
}

async function benchList(): Promise<void> {
  const hub = await startHub(ROOT);
  try {
    const run = (duration: number) => autocannon({
      url: `${hub.url}/`, method: "POST", connections: 10, duration,
      headers: { authorization: `Token token="${hub.key}"` },
    });
    await run(2);
    const result = await run(10);
    say(`| POST / (10 connections, 10 s) | ${fmt(result.requests.average)} req/s | ` +
      `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms | ` +
      `${result.non2xx} non-2xx, ${result.errors} errors | target ≥ 3,000 req/s |`);
  } finally {
    await hub.stop();
  }
}

interface Timed { ms: number; csvBytes: number; answer: string; }

async function timedDelivery(label: string, hub: Hub, run: () => Promise<Timed>) {
  const probe = probeStatus(hub.url);
  const result = await run();
  const { worstMs, probes } = await probe.stop();
  const mibs = result.csvBytes / MiB / (result.ms / 1000);
  const ok = /"success":true/.test(result.answer) && /received \d+ bytes/.test(result.answer);
  const answer = ok ? "ok" : "FAILED: " + result.answer.slice(0, 120);
  say(`| ${label} ${fmt(result.csvBytes / MiB)} MiB CSV | ${fmt(result.ms / 1000, 2)} s | ${fmt(mibs)} MiB/s | ` +
    `${fmt(hub.peakRss() / MiB)} MB | ${fmt(worstMs, 1)} ms (${probes} probes) | ${answer} |`);
}

async function benchPush(): Promise<void> {
  for (const mib of sizes) {
    const hub = await startHub(ROOT);
    try {
      await timedDelivery("push", hub, async () => {
        const { message } = sender("push", [hub.url, hub.key, String(mib)]);
        return message;
      });
    } finally {
      await hub.stop();
    }
  }
}

async function benchDownload(): Promise<void> {
  for (const mib of sizes.filter((s) => s >= 200)) {
    const hub = await startHub(ROOT);
    const source = sender("serve", [String(mib)]);
    try {
      const served = await source.message;
      await timedDelivery("download_url", hub, () => new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const body = JSON.stringify({
          type: "query", data: {}, form_params: { format: "csv" },
          scheduled_plan: { title: "bench", download_url: `http://127.0.0.1:${served.port}/download/once` },
        });
        const req = http.request(`${hub.url}/actions/debug/execute`, {
          method: "POST", headers: { "Authorization": `Token token="${hub.key}"`, "Content-Type": "application/json" },
        }, (res) => {
          let text = "";
          res.on("data", (c) => { text += c; });
          res.on("end", () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            resolve({ ms, csvBytes: served.csvBytes, answer: text });
          });
        });
        req.on("error", reject);
        req.end(body);
      }));
    } finally {
      source.child.kill();
      await hub.stop();
    }
  }
}

function detailDelivery(format: string, rows: number): Delivery {
  const lite = format === "json_detail_lite_stream";
  const perBlock = 1000;
  const block = Buffer.from(Array.from({ length: perBlock }, (_, i) => detailRow(i, lite)).join(",") + ",");
  const last = Buffer.from(detailRow(rows, lite));
  const fields = { dimensions: [{ name: "users.id" }], measures: [] };
  const head = Buffer.from(JSON.stringify({ fields }).slice(0, -1) + ',"data":[');
  const tail = Buffer.from('],"ran_at":"2024-01-01T00:00:00Z"}');
  const blocks = Math.floor((rows - 1) / perBlock);
  const rest = rows - 1 - blocks * perBlock;
  const extra = Buffer.from(Array.from({ length: rest }, (_, i) => detailRow(i, lite) + ",").join(""));
  function* chunks() {
    yield head;
    for (let k = 0; k < blocks; k++) { yield block; }
    yield extra; yield last; yield tail;
  }
  const stream = async () => Readable.from(chunks(), { objectMode: false });
  return { source: "push", format, mimetype: undefined, stream };
}

async function benchRows(): Promise<void> {
  for (const format of ["json_detail", "json_detail_lite_stream"]) {
    const before = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    let rows = 0;
    let bytes = 0;
    const delivery = detailDelivery(format, rowCount);
    for await (const item of jsonDetailItems(delivery)) {
      if (item.kind === "row") { rows++; }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    bytes = rowCount * detailRow(rowCount / 2, format !== "json_detail").length;
    const target = format === "json_detail_lite_stream" ? "target ≥ 200,000 rows/s" : "no target";
    const growth = Math.max(0, process.memoryUsage().rss - before) / MiB;
    say(`| ${format} reader, ${fmt(rows)} rows (~${fmt(bytes / MiB)} MiB) | ${fmt(seconds, 2)} s | ` +
      `${fmt(rows / seconds)} rows/s | RSS growth ${fmt(growth)} MB | ${target} |`);
  }
}

const RESULTS_INTRO = `# Benchmark results

Written by \`npm run bench\` (a full run; partial runs go to bench/out/partial.md).
Targets (issue 3): push and download_url of 1 GiB at >= 150 MiB/s with the hub's peak
RSS under 150 MB and GET /status under 100 ms at worst; json_detail_lite_stream reader
>= 200,000 rows/s; POST / >= 3,000 req/s with 10 connections. The hub runs as a child
process from compiled JavaScript; the sending client and the download source run in a
second process; the /status probe (every 25 ms) runs in the benchmark process. Peak RSS
is the kernel's VmHWM of the hub process. MiB are of CSV as delivered to the integration.

`;

async function main(): Promise<void> {
  if (parts.some((p) => p !== "rows")) {
    process.stdout.write("Building (npm run build)...\n");
    execSync("npm run build", { cwd: ROOT, stdio: "ignore" });
  }
  const cpu = (os.cpus()[0]?.model ?? "unknown").trim();
  const header = [
    `Command: \`npm run bench${args.length ? " -- " + args.join(" ") : ""}\``,
    `Machine: ${os.cpus().length} CPUs (nproc), ${cpu}, node ${process.version}, ${fmt(os.totalmem() / 1024 ** 3)} GiB RAM; ` +
      `load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `Date: ${new Date().toISOString()}`,
    os.loadavg()[0] > os.cpus().length / 2
      ? "Note: taken under shared load (other processes were using the CPUs); an idle machine does better."
      : "The machine was otherwise idle.",
    "",
  ];
  header.forEach((l) => say(l));
  if (parts.includes("list")) {
    say("| benchmark | throughput | latency | errors | target |\n| --- | --- | --- | --- | --- |");
    await benchList();
    say("");
  }
  if (parts.includes("push") || parts.includes("download")) {
    say("| delivery to debug | wall time | throughput | hub peak RSS | worst GET /status | answer |\n| --- | --- | --- | --- | --- | --- |");
    if (parts.includes("push")) { await benchPush(); }
    if (parts.includes("download")) { await benchDownload(); }
    say("");
  }
  if (parts.includes("rows")) {
    say("| row reader | time | rows/s | memory | target |\n| --- | --- | --- | --- | --- |");
    await benchRows();
    say("");
  }
  if (!args.includes("--no-write")) {
    const file = path.join(ROOT, named.length || args.includes("--sizes") || args.includes("--rows")
      ? "bench/out/partial.md" : "bench/RESULTS.md");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, RESULTS_INTRO + lines.join("\n") + "\n");
    process.stdout.write(`Written to ${path.relative(ROOT, file)}.\n`);
  }
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
