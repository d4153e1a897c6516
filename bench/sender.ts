// The benchmark's other side, in its own process so it does not share the probe's event
// loop: "push" sends an execute body with N MiB of CSV to an integration; "serve" plays a
// download URL; "hash-receiver" is a webhook receiver that hashes what it gets.
import { createHash } from "crypto";
import * as http from "http";
import { CSV_HEADER, csvBlock, csvPlan } from "./payloads";

function escapedBlock(): Buffer {
  const json = JSON.stringify(csvBlock());
  return Buffer.from(json.slice(1, -1));
}

/** The CSV block cut to a multiple of 3 bytes, base64: copies of it join into valid base64. */
export function base64Block(): Buffer {
  const block = Buffer.from(csvBlock());
  return Buffer.from(block.subarray(0, block.length - (block.length % 3)).toString("base64"));
}

/** Writes `block` `count` times with backpressure, then ends with `last`. */
function writeBlocks(out: NodeJS.WritableStream, block: Buffer, count: number, last: string): void {
  let sent = 0;
  const pump = () => {
    while (sent < count) {
      sent++;
      if (!out.write(block)) {
        out.once("drain", pump);
        return;
      }
    }
    out.end(last);
  };
  pump();
}

/**
 * `fields`: JSON of the body's other keys (data, form_params, scheduled_plan), for integrations other than debug.
 * `encoding` "base64" sends the CSV base64-encoded (mimetype text/csv;base64) instead of as an escaped string.
 */
async function push(url: string, key: string, mib: number, integration = "debug", fields = "{}",
  encoding = "string"): Promise<void> {
  const base64 = encoding === "base64";
  const block = base64 ? base64Block() : escapedBlock();
  const { blocks, blockBytes } = csvPlan(mib);
  const blockCsvBytes = base64 ? blockBytes - (blockBytes % 3) : blockBytes;
  const first = base64 ? Buffer.from(CSV_HEADER).toString("base64") : JSON.stringify(CSV_HEADER).slice(1, -1);
  const head = JSON.stringify({
    type: "query", scheduled_plan: { title: "bench", query_id: 1 }, data: {}, form_params: {}, ...JSON.parse(fields),
  }).slice(0, -1) + `,"attachment":{"mimetype":"text/csv${base64 ? ";base64" : ""}","extension":"csv","data":"${first}`;
  const started = process.hrtime.bigint();
  let status = 0;
  const answer = await new Promise<string>((resolve, reject) => {
    const req = http.request(`${url}/actions/${integration}/execute`, {
      method: "POST", headers: { "Authorization": `Token token="${key}"`, "Content-Type": "application/json" },
    }, (res) => {
      let text = "";
      status = res.statusCode ?? 0;
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.write(head);
    writeBlocks(req, block, blocks, '"}}');
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const csvBytes = blocks * blockCsvBytes + CSV_HEADER.length;
  process.send!({ ms, csvBytes, status, answer: answer.trim() });
}

async function serve(mib: number): Promise<void> {
  const block = Buffer.from(csvBlock());
  const { blocks } = csvPlan(mib);
  const server = http.createServer((_req, res) => {
    const length = CSV_HEADER.length + blocks * block.length;
    res.writeHead(200, { "Content-Type": "text/csv", "Content-Length": String(length) });
    res.write(CSV_HEADER);
    writeBlocks(res, block, blocks, "");
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address() as { port: number };
    process.send!({ port: address.port, csvBytes: CSV_HEADER.length + blocks * block.length });
  });
}

/**
 * A webhook receiver that keeps nothing: each request's body is counted and hashed as it
 * arrives, answered 200, and told over IPC (bytes, SHA-256, how its length was given).
 */
function hashReceiver(): void {
  const server = http.createServer((req, res) => {
    const hash = createHash("sha256");
    let bytes = 0;
    req.on("data", (c: Buffer) => { bytes += c.length; hash.update(c); });
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      process.send!({ bytes, sha256: hash.digest("hex"),
        framing: req.headers["content-length"] !== undefined ? "content-length" : "chunked" });
    });
  });
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as { port: number }).port }));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "push") {
  push(args[0], args[1], Number(args[2]), args[3], args[4], args[5]).then(() => process.exit(0));
} else if (mode === "hash-receiver") {
  hashReceiver();
} else {
  serve(Number(args[0]));
}
