// Memory and time of one large Slack file delivery, with the hub as a child process (compiled,
// production mode) and the fake Slack Web API from test/fakes in this process.
//
//   npm run build && node -r ts-node/register/transpile-only bench/slack.ts [--mb 50] [--mb 500]
//   node -r ts-node/register/transpile-only bench/slack.ts --direct --mb 500
//
// It POSTs a Looker-shaped execute whose CSV attachment is generated on the fly (chunked, never
// held whole by this process), samples the hub's resident memory from /proc, and checks the
// bytes Slack received against a SHA-256 of what was sent.
import { ChildProcess, spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { Readable } from "stream";
import { generateApiKey } from "../src/server/auth";
import { FakeSlack } from "../test/fakes/slack_api";

const SECRET = "bench-secret-0123456789abcdef";
const ROOT = path.join(__dirname, "..");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function memoryKb(pid: number, key: "VmRSS" | "VmHWM"): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

async function waitForStatus(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) { throw new Error("the hub exited while starting"); }
    const ok = await new Promise<boolean>((resolve) => {
      http.get(`${url}/status`, (res) => { res.resume(); resolve(res.statusCode === 200); })
        .on("error", () => resolve(false));
    });
    if (ok) { return; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the hub did not start");
}

/** The benchmark's CSV, in chunks of about 50 KB, up to `target` bytes (same bytes every run). */
function* csvChunks(target: number): Generator<string> {
  let sent = 0;
  let row = 0;
  const header = "id,amount,region,note\n";
  sent += header.length;
  yield header;
  while (sent < target) {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++, row++) { lines.push(`${row},${(row * 7919) % 100000},region-${row % 17},ok\n`); }
    const chunk = lines.join("");
    sent += chunk.length;
    yield chunk;
  }
}

interface Result { mb: number; status: number; seconds: number; baselineMb: number; peakMb: number;
  sentBytes: number; receivedBytes: number; match: boolean; answer: string; }

/** Sends one execute of `mb` megabytes of CSV and measures the hub meanwhile. */
async function deliver(hubUrl: string, pid: number, fake: FakeSlack, mb: number): Promise<Result> {
  const target = mb * 1024 * 1024;
  const hash = createHash("sha256");
  const head = JSON.stringify({
    type: "query",
    data: { slack_api_token: fake.token },
    form_params: { channelType: "manual", channel: "C0BENCH01", filename: "bench" },
    scheduled_plan: { title: "Bench", url: "https://looker.example.com/looks/1" },
  }).slice(0, -1) + ',"attachment":{"mimetype":"text/csv","extension":"csv","data":"';
  const baselineMb = memoryKb(pid, "VmRSS") / 1024;
  let peakKb = 0;
  const sampler = setInterval(() => { try { peakKb = Math.max(peakKb, memoryKb(pid, "VmRSS")); } catch { /**/ } }, 50);
  const started = Date.now();
  let sentBytes = 0;
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(`${hubUrl}/actions/slack/execute`, {
      method: "POST",
      headers: { "Authorization": `Token token="${generateApiKey(SECRET)}"`, "Content-Type": "application/json" },
    }, (res) => {
      let body = "";
      res.on("data", (c) => { body += c; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
    });
    req.on("error", reject);
    req.write(head);
    const chunks = csvChunks(target);
    const pump = () => {
      for (let next = chunks.next(); !next.done; next = chunks.next()) {
        hash.update(next.value);
        sentBytes += next.value.length;
        if (!req.write(next.value.replace(/\n/g, "\\n"))) {
          req.once("drain", pump);
          return;
        }
      }
      req.end('"}}');
    };
    pump();
  });
  clearInterval(sampler);
  const peakMb = Math.max(peakKb, memoryKb(pid, "VmHWM")) / 1024;
  const upload = fake.uploads[fake.uploads.length - 1];
  const receivedBytes = upload?.bytes ?? 0;
  return {
    mb, status: answer.status, seconds: (Date.now() - started) / 1000, baselineMb, peakMb, sentBytes, receivedBytes,
    match: !!upload && upload.sha256 === hash.digest("hex") && receivedBytes === sentBytes,
    answer: answer.body.slice(0, 160),
  };
}

