import { expect } from "chai";
import { PassThrough } from "stream";
import request from "supertest";
import { Registry } from "../../src/hub/registry";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { createLogger } from "../../src/lib/logger";
import { createApp } from "../../src/server/app";
import { HubMetrics } from "../../src/server/metrics";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { FailingIntegration } from "../helpers/integrations";

function metricValue(text: string, line: string): number {
  const found = text.split("\n").find((l) => l.startsWith(line + " "));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

describe("GET /metrics", () => {
  const config = testConfig();
  const registry = new Registry([new DebugIntegration(), new FailingIntegration()], config.label, config.baseUrl);
  const app = createApp({ config, registry,
    logger: createLogger({ level: "error", format: "json", stream: new PassThrough().resume() }),
    metrics: new HubMetrics(true) });
  const post = (path: string) => request(app).post(path).set("Authorization", authHeader());

  it("shows a delivery's counters change, by integration and outcome", async () => {
    const before = (await request(app).get("/metrics").expect(200)).text;
    const ok = "hub_deliveries_total{integration=\"debug\",outcome=\"success\"}";
    const failed = "hub_deliveries_total{integration=\"failing\",outcome=\"failure\"}";
    const errored = "hub_deliveries_total{integration=\"failing\",outcome=\"error\"}";
    await post("/actions/debug/execute").send({ type: "query",
      attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n" } }).expect(200);
    await post("/actions/failing/execute").send({ type: "query", form_params: { mode: "user" } }).expect(200);
    await post("/actions/failing/execute").send({ type: "query", form_params: { mode: "internal" } }).expect(500);
    await post("/actions/debug/form").send({}).expect(200);
    const after = await request(app).get("/metrics").expect(200).expect("content-type", /text\/plain/);
    expect(metricValue(after.text, ok) - metricValue(before, ok)).to.equal(1);
    expect(metricValue(after.text, failed) - metricValue(before, failed)).to.equal(1);
    expect(metricValue(after.text, errored) - metricValue(before, errored)).to.equal(1);
    expect(metricValue(after.text, "hub_form_requests_total{integration=\"debug\",outcome=\"success\"}"))
      .to.be.at.least(1);
    expect(after.text).to.include("hub_delivery_duration_seconds_bucket{le=\"0.05\",integration=\"debug\"");
    expect(after.text).to.include("hub_deliveries_in_flight");
    const bytes = "hub_delivered_bytes_total{integration=\"debug\"}";
    expect(metricValue(after.text, bytes) - metricValue(before, bytes)).to.equal(4);
    const rows = "hub_delivered_rows_total{integration=\"debug\"}";
    expect(metricValue(after.text, rows) - metricValue(before, rows)).to.equal(1);
    expect(after.text).to.include("nodejs_eventloop_lag_seconds");
    expect(after.text).to.include("process_resident_memory_bytes");
  });

  it("can be protected by METRICS_TOKEN", async () => {
    const { app: guarded } = buildTestApp([], { METRICS_TOKEN: "metrics-token-1" });
    const refused = await request(guarded).get("/metrics").expect(401);
    expect(refused.body.success).to.equal(false);
    await request(guarded).get("/metrics").set("Authorization", "Bearer wrong").expect(401);
    const ok = await request(guarded).get("/metrics").set("Authorization", "Bearer metrics-token-1").expect(200);
    expect(ok.text).to.include("hub_deliveries_total");
  });
});
