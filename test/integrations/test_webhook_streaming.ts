// The webhook's body sent as it is read (src/lib/tee_body.ts), through the real app from a
// local download_url to a local receiver: the first attempt streams, a copy spooled on the way
// serves every retry byte for byte; signed bodies are spooled whole first; the size limit, a
// source of the wrong length and Looker hanging up end the request without a whole body
// reaching the receiver; no spool file is left, and none is written when no retry is possible.
import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { WebhookIntegration } from "../../src/integrations/webhook/webhook";
import { groupDigits } from "../../src/lib/digits";
import { DownloadServer, startDownloadServer } from "../fakes/download_server";
import { HttpReceiver } from "../fakes/http_receiver";
import { authHeader, buildTestApp } from "../helpers/app";
import { execute, LOOKER_HEADERS, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";
import { csvBuffer } from "../helpers/storage";

const MiB = 1024 * 1024;
const SECRET = "whsec_stream_0123";

describe("webhook: the body streamed on the first attempt, a copy for retries", function() {
  this.timeout(20_000);
  let receiver: HttpReceiver;
  let download: DownloadServer | undefined;
  let spoolDir: string;
  let data: Buffer;

  before(async () => { data = await csvBuffer(4 * MiB); });
  beforeEach(async () => {
    receiver = await new HttpReceiver().start();
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-tee-"));
  });
  afterEach(async () => {
    await receiver.stop();
    await download?.close();
    download = undefined;
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  function app(env: Record<string, string> = {}) {
    const all = { HTTP_SPOOL_DIR: spoolDir, SPOOL_DIR: spoolDir, ...env };
    return buildTestApp([new WebhookIntegration(testHttpClient(all))], all).app;
  }

  /** Serves `bytes` once at /once, with a Content-Length unless `chunked`, in 64 KiB writes. */
  async function serve(bytes: Buffer, options: { chunked?: boolean; announce?: number } = {}): Promise<string> {
    download = await startDownloadServer((_req, res) => {
      const headers: Record<string, string> = { "content-type": "text/csv" };
      if (!options.chunked) { headers["content-length"] = String(options.announce ?? bytes.length); }
      res.writeHead(200, headers);
      let at = 0;
      const pump = () => {
        while (at < bytes.length) {
          const more = res.write(bytes.subarray(at, at + 64 * 1024));
          at += 64 * 1024;
          if (!more) { res.once("drain", pump); return; }
        }
        if (options.announce !== undefined && options.announce > bytes.length) { res.destroy(); return; }
        res.end();
      };
      pump();
    });
    return `${download.url}/once`;
  }

  function urlDelivery(downloadUrl: string, formParams: Record<string, string> = {}, params = {}) {
    return {
      type: "query", scheduled_plan: { ...PLAN, download_url: downloadUrl }, data: params,
      form_params: { format: "csv", url: receiver.url("/in"), ...formParams },
    };
  }

  /** The names of files created (or removed) in the spool directory while `run` runs, each once. */
  async function filesCreatedDuring<T>(run: () => Promise<T>): Promise<{ result: T; created: string[] }> {
    const created: string[] = [];
    const watcher = fs.watch(spoolDir, (event, name) => { if (event === "rename" && name) { created.push(name); } });
    try {
      const result = await run();
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { result, created: [...new Set(created)] };
    } finally {
      watcher.close();
    }
  }

  it("sends a download with its Content-Length, byte-exact, and leaves no file", async () => {
    const answer = await execute(app(), "webhook", urlDelivery(await serve(data)));
    expect(answer.looker).to.deep.include({ success: true,
      message: `Sent ${groupDigits(data.length)} bytes to 127.0.0.1 (HTTP 200).` });
    const got = receiver.received[0];
    expect(got.body.equals(data)).to.equal(true);
    expect(got.headers["content-length"]).to.equal(String(data.length));
    expect(got.headers).not.to.have.property("transfer-encoding");
    expect(got.headers["x-looker-format"]).to.equal("csv");
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
  });

  it("sends chunked when the length is not known (a chunked download, the JSON envelope)", async () => {
    const a = app();
    await execute(a, "webhook", urlDelivery(await serve(data, { chunked: true })));
    await download!.close();
    await execute(a, "webhook", urlDelivery(await serve(data), { envelope: "json" }));
    const [bare, envelope] = receiver.received;
    expect(bare.headers["transfer-encoding"]).to.equal("chunked");
    expect(bare.body.equals(data)).to.equal(true);
    expect(envelope.headers["transfer-encoding"]).to.equal("chunked");
    expect(JSON.parse(envelope.body.toString("utf8")).data).to.equal(data.toString("utf8"));
  });

  it("resends the whole body byte-exact after the receiver reset the first attempt mid-body", async () => {
    receiver.reply({ status: 200, resetAfterBytes: MiB });
    const downloadUrl = await serve(data);
    const { result: answer, created } = await filesCreatedDuring(() =>
      execute(app(), "webhook", urlDelivery(downloadUrl)));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(receiver.cut).to.have.length(1);
    const cut = receiver.cut[0].body;
    expect(cut.length).to.be.at.least(MiB).and.below(data.length);
    expect(cut.equals(data.subarray(0, cut.length))).to.equal(true);
    expect(receiver.received).to.have.length(1);
    expect(receiver.received[0].body.equals(data)).to.equal(true);
    expect(receiver.received[0].headers["content-length"]).to.equal(String(data.length));
    expect(created, "the copy for the retry").to.have.length(1);
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
  });

  it("spools the rest when the receiver answers 503 before reading the body, and resends it whole", async () => {
    receiver.reply({ status: 503, body: "busy", beforeBody: true });
    const answer = await execute(app(), "webhook", urlDelivery(await serve(data, { chunked: true })));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(receiver.received).to.have.length(1);
    expect(receiver.received[0].body.equals(data)).to.equal(true);
    // The retry is sent from the whole copy, so it knows its length.
    expect(receiver.received[0].headers["content-length"]).to.equal(String(data.length));
  });

  it("resends the same bytes after a 503 that came once the body had arrived", async () => {
    receiver.reply({ status: 503, body: "warming up" });
    const answer = await execute(app(), "webhook", urlDelivery(await serve(data), { envelope: "json" }));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    const [first, second] = receiver.received;
    expect(second.body.equals(first.body)).to.equal(true);
    expect(JSON.parse(second.body.toString("utf8")).data).to.equal(data.toString("utf8"));
  });

  it("with a signing secret, spools the whole body first: signed, and the retry identical", async () => {
    receiver.reply({ status: 200, resetAfterBytes: MiB });
    const answer = await execute(app(), "webhook",
      urlDelivery(await serve(data, { chunked: true }), {}, { signing_secret: SECRET }));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    const got = receiver.received[0];
    expect(got.body.equals(data)).to.equal(true);
    expect(got.headers["content-length"]).to.equal(String(data.length));
    expect(got.headers["x-hub-signature-256"]).to.equal(
      `sha256=${crypto.createHmac("sha256", SECRET).update(data).digest("hex")}`);
    expect(receiver.cut[0].headers["x-hub-signature-256"]).to.equal(got.headers["x-hub-signature-256"]);
  });

  it("keeps no copy when no retry is possible (HTTP_MAX_ATTEMPTS=1), and a reset then fails the delivery", async () => {
    const { result: ok, created } = await filesCreatedDuring(async () =>
      execute(app({ HTTP_MAX_ATTEMPTS: "1" }), "webhook", urlDelivery(await serve(data))));
    expect(ok.looker.success).to.equal(true);
    expect(receiver.received[0].body.equals(data)).to.equal(true);
    expect(created, "files written with one attempt").to.deep.equal([]);
    await download!.close();

    receiver.reply({ status: 200, resetAfterBytes: MiB });
    const failed = await execute(app({ HTTP_MAX_ATTEMPTS: "1" }), "webhook", urlDelivery(await serve(data)));
    expect(failed.looker.success).to.equal(false);
    expect(failed.looker.message).to.match(/127\.0\.0\.1/);
    expect(receiver.received).to.have.length(1);
  });

  it("a download slower than the attempt's bound: the attempt ends, the rest is copied and sent whole", async () => {
    // Half the data, then a pause past HTTP_IDLE_TIMEOUT_SECONDS, then the rest.
    download = await startDownloadServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv", "content-length": String(data.length) });
      res.write(data.subarray(0, data.length / 2));
      setTimeout(() => res.end(data.subarray(data.length / 2)), 1500);
    });
    const answer = await execute(app({ HTTP_IDLE_TIMEOUT_SECONDS: "1" }), "webhook",
      urlDelivery(`${download.url}/slow`));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(receiver.cut).to.have.length(1);
    expect(receiver.received).to.have.length(1);
    expect(receiver.received[0].body.equals(data)).to.equal(true);
  });

  it("stops at MAX_DELIVERY_BYTES: the receiver never gets a whole body, nothing is retried", async () => {
    const answer = await execute(app({ MAX_DELIVERY_BYTES: "1M" }), "webhook",
      urlDelivery(await serve(data, { chunked: true })));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/larger than this integration service accepts \(1048576 bytes\)/);
    expect(receiver.received, "whole requests").to.have.length(0);
    expect(receiver.cut.length, "attempts").to.be.at.most(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
  });

  it("fails a download cut short of its Content-Length without a whole body reaching the receiver", async () => {
    const answer = await execute(app(), "webhook", urlDelivery(await serve(data, { announce: data.length + 1000 })));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/download from Looker was cut off/);
    expect(receiver.received).to.have.length(0);
  });

  it("ends the download and the receiver's request when Looker hangs up mid-body, leaving no file", async () => {
    // An endless download, and a receiver that reads slowly, so the delivery is mid-body for long.
    let downloadClosed = false;
    download = await startDownloadServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv" });
      res.once("close", () => { downloadClosed = true; });
      const pump = () => {
        while (!res.destroyed && res.write(data.subarray(0, 64 * 1024))) { /* as fast as it is read */ }
        if (!res.destroyed) { res.once("drain", pump); }
      };
      pump();
    });
    const server = http.createServer(app({ HTTP_TOTAL_TIMEOUT_SECONDS: "30", HTTP_IDLE_TIMEOUT_SECONDS: "30" }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const body = JSON.stringify(urlDelivery(`${download.url}/endless`));
      const client = http.request({ port: (server.address() as AddressInfo).port, host: "127.0.0.1", method: "POST",
        path: "/actions/webhook/execute",
        headers: { ...LOOKER_HEADERS, authorization: authHeader(), "content-type": "application/json" } });
      client.on("error", () => undefined);
      client.end(body);
      await eventually(() => receiver.bytesReceived > 2 * MiB, "the receiver got data");
      client.destroy();
      await eventually(() => downloadClosed, "the download closed");
      await eventually(() => receiver.cut.length === 1, "the receiver's request ended unfinished");
      expect(receiver.received).to.have.length(0);
      await eventually(() => fs.readdirSync(spoolDir).length === 0, "the copy removed");
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) { throw new Error(`timed out waiting until ${what}`); }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
