// Short plain execute bodies are read whole (src/data/body/whole_execute_body.ts); the rest, and
// any of them the streaming reader must see, go through src/data/body/payload_stream.ts. Both must
// answer alike.
import { expect } from "chai";
import * as http from "http";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { authHeader, buildTestApp, serveDuringSuite } from "../helpers/app";

interface Answer { status: number; body: string; }

/** An answer without what differs from request to request (the failure reference, request ids). */
function comparable(answer: Answer): Answer {
  return { status: answer.status, body: answer.body.replace(/\(ref [0-9a-f]+\)/g, "(ref)")
    .replace(/request id [0-9a-f-]+/g, "request id").replace(/"request_id":"[^"]*"/g, "\"request_id\"") };
}

describe("short plain execute bodies", () => {
  const { app } = buildTestApp([new DebugIntegration()]);
  const served = serveDuringSuite(app);

  /** An execute with `body` sent whole with its Content-Length, or chunked (the streaming reader reads it). */
  const send = (body: string, chunked: boolean) => new Promise<Answer>((resolve, reject) => {
    const bytes = Buffer.from(body);
    const req = http.request({ host: "127.0.0.1", port: served.port(), path: "/actions/debug/execute", method: "POST",
      headers: {
      "Authorization": authHeader(), "Content-Type": "application/json",
      ...(chunked ? {} : { "Content-Length": String(bytes.length) }) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => { text += c; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text.trim() }));
    });
    req.on("error", reject);
    req.end(bytes);
  });

  const BODIES = [
    { type: "cell", data: { value: "acme-corp-1042", rendered: "Acme" }, form_params: {} },
    { data: { value: "x" } },
    { type: "query", attachment: { mimetype: "text/csv", extension: "csv", data: "a,b\n1,2\n" } },
    { type: "query", attachment: { mimetype: "text/csv;base64", extension: "csv", data: "YSxiCjEsMgo=" } },
    { type: "query", attachment: { mimetype: "application/json", extension: "json", data: [{ a: 1 }] } },
    { type: "query", attachment: { data: 5 } },
    { type: "query", attachment: { data: true, mimetype: "application/json" } },
    { type: "query", attachment: { data: null, mimetype: "text/csv" } },
    { type: "query", attachment: {} },
    { type: "query", attachment: null },
    { type: "query", attachment: "x" },
    { type: "query", attachment: [1] },
    { type: "query", attachment: { mimetype: "a\u0001b", data: 1 } },
    { type: "bogus" },
    { type: "query", form_params: 5 },
    { type: "query", data: { value: { deep: [1] } } },
    { type: "query", scheduled_plan: { title: "t", download_url: 5 } },
    { type: "query", scheduled_plan: { title: "t", download_url: "http://127.0.0.1:1/x" }, form_params: {} },
    { type: "query", junk: { a: [1, 2, { b: null }] }, data: { test: "true" } },
  ].map((b) => JSON.stringify(b)).concat(["[1]", "5", "", "{", "{\"type\":\"cell\"} trailing", "\ufeff{}", "null"]);

  it("answers every body sent whole as the streaming reader answers it chunked", async () => {
    for (const body of BODIES) {
      const whole = await send(body, false);
      const chunked = await send(body, true);
      expect(comparable(whole), body).to.deep.equal(comparable(chunked));
    }
  });

  it("gives a cell action's value to the integration", async () => {
    const answer = await send(BODIES[0], false);
    expect(answer.status).to.equal(200);
    expect(JSON.parse(answer.body).looker).to.include({ success: true });
    expect(answer.body).to.include("received cell value of 14 bytes");
  });
});
