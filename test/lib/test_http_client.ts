// The shared client against local receivers on loopback: retries, timeouts, redirects, logging.
// The guard on user URLs is in test_http_client_guard.ts, the abort signal in test_http_client_abort.ts.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as sinon from "sinon";
import { PassThrough, Readable } from "stream";
import {
  HttpStatusError, HttpUnavailableError, redactVendorText, unmarkVendorText,
} from "../../src/lib/http_errors";
import { createLogger } from "../../src/lib/logger";
import { AnyVendor } from "../fakes/any_vendor";
import { closedPort } from "../fakes/closed_port";
import { HttpReceiver } from "../fakes/http_receiver";
import { failureOf as failure } from "../helpers/failure";
import { testHttpClient } from "../helpers/http";

describe("http client", () => {
  let receiver: HttpReceiver;
  let spoolDir: string;

  beforeEach(async () => {
    receiver = await new HttpReceiver().start();
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-test-spool-"));
  });
  afterEach(async () => {
    sinon.restore();
    await receiver.stop();
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  it("sends a user agent naming the hub and its version", async () => {
    const http = testHttpClient();
    const res = await http.request({ url: receiver.url() });
    expect(res.status).to.equal(200);
    expect(res.text()).to.equal("ok");
    expect(receiver.received[0].headers["user-agent"]).to.match(/^LookerIntegrationService\/\d+\.\d+\.\d+/);
  });

  it("retries a 503 and sends the identical stream body again, then removes the spool file", async () => {
    receiver.reply({ status: 503, body: "busy" });
    const http = testHttpClient({ HTTP_SPOOL_DIR: spoolDir });
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    const res = await http.request({
      url: receiver.url(), method: "POST", body: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect(res.status).to.equal(200);
    expect(receiver.received).to.have.length(2);
    expect(receiver.received[0].body.equals(bytes)).to.equal(true);
    expect(receiver.received[1].body.equals(bytes)).to.equal(true);
    expect(receiver.received[1].headers["content-length"]).to.equal(String(bytes.length));
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
  });

  it("sends a string body as its UTF-8 bytes, the same again on a retry", async () => {
    receiver.reply({ status: 503, body: "busy" });
    const text = JSON.stringify({ name: "Zoë 😀", rows: Array.from({ length: 2_000 }, (_, i) => `row ${i} é`) });
    const res = await testHttpClient().request({ url: receiver.url(), method: "POST", body: text,
      headers: { "content-type": "application/json" } });
    expect(res.status).to.equal(200);
    expect(receiver.received).to.have.length(2);
    for (const received of receiver.received) {
      expect(received.body.equals(Buffer.from(text, "utf8"))).to.equal(true);
      expect(received.headers["content-length"]).to.equal(String(Buffer.byteLength(text)));
    }
  });

  it("honours Retry-After on a 429", async () => {
    receiver.reply({ status: 429, headers: { "Retry-After": "1" }, body: "slow down" });
    const http = testHttpClient();
    const started = Date.now();
    await http.request({ url: receiver.url(), method: "POST", body: "{\"a\":1}" });
    expect(Date.now() - started).to.be.at.least(950);
    expect(receiver.received.map((r) => r.body.toString())).to.deep.equal(["{\"a\":1}", "{\"a\":1}"]);
  });

  it("gives up at once when Retry-After is longer than allowed", async () => {
    receiver.reply({ status: 429, headers: { "Retry-After": "3600" }, body: "come back in an hour" });
    const err = await failure(testHttpClient({ HTTP_RETRY_AFTER_MAX_SECONDS: "60" }).request({ url: receiver.url() }));
    expect(err).to.be.instanceOf(HttpUnavailableError);
    expect(err.message).to.contain("HTTP 429");
    expect(err.message).to.contain("come back in an hour");
    expect(receiver.received).to.have.length(1);
  });

  it("fails with status and excerpt after the last attempt of a persistent 5xx", async () => {
    receiver.defaultReply = { status: 502, headers: { "content-type": "text/html" }, body: "<h1>Bad gateway</h1>" };
    const err = await failure(testHttpClient().request({ url: receiver.url(), who: "Acme" }));
    expect(err).to.be.instanceOf(HttpUnavailableError);
    // The vendor's words are marked, so the log can leave them out (http_errors.ts).
    expect(err.message).to.equal("Acme answered HTTP 502: \"\u2063Bad gateway\u2063\" (tried 3 times). " +
      "It may be down or busy; try again later.");
    expect(unmarkVendorText(err.message)).to.equal("Acme answered HTTP 502: \"Bad gateway\" (tried 3 times). " +
      "It may be down or busy; try again later.");
    expect(redactVendorText(err.message)).to.equal("Acme answered HTTP 502: \"[the vendor's words, not logged]\" " +
      "(tried 3 times). It may be down or busy; try again later.");
    expect((err as HttpUnavailableError).failure.status).to.equal(502);
    expect(receiver.received).to.have.length(3);
  });

  it("does not retry a 4xx; the message carries the status and the vendor's error text", async () => {
    receiver.reply({ status: 404, headers: { "content-type": "application/json" },
      body: JSON.stringify({ error: { message: "No such hook" } }) });
    const err = await failure(testHttpClient().request({ url: receiver.url() }));
    expect(err).to.be.instanceOf(HttpStatusError);
    expect(unmarkVendorText(err.message)).to.equal(`The server at 127.0.0.1 answered HTTP 404: "No such hook".`);
    expect(receiver.received).to.have.length(1);
  });

  it("retries after the connection is dropped", async () => {
    receiver.reply({ status: 0, hangUp: true });
    const res = await testHttpClient().request({ url: receiver.url(), method: "POST", body: "x" });
    expect(res.status).to.equal(200);
    expect(receiver.received).to.have.length(2);
  });

  it("abandons an attempt that stays silent past the idle timeout", async () => {
    receiver.defaultReply = { status: 200, delayMs: 400 };
    const http = testHttpClient({ HTTP_IDLE_TIMEOUT_SECONDS: "0.1", HTTP_MAX_ATTEMPTS: "2" });
    const err = await failure(http.request({ url: receiver.url() }));
    expect(err).to.be.instanceOf(HttpUnavailableError);
    expect(err.message).to.contain("could not be reached: it stopped answering (tried 2 times)");
  });

  it("enforces the total timeout of an attempt", async () => {
    receiver.defaultReply = { status: 200, delayMs: 400 };
    const http = testHttpClient({ HTTP_TOTAL_TIMEOUT_SECONDS: "0.1", HTTP_MAX_ATTEMPTS: "1" });
    const err = await failure(http.request({ url: receiver.url() }));
    expect(err.message).to.contain("the request took longer than allowed");
  });

  it("stops reading an endless answer at maxResponseBytes, at once and without retrying", async () => {
    const vendor = await new AnyVendor().start();
    try {
      vendor.mood = "endless";
      const started = Date.now();
      const res = await testHttpClient({ HTTP_TOTAL_TIMEOUT_SECONDS: "30" })
        .request({ url: vendor.url, trusted: true, maxResponseBytes: 256 * 1024 });
      expect(res.status).to.equal(200);
      expect(res.truncated).to.equal(true);
      expect(res.body.length).to.equal(256 * 1024);
      // Stopped at the cap, not by the 30 s total timeout.
      expect(Date.now() - started).to.be.lessThan(20_000);
      expect(vendor.requests).to.equal(1);
    } finally {
      await vendor.stop();
    }
  });

  it("marks only an answer longer than maxResponseBytes as truncated", async () => {
    receiver.defaultReply = { status: 200, body: "done" };
    const cut = await testHttpClient().request({ url: receiver.url(), maxResponseBytes: 3 });
    expect([cut.text(), cut.truncated]).to.deep.equal(["don", true]);
    const whole = await testHttpClient().request({ url: receiver.url(), maxResponseBytes: 4 });
    expect([whole.text(), whole.truncated]).to.deep.equal(["done", false]);
  });

  it("a refused connection is retried then reported", async () => {
    const port = await closedPort();
    const err = await failure(testHttpClient().request({ url: `http://127.0.0.1:${port}/x` }));
    expect(err).to.be.instanceOf(HttpUnavailableError);
    expect(err.message).to.contain("the connection was refused (tried 3 times)");
  });

  it("follows a 307 with the same method and body", async () => {
    receiver.reply({ status: 307, headers: { Location: "/moved" } });
    await testHttpClient().request({ url: receiver.url("/first"), method: "POST", body: "payload" });
    expect(receiver.received.map((r) => [r.method, r.path, r.body.toString()])).to.deep.equal([
      ["POST", "/first", "payload"], ["POST", "/moved", "payload"],
    ]);
  });

  it("refuses a 302 on a POST rather than drop the data", async () => {
    receiver.reply({ status: 302, headers: { Location: "/elsewhere" } });
    const err = await failure(testHttpClient().request({ url: receiver.url(), method: "POST", body: "d" }));
    expect(err.message).to.match(/HTTP 302, a redirect to 127\.0\.0\.1:\d+ that would drop the data/);
    expect(receiver.received).to.have.length(1);
  });

  it("drops Authorization when a redirect leaves the origin", async () => {
    const other = await new HttpReceiver().start();
    try {
      receiver.reply({ status: 308, headers: { Location: other.url("/there") } });
      await testHttpClient().request({ url: receiver.url(), headers: { Authorization: "Bearer s3cret" } });
      expect(receiver.received[0].headers.authorization).to.equal("Bearer s3cret");
      expect(other.received[0].headers.authorization).to.equal(undefined);
    } finally {
      await other.stop();
    }
  });

  it("logs host, status and attempt, never the path, query, headers or body", async () => {
    receiver.reply({ status: 500 });
    const sink = new PassThrough();
    let logged = "";
    sink.on("data", (c) => { logged += c.toString(); });
    const logger = createLogger({ level: "debug", format: "json", stream: sink });
    await testHttpClient().request({
      url: receiver.url("/hooks/SECRETPATH?token=SECRETQUERY"), method: "POST", body: "SECRETBODY",
      headers: { Authorization: "Bearer SECRETTOKEN" }, logger,
    });
    expect(logged).to.contain("outbound request retrying");
    expect(logged).to.contain("\"host\":\"127.0.0.1\"");
    expect(logged).not.to.match(/SECRET/);
  });
});
