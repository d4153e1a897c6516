// The benchmark's client side, in its own process so it does not share the probe's event
// loop: "push" sends an execute body with N MiB of CSV; "serve" plays a download URL.
import * as http from "http";
import { CSV_HEADER, csvBlock } from "./payloads";

function escapedBlock(): Buffer {
  const json = JSON.stringify(csvBlock());
  return Buffer.from(json.slice(1, -1));
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

async function push(url: string, key: string, mib: number): Promise<void> {
  const block = escapedBlock();
  const blockCsvBytes = Buffer.byteLength(csvBlock());
  const blocks = Math.max(1, Math.round((mib * 1024 * 1024) / blockCsvBytes));
  const head = JSON.stringify({
    type: "query", scheduled_plan: { title: "bench", query_id: 1 }, data: {}, form_params: {},
  }).slice(0, -1) + `,"attachment":{"mimetype":"text/csv","extension":"csv","data":"${JSON.stringify(CSV_HEADER).slice(1, -1)}`;
  const started = process.hrtime.bigint();
  const answer = await new Promise<string>((resolve, reject) => {
    const req = http.request(`${url}/actions/debug/execute`, {
      method: "POST", headers: { "Authorization": `Token token="${key}"`, "Content-Type": "application/json" },
    }, (res) => {
      let text = "";
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.write(head);
    writeBlocks(req, block, blocks, '"}}');
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const csvBytes = blocks * blockCsvBytes + CSV_HEADER.length;
  process.send!({ ms, csvBytes, answer: answer.trim() });
}

async function serve(mib: number): Promise<void> {
  const block = Buffer.from(csvBlock());
  const blocks = Math.max(1, Math.round((mib * 1024 * 1024) / block.length));
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

const [mode, ...args] = process.argv.slice(2);
if (mode === "push") {
  push(args[0], args[1], Number(args[2])).then(() => process.exit(0));
} else {
  serve(Number(args[0]));
}
