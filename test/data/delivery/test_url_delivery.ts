import { expect } from "chai";
import request from "supertest";
import { PayloadTooLargeError, UserError } from "../../../src/lib/errors";
import { UrlDelivery } from "../../../src/data/delivery/url_delivery";
import { ClientGoneError } from "../../../src/lib/abort_scope";
import { authHeader, buildTestApp } from "../../helpers/app";
import { readAll, RecordingIntegration } from "../../helpers/deliveries";
import { closedPort } from "../../fakes/closed_port";
import { DownloadServer, startDownloadServer } from "../../fakes/download_server";

const LIMITS = { maxBytes: 0, connectTimeoutMs: 2000, idleTimeoutMs: 300 };

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}

describe("download_url deliveries", () => {
  let server: DownloadServer | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  it("streams a 200 answer through, in chunks, with backpressure", async () => {
    const block = Buffer.alloc(64 * 1024, "a");
    server = await startDownloadServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv" });
      let sent = 0;
      const pump = () => {
        while (sent < 64) {
          sent++;
          if (!res.write(block)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const delivery = new UrlDelivery(`${server.url}/download/abc?token=1`, "csv", LIMITS);
    expect(delivery.source).to.equal("url");
    const data = await readAll(await delivery.stream());
    expect(data.length).to.equal(64 * block.length);
    expect(server.requests[0].path).to.equal("/download/abc?token=1");
  });

  it("follows a redirect", async () => {
    server = await startDownloadServer((req, res) => {
      if (req.url === "/first") {
        res.writeHead(302, { Location: "/second" });
        res.end();
      } else {
        res.end("a,b\n1,2\n");
      }
    });
    const data = await readAll(await new UrlDelivery(`${server.url}/first`, "csv", LIMITS).stream());
    expect(data.toString()).to.equal("a,b\n1,2\n");
  });

  it("fails with the status before any data flows on a 404", async () => {
    server = await startDownloadServer((_req, res) => { res.writeHead(404); res.end("gone"); });
    const err = await failure(new UrlDelivery(`${server.url}/x`, "csv", LIMITS).stream());
    expect(err).to.be.instanceOf(UserError);
    expect(err.message).to.match(/answered HTTP 404/);
  });

  it("fails clearly when the connection is refused", async () => {
    const port = await closedPort();
    const err = await failure(new UrlDelivery(`http://127.0.0.1:${port}/x`, "csv", LIMITS).stream());
    expect(err).to.be.instanceOf(UserError);
    expect(err.message).to.match(/Could not download the data .*ECONNREFUSED/);
  });

  it("fails when the source goes silent past the idle timeout, mid-body and before headers", async () => {
    server = await startDownloadServer((req, res) => {
      if (req.url === "/silent") { return; }
      res.writeHead(200);
      res.write("a,b\n1,2\n");
    });
    const started = Date.now();
    const stream = await new UrlDelivery(`${server.url}/stall`, "csv", LIMITS).stream();
    const err = await failure(readAll(stream));
    expect(err).to.be.instanceOf(UserError);
    expect(err.message).to.match(/stalled: no data for 0.3 seconds after 8 bytes/);
    // Ended by the 0.3 s idle timeout, far before the source's own end (it never ends).
    expect(Date.now() - started).to.be.lessThan(15_000);
    const before = await failure(new UrlDelivery(`${server.url}/silent`, "csv", LIMITS).stream());
    expect(before.message).to.match(/sent nothing for 0.3 seconds/);
  });

  it("fails when the source closes early", async () => {
    server = await startDownloadServer((_req, res) => {
      res.writeHead(200, { "Content-Length": "1000" });
      res.write("a,b\n");
      setTimeout(() => res.destroy(), 20);
    });
    const err = await failure(readAll(await new UrlDelivery(`${server.url}/x`, "csv", LIMITS).stream()));
    expect(err.message).to.match(/cut off after 4 bytes/);
  });

  it("enforces the maximum delivery size, by Content-Length and while streaming", async () => {
    server = await startDownloadServer((req, res) => {
      if (req.url === "/declared") {
        res.writeHead(200, { "Content-Length": "5000" });
      } else {
        res.writeHead(200);
      }
      res.end("x".repeat(5000));
    });
    const limits = { ...LIMITS, maxBytes: 1000 };
    for (const path of ["/declared", "/chunked"]) {
      const err = await failure(readAll(await new UrlDelivery(`${server.url}${path}`, "csv", limits).stream()));
      expect(err).to.be.instanceOf(PayloadTooLargeError);
    }
  });

  it("reaches the integration through execute, with the format from form_params", async () => {
    server = await startDownloadServer((_req, out) => out.end("id\n1\n2\n"));
    const recorder = new RecordingIntegration();
    const { app } = buildTestApp([recorder]);
    const res = await request(app).post("/actions/recorder/execute").set("Authorization", authHeader())
      .send({ type: "query", scheduled_plan: { download_url: `${server.url}/d` }, form_params: { format: "csv" } })
      .expect(200);
    expect(res.body.looker).to.include({ success: true, message: "got 7 bytes" });
    expect(recorder.records[0]).to.include({ deliveryKind: "UrlDelivery", format: "csv" });
  });

  it("answers a failed download as a Looker failure message", async () => {
    server = await startDownloadServer((_req, out) => { out.writeHead(410); out.end(); });
    const { app } = buildTestApp([new RecordingIntegration()]);
    const res = await request(app).post("/actions/recorder/execute").set("Authorization", authHeader())
      .send({ type: "query", scheduled_plan: { download_url: `${server.url}/d` }, form_params: { format: "csv" } })
      .expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.match(/HTTP 410/);
  });

  describe("limits and aborts (issue 11)", () => {
    /** Trickles `bytes` every `everyMs`, forever; records when the hub closes the connection. */
    async function trickle(bytes: number, everyMs: number) {
      const closed: boolean[] = [];
      const source = await startDownloadServer((_req, res) => {
        res.writeHead(200, { "Content-Type": "text/csv" });
        const timer = setInterval(() => res.write("a".repeat(bytes)), everyMs);
        res.once("close", () => { clearInterval(timer); closed.push(true); });
      });
      return { server: source, closed };
    }

    it("fails a download slower than the minimum rate, and closes it", async () => {
      const slow = await trickle(1, 50);
      server = slow.server;
      const limits = { ...LIMITS, idleTimeoutMs: 5000, minBytesPerSecond: 1000, rateWindowMs: 300 };
      const err = await failure(readAll(await new UrlDelivery(`${server.url}/slow`, "csv", limits).stream()));
      expect(err).to.be.instanceOf(UserError);
      expect(err.message).to.match(/too slow: \d+ bytes in 0.3 seconds, under the minimum of 1000 bytes per second/);
      await new Promise((r) => setTimeout(r, 100));
      expect(slow.closed).to.deep.equal([true]);
    });

    it("fails a download that takes longer than the total limit, however steadily it flows", async () => {
      const steady = await trickle(4096, 20);
      server = steady.server;
      const limits = { ...LIMITS, idleTimeoutMs: 5000, totalTimeoutMs: 400, minBytesPerSecond: 1000 };
      const err = await failure(readAll(await new UrlDelivery(`${server.url}/long`, "csv", limits).stream()));
      expect(err.message).to.match(/took longer than 0.4 seconds \(DOWNLOAD_TOTAL_TIMEOUT_SECONDS\)/);
    });

    it("stops the download when the request's signal aborts, before or after the headers", async () => {
      const endless = await trickle(4096, 10);
      server = endless.server;
      const abort = new AbortController();
      const limits = { ...LIMITS, idleTimeoutMs: 5000 };
      const stream = await new UrlDelivery(`${server.url}/a`, "csv", limits, abort.signal).stream();
      const reading = failure(readAll(stream));
      setTimeout(() => abort.abort(new ClientGoneError()), 100);
      expect(await reading).to.be.instanceOf(ClientGoneError);
      await new Promise((r) => setTimeout(r, 100));
      expect(endless.closed).to.deep.equal([true]);
      // Already aborted: no request at all.
      const before = server.requests.length;
      const gone = await failure(new UrlDelivery(`${server.url}/b`, "csv", limits, abort.signal).stream());
      expect(gone).to.be.instanceOf(ClientGoneError);
      expect(server.requests.length).to.equal(before);
    });
  });
});
