// Benchmark: a json_detail_lite_stream delivery of BENCH_ROWS rows (default 1,000,000) posted
// through the real app to segment_event, sent to a fake Segment API in a child process.
// Reports rows/s end to end and the hub process's peak RSS.
// Run: node -r ts-node/register/transpile-only bench/segment.ts   (or npm run bench, when bench/run.ts calls it)
import { ChildProcess, spawn } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import { Readable } from "stream";
import { loadConfig } from "../src/config";
import { Registry } from "../src/hub/registry";
import { segmentIntegrations } from "../src/integrations/segment/segment";
import { createLogger } from "../src/lib/logger";
import { createApp } from "../src/server/app";
import { generateApiKey } from "../src/server/auth";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_SEGMENT_BATCH ?? 20);

// The fake Segment API runs in its own process, as Segment would: its parsing is not the hub's cost.
const FAKE = `
const http = require("http");
let messages = 0;
http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    messages += JSON.parse(Buffer.concat(chunks)).batch.length;
    res.end('{"success":true}');
  });
}).listen(0, "127.0.0.1", function () { process.stdout.write(this.address().port + "\\n"); });
process.on("message", () => process.send(messages));
`;

function startFake(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["-e", FAKE], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  return new Promise((resolve) => child.stdout!.once("data", (d) =>
    resolve({ child, url: `http://127.0.0.1:${String(d).trim()}` })));
}

/** The execute body, generated in chunks so the client side holds little. */
function* body(rows: number): Generator<Buffer> {
  const head = {
    type: "query", data: { segment_write_key: "bench-key" }, form_params: {},
    scheduled_plan: { title: "bench", query: { vis_config: { hidden_fields: [] } } },
  };
  const fields = { dimensions: [
    { name: "users.id", tags: ["user_id"] }, { name: "users.email", tags: ["email"] },
    { name: "users.city", tags: [] }, { name: "users.created_date", tags: [] },
  ], measures: [{ name: "orders.count", tags: [] }, { name: "orders.total", tags: [] }] };
  const start = JSON.stringify(head).slice(0, -1) + `,"attachment":{"mimetype":"application/json",` +
    `"extension":"json_detail_lite_stream","data":{"fields":${JSON.stringify(fields)},"data":[`;
  yield Buffer.from(start);
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    chunk += (i ? "," : "") + `{"users.id":{"value":"user-${i}"},"users.email":{"value":"user${i}@example.com"},` +
      `"users.city":{"value":"City ${i % 500}"},"users.created_date":{"value":"2020-01-${10 + (i % 20)}"},` +
      `"orders.count":{"value":${i % 37}},"orders.total":{"value":${(i % 1000) / 10}}}`;
    if (chunk.length > 256 * 1024) { yield Buffer.from(chunk); chunk = ""; }
  }
  yield Buffer.from(chunk + `],"ran_at":"2024-05-01T10:00:00+00:00"}}}`);
}

async function main(): Promise<void> {
  const fake = await startFake();
  const config = loadConfig({ NODE_ENV: "production", INTEGRATION_SERVICE_SECRET: "bench-secret-0123456789",
    BASE_URL: "http://127.0.0.1", LOG_LEVEL: "warn" });
  const settings = { apiHost: fake.url, appName: "looker-integration-service", appVersion: config.version,
    sender: { batchSize: BATCH } };
  const registry = new Registry(segmentIntegrations(settings), config.label, config.baseUrl);
  const logger = createLogger({ level: "warn", format: "json" });
  const app = createApp({ config, registry, logger, maxJsonBodyBytes: 4 * 1024 ** 3 });
  const server = http.createServer(app).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
  let bytes = 0;
  const started = process.hrtime.bigint();
  const answer = await new Promise<string>((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1", port: (server.address() as AddressInfo).port, method: "POST",
      path: "/actions/segment_event/execute",
      headers: { "authorization": `Token token="${generateApiKey(config.secret)}"`,
        "content-type": "application/json", "user-agent": "LookerOutgoingWebhook/23.0.0" },
    }, (res) => {
      let text = "";
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve(text.trim()));
    });
    req.on("error", reject);
    Readable.from(body(ROWS)).on("data", (c: Buffer) => { bytes += c.length; }).pipe(req);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const received = await new Promise<number>((resolve) => {
    fake.child.once("message", (n) => resolve(n as number));
    fake.child.send("count");
  });
  fake.child.kill();
  server.close();
  const mib = (n: number) => (n / 1024 ** 2).toFixed(1);
  process.stdout.write([
    `segment_event, json_detail_lite_stream push, ${ROWS.toLocaleString("en-US")} rows (${mib(bytes)} MiB), ` +
      `batches of ${BATCH}`,
    `  answer: ${answer}`,
    `  Segment received: ${received.toLocaleString("en-US")} messages`,
    `  wall: ${seconds.toFixed(1)} s, ${Math.round(ROWS / seconds).toLocaleString("en-US")} rows/s`,
    `  hub peak RSS: ${mib(peakRss)} MiB`,
    `  machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`,
  ].join("\n") + "\n");
}

main().catch((err) => { process.stderr.write(`${err?.stack ?? err}\n`); process.exit(1); });
