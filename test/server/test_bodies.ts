// Short plain bodies are read without body-parser (src/server/bodies.ts); every other body
// still goes through it. Both must answer alike.
import { expect } from "chai";
import * as http from "http";
import { AddressInfo } from "net";
import * as zlib from "zlib";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { authHeader, buildTestApp } from "../helpers/app";

interface Answer { status: number; body: string; }

describe("whole JSON bodies (list, definition, form)", () => {
  const { app } = buildTestApp([new DebugIntegration()]);
  let server: http.Server;
  let port: number;
  before(async () => {
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A POST with `body` sent whole with its Content-Length, or chunked (no length: body-parser reads it). */
  const send = (path: string, body: Buffer | string, headers: Record<string, string> = {}, chunked = false) =>
    new Promise<Answer>((resolve, reject) => {
      const bytes = Buffer.from(body);
      const req = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: {
        "Authorization": authHeader(), "Content-Type": "application/json", ...headers,
        ...(chunked ? {} : { "Content-Length": String(bytes.length) }) } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => { text += c; });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      req.end(bytes);
    });

  const BODIES = ["{}", "", "  ", "{\"data\":{\"value\":\"a\"},\"form_params\":{}}", "\ufeff{\"data\":{}}", "5",
    "null", "[1]", "\"text\"", "{", "{\"a\":1}}", "nul", "{\"form_params\":{\"x\":\"\u00e9\u4e2d\"}}",
    Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("latin1")];

  it("answers every body sent whole as it answers the same body chunked (through body-parser)", async () => {
    for (const path of ["/actions/debug/form", "/", "/actions/debug"]) {
      for (const body of BODIES) {
        const bytes = body.startsWith("{\u00ff") ? Buffer.from(body, "latin1") : Buffer.from(body);
        const whole = await send(path, bytes);
        const chunked = await send(path, bytes, {}, true);
        expect(whole, `${path} ${JSON.stringify(body)}`).to.deep.equal(chunked);
      }
    }
  });

  it("reads a form body whole, with or without a UTF-8 charset, and refuses bad JSON with 400", async () => {
    const form = await send("/actions/debug/form", "{\"data\":{},\"form_params\":{}}",
      { "Content-Type": "application/json; charset=UTF-8" });
    expect(form.status).to.equal(200);
    expect(form.body).to.include("\"sleep\"");
    const bad = await send("/actions/debug/form", "{\"data\":");
    expect(bad.status).to.equal(400);
    expect(JSON.parse(bad.body)).to.deep.equal({ success: false, error: "The request body is not valid JSON." });
  });

  it("still inflates gzip and refuses what is past the limit", async () => {
    const gzipped = await send("/actions/debug/form", zlib.gzipSync("{\"data\":{},\"form_params\":{}}"),
      { "Content-Encoding": "gzip" });
    expect(gzipped.status).to.equal(200);
    const big = await send("/actions/debug/form", `{"junk":"${"a".repeat(1024 * 1024)}"}`);
    expect(big.status).to.equal(413);
  });
});
