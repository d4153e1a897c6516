// The shared client's streamed bodies (tee_body.ts) against a local receiver on loopback: sent
// as read, resent from the kept copy with their length (a redirect, a 411), held to their size.
import { expect } from "chai";
import * as fs from "fs";
import { PassThrough, Readable } from "stream";
import { sendAsRead } from "../../src/lib/http_request";
import { failureOf as failure } from "../helpers/failure";
import { receiverAndSpool, testHttpClient } from "../helpers/http";

describe("http client: streamed bodies", () => {
  const made = receiverAndSpool();

  it("streamed: sends a stream as it is read, and a 307 resends it from the copy with its length", async () => {
    const { receiver, spoolDir } = made;
    const http = testHttpClient({ HTTP_SPOOL_DIR: spoolDir });
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    receiver.reply({ status: 307, headers: { location: receiver.url("/moved") } });
    const res = await http.request({ url: receiver.url(), method: "POST",
      body: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), streamed: {} });
    expect(res.status).to.equal(200);
    const [first, second] = receiver.received;
    expect(first.headers["transfer-encoding"]).to.equal("chunked");
    expect(second.path).to.equal("/moved");
    expect(second.headers["content-length"]).to.equal(String(bytes.length));
    expect(first.body.equals(bytes) && second.body.equals(bytes)).to.equal(true);
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
  });

  it("streamed: a stream longer or shorter than its announced size fails, with no whole request and no retry", async () => {
    const { receiver, spoolDir } = made;
    const http = testHttpClient({ HTTP_SPOOL_DIR: spoolDir });
    for (const [size, got] of [[10, 12], [14, 12]]) {
      const err = await failure(http.request({ url: receiver.url(), method: "POST",
        body: Readable.from([Buffer.alloc(6, "a"), Buffer.alloc(6, "b")]), streamed: { size } }));
      expect(err.name).to.equal("BodyLengthError");
      expect(err.message).to.contain(`${got} bytes, not the ${size} bytes announced`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).to.have.length(0);
    expect(receiver.cut.length).to.be.at.most(2);
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
  });

  it("a vendor that answers 411 to a chunked body gets the kept copy with its length, at once", async () => {
    const { receiver, spoolDir } = made;
    const http = testHttpClient({ HTTP_SPOOL_DIR: spoolDir, HTTP_RETRY_BASE_DELAY_MS: "60000" });
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 253));
    receiver.reply({ status: 411, body: "Length Required" });
    const res = await http.request({ url: receiver.url(), method: "POST",
      body: Readable.from([bytes.subarray(0, 5000), bytes.subarray(5000)]), streamed: {} });
    expect(res.status).to.equal(200);
    const sent = [...receiver.received, ...receiver.cut];
    expect(sent[0].headers["transfer-encoding"]).to.equal("chunked");
    const last = receiver.received[receiver.received.length - 1];
    expect(last.headers["content-length"]).to.equal(String(bytes.length));
    expect(last.body.equals(bytes)).to.equal(true);
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
  });

  it("a 411 is not resent when no copy is kept (one attempt)", async () => {
    const { receiver, spoolDir } = made;
    const http = testHttpClient({ HTTP_SPOOL_DIR: spoolDir });
    receiver.reply({ status: 411, body: "Length Required" });
    const err = await failure(http.request({ url: receiver.url(), method: "POST", maxAttempts: 1,
      body: Readable.from([Buffer.alloc(10, "a")]), streamed: {} }));
    expect(err.message).to.contain("411");
  });

  it("a body marked with sendAsRead goes as it is read without the streamed option", async () => {
    const { receiver, spoolDir } = made;
    const http = testHttpClient({ HTTP_SPOOL_DIR: spoolDir });
    const body = sendAsRead(new PassThrough());
    body.end(Buffer.alloc(70_000, "x"));
    const res = await http.request({ url: receiver.url(), method: "POST", body });
    expect(res.status).to.equal(200);
    expect(receiver.received[0].headers["transfer-encoding"]).to.equal("chunked");
    expect(receiver.received[0].body.length).to.equal(70_000);
  });
});