async function runOne(mb: number): Promise<Result> {
  const fake = await new FakeSlack().start();
  fake.keepBytesUpTo = 0;
  const port = await freePort();
  const hubUrl = `http://127.0.0.1:${port}`;
  // A fresh hub per size, so each peak is that delivery's own.
  const child = spawn(process.execPath, [path.join(ROOT, "dist/src/boot.js")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1",
      BASE_URL: hubUrl, INTEGRATION_SERVICE_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitForStatus(hubUrl, child);
    return await deliver(hubUrl, child.pid!, fake, mb);
  } finally {
    child.kill("SIGTERM");
    await fake.stop();
  }
}

/**
 * The Slack integration alone, as the hub will drive it once the streaming body parser lands:
 * a child process executes one delivery whose data is a generated stream, and reports its
 * own memory. This isolates spool + upload from today's whole-body JSON parsing.
 */
async function directChild(mb: number, apiUrl: string): Promise<void> {
  const { SlackIntegration } = await import("../src/integrations/slack/slack");
  const { ActionRequest } = await import("../src/hub/action_request");
  const { createLogger } = await import("../src/lib/logger");
  const logger = createLogger({ level: "warn", format: "json" });
  const request = new ActionRequest({ requestId: "bench", lookerVersion: null, logger });
  request.type = "query";
  request.params = { slack_api_token: new FakeSlack().token };
  request.formParams = { channelType: "manual", channel: "C0BENCH01", filename: "bench" };
  request.attachment = { mimetype: "text/csv", extension: "csv" };
  request.delivery = {
    source: "push", format: "csv", mimetype: "text/csv",
    stream: async () => Readable.from((function* () {
      for (const chunk of csvChunks(mb * 1024 * 1024)) { yield Buffer.from(chunk); }
    })()),
  };
  const baselineKb = memoryKb(process.pid, "VmRSS");
  const started = Date.now();
  const response = await new SlackIntegration({ apiUrl }).execute(request);
  process.stdout.write(JSON.stringify({
    baselineKb, peakKb: memoryKb(process.pid, "VmHWM"), seconds: (Date.now() - started) / 1000,
    answer: JSON.stringify(response.toJSON()),
  }));
}

async function runDirect(mb: number): Promise<Result> {
  const fake = await new FakeSlack().start();
  fake.keepBytesUpTo = 0;
  const hash = createHash("sha256");
  let sentBytes = 0;
  for (const chunk of csvChunks(mb * 1024 * 1024)) { hash.update(chunk); sentBytes += chunk.length; }
  const output = await new Promise<string>((resolve, reject) => {
    // The compiled copy, so the child's memory is the integration's and not the TypeScript compiler's.
    const child = spawn(process.execPath, [path.join(ROOT, "dist/bench/slack.js"), "--child", String(mb), fake.apiUrl],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (c) => { text += c; });
    child.on("exit", (code) => code === 0 ? resolve(text) : reject(new Error(`child exited ${code}`)));
  });
  await fake.stop();
  const r = JSON.parse(output);
  const upload = fake.uploads[fake.uploads.length - 1];
  return {
    mb, status: 200, seconds: r.seconds, baselineMb: r.baselineKb / 1024, peakMb: r.peakKb / 1024, sentBytes,
    receivedBytes: upload?.bytes ?? 0, match: !!upload && upload.sha256 === hash.digest("hex"), answer: r.answer,
  };
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf("--child");
  if (childAt !== -1) { return directChild(Number(process.argv[childAt + 1]), process.argv[childAt + 2]); }
  const direct = process.argv.includes("--direct");
  if (!fs.existsSync(path.join(ROOT, "dist/src/boot.js")) || !fs.existsSync(path.join(ROOT, "dist/bench/slack.js"))) {
    throw new Error("Build first: npm run build");
  }
  const sizes: number[] = [];
  process.argv.forEach((arg, i) => { if (arg === "--mb") { sizes.push(Number(process.argv[i + 1])); } });
  const results: Result[] = [];
  for (const mb of sizes.length ? sizes : [10, 50]) { results.push(await (direct ? runDirect(mb) : runOne(mb))); }
  process.stdout.write(direct ? "Slack integration alone (streamed delivery, child process):\n\n"
    : "Whole hub (child process, HTTP execute):\n\n");
  process.stdout.write("| CSV size | HTTP | seconds | hub RSS before | hub peak RSS | Slack got the same bytes | answer |\n");
  process.stdout.write("| --- | --- | --- | --- | --- | --- | --- |\n");
  for (const r of results) {
    process.stdout.write(`| ${r.mb} MB | ${r.status} | ${r.seconds.toFixed(1)} | ${r.baselineMb.toFixed(0)} MB | ` +
      `${r.peakMb.toFixed(0)} MB | ${r.match ? "yes" : `no (${r.receivedBytes} of ${r.sentBytes})`} | ` +
      `${r.answer.replace(/\|/g, "\\|")} |\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
