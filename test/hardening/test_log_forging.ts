// Logs cannot be forged and never echo body text: control characters in logged values are
// escaped in every format, and parse errors name positions and kinds, not the body's keys.
import { expect } from "chai";
import { PassThrough } from "stream";
import request from "supertest";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { Registry } from "../../src/hub/registry";
import { createLogger, escapeControls } from "../../src/lib/logger";
import { createApp } from "../../src/server/app";
import { authHeader, testConfig } from "../helpers/app";

function appLogging(format: "json" | "pretty") {
  const config = testConfig();
  const sink = new PassThrough();
  let text = "";
  sink.on("data", (c) => { text += c.toString(); });
  const logger = createLogger({ level: "debug", format, stream: sink });
  const registry = new Registry([new DebugIntegration()], config.label, config.baseUrl);
  return { app: createApp({ config, registry, logger }), logs: () => text };
}

describe("log forging and body text in logs", () => {
  for (const format of ["pretty", "json"] as const) {
    it(`escapes a percent-encoded newline of the path in ${format} lines`, async () => {
      const { app, logs } = appLogging(format);
      const forged = "2026-01-01T00:00:00.000Z info delivery finished success=true";
      await request(app).post(`/actions/x%0A${encodeURIComponent(forged)}%0D%1B[31m/form`)
        .set("Authorization", authHeader()).send({}).expect(404);
      const lines = logs().split("\n").filter(Boolean);
      expect(lines.length).to.be.at.least(2);
      for (const line of lines) {
        expect(line.startsWith("2026-01-01"), line).to.equal(false);
        expect(line, line).not.to.match(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      }
      expect(logs()).to.include(format === "pretty" ? "\\u000a2026-01-01" : "\\n2026-01-01");
      if (format === "json") { for (const line of lines) { JSON.parse(line); } }
    });
  }

  it("cuts Looker's id headers and the path of a refused request to a short length in the log", async () => {
    const { app, logs } = appLogging("json");
    const long = "w".repeat(6 * 1024);
    await request(app).post(`/actions/${"p".repeat(2 * 1024)}/form`).set("X-Looker-Webhook-Id", long)
      .set("X-Looker-Instance", long).send({}).expect(403);
    const lines = logs().split("\n").filter(Boolean);
    expect(lines.length).to.be.at.least(1);
    for (const line of lines) {
      expect(line.length, line.slice(0, 300)).to.be.below(1024);
      const fields = JSON.parse(line);
      for (const key of ["webhookId", "instanceId"]) {
        if (fields[key] !== undefined) { expect(fields[key]).to.match(/^w{128}\.\.\.\(6144 characters\)$/); }
      }
    }
    expect(logs()).to.include("webhookId");
  });

  it("escapes C1 controls and the Unicode line separators too, keeping JSON lines valid", () => {
    const sink = new PassThrough();
    let text = "";
    sink.on("data", (c) => { text += c.toString(); });
    const logger = createLogger({ level: "info", format: "json", stream: sink });
    logger.info("a\u2028b", { reason: "c\u2029d\u0085e\u007ff" });
    expect(text).not.to.match(/[\u2028\u2029\u0085\u007f]/);
    expect(JSON.parse(text.trim())).to.include({ message: "a\u2028b", reason: "c\u2029d\u0085e\u007ff" });
    expect(escapeControls("x\r\ny\u001b[0m")).to.equal("x\\u000d\\u000ay\\u001b[0m");
  });

  it("never echoes a key or value of a malformed execute body into the parse error or the log", async () => {
    const { app, logs } = appLogging("json");
    const secret = "BODYSECRET-4711";
    for (const body of [`{"${secret}" "x"}`, `{"type":"query","${secret}":}`, `{"type":"query","data":{"${secret}":1 2}}`,
      `{"type":"query","form_params":{"x":"${secret}\\q"}}`, `{"${secret}":[1,2}`]) {
      const res = await request(app).post("/actions/debug/execute").set("Authorization", authHeader())
        .set("Content-Type", "application/json").send(body);
      expect(res.status, body).to.equal(400);
      expect(res.text, body).not.to.include(secret);
      expect(res.body.error, body).to.match(/not valid JSON: .*\(at byte \d+\)|not valid JSON: /);
    }
    expect(logs()).not.to.include(secret);
    expect(logs()).to.match(/execute refused/);
  });
});
