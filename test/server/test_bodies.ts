// Short plain bodies are read without body-parser (src/server/bodies.ts); every other body
// still goes through it. Both must answer alike.
import { expect } from "chai";
import * as http from "http";
import * as net from "net";
import * as zlib from "zlib";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { authHeader, buildTestApp, serveDuringSuite } from "../helpers/app";

interface Answer { status: number; body: string; }

describe("whole JSON bodies (list, definition, form)", () => {
  const { app } = buildTestApp([new DebugIntegration()]);
  const served = serveDuringSuite(app);

  /** A POST with `body` sent whole with its Content-Length, or chunked (no length: body-parser reads it). */
  const send = (path: string, body: Buffer | string, headers: Record<string, string> = {}, chunked = false) =>
    new Promise<Answer>((resolve, reject) => {
      const bytes = Buffer.from(body);
      const req = http.request({ host: "127.0.0.1", port: served.port(), path, method: "POST", headers: {
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

describe("a short plain body cut off by its client", () => {
  const { app, logs } = buildTestApp([new DebugIntegration()]);
  const served = serveDuringSuite(app);

  it("is seen as aborted, and the hub goes on serving", async () => {
    const port = served.port();
    const socket = net.connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(`POST /actions/debug/form HTTP/1.1\r\nHost: x\r\nAuthorization: ${authHeader()}\r\n` +
      "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"data\":{");
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    const aborted = () => logs().split("\n").filter(Boolean).map((l) => JSON.parse(l))
      .find((l) => l.message === "request" && l.path === "/actions/debug/form");
    for (let i = 0; i < 100 && !aborted(); i++) { await new Promise((resolve) => setTimeout(resolve, 20)); }
    expect(aborted()).to.include({ method: "POST", aborted: true });
    const after = await new Promise<number>((resolve, reject) => {
      http.request({ host: "127.0.0.1", port, path: "/status" }, (res) => { res.resume(); resolve(res.statusCode!); })
        .on("error", reject).end();
    });
    expect(after).to.equal(200);
  });
});
