// Opsgenie through the real app against a fake of its Alert API on 127.0.0.1: the alerts Opsgenie
// received (auth header, fields, limits), the region's host, and its refusals.
import { expect } from "chai";
import { opsgenieBaseUrl, OpsgenieIntegration } from "../../src/integrations/opsgenie/opsgenie";
import { API_KEY, OpsgenieFake, READ_ONLY_KEY, tooManyRequests } from "../fakes/opsgenie_api";
import request from "supertest";
import { authHeader, buildTestApp } from "../helpers/app";
import { execute, form, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

function detail(rows: number): string {
  return JSON.stringify({
    ran_at: "2026-11-28T00:00:00Z",
    fields: { dimensions: [{ name: "orders.status", label_short: "Status" }],
      measures: [{ name: "orders.count", label_short: "Count" }], table_calculations: [], pivots: [] },
    data: Array.from({ length: rows }, (_v, i) => ({ "orders.status": { value: `s${i}` }, "orders.count": { value: i } })),
  });
}

describe("opsgenie integration", () => {
  let opsgenie: OpsgenieFake;
  beforeEach(async () => { opsgenie = await new OpsgenieFake().start(); });
  afterEach(async () => { await opsgenie.stop(); });

  const hub = () => buildTestApp([new OpsgenieIntegration(testHttpClient(), opsgenie.url("/"), [5, 5, 5])]).app;

  function query(fields: Record<string, string> = {}, rows = 3, key = API_KEY): any {
    return {
      type: "query", scheduled_plan: PLAN, data: { api_key: key, region: "EU" },
      form_params: { message: "Orders stuck in processing", priority: "P2", ...fields },
      attachment: { mimetype: "application/json", extension: "json", data: detail(rows) },
    };
  }

  const cell = (fields: Record<string, string> = {}) => ({
    type: "cell", scheduled_plan: { url: "https://looker.example.com/explore/x" },
    data: { api_key: API_KEY, value: "1050", rendered: "$1,050.00", field_label: "Orders Total" },
    form_params: { priority: "P1", ...fields },
  });

  it("creates one alert for a query, with the GenieKey header, the row count and first rows", async () => {
    const answer = await execute(hub(), "opsgenie", query({}, 25));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(answer.looker.message).to.equal("Opsgenie created the P2 alert alert-1.");
    expect(opsgenie.received[0].headers.authorization).to.equal(`GenieKey ${API_KEY}`);
    const [alert] = opsgenie.alerts;
    expect(alert).to.deep.include({ message: "Orders stuck in processing", priority: "P2", source: "Looker",
      tags: ["looker"], entity: "ecommerce.orders", details: { rows: "25", looker_url: PLAN.url } });
    expect(alert.alias).to.match(/^looker-[0-9a-f]{32}$/);
    const lines = alert.description.split("\n");
    expect(lines[0]).to.equal("Weekly revenue: 25 rows.");
    expect(lines).to.include.members(["Status | Count", "s0 | 0", "s9 | 9", "(first 10 of 25 rows)", PLAN.url]);
    expect(lines).not.to.include("s10 | 10");
  });

  it("asks how the create went: created after Opsgenie processed it, still processing, or turned down", async () => {
    opsgenie.processAfterAsks = 2;
    expect((await execute(hub(), "opsgenie", query())).looker.message).to.equal("Opsgenie created the P2 alert alert-1.");
    const asks = opsgenie.received.filter((r) => r.method === "GET");
    expect(asks).to.have.length(3);
    expect(asks[0].path).to.match(/^\/v2\/alerts\/requests\/[0-9a-f-]{36}$/);
    expect(asks[0].headers.authorization).to.equal(`GenieKey ${API_KEY}`);
    opsgenie.processAfterAsks = 10;
    expect((await execute(hub(), "opsgenie", query())).looker.message).to.match(/^Opsgenie accepted the P2 alert and was still processing it \(request [0-9a-f-]{36}\); its alert log shows the outcome\.$/);
    opsgenie.processAfterAsks = 0;
    opsgenie.refuseWith = "Integration is disabled";
    const refused = await execute(hub(), "opsgenie", query());
    expect(refused.looker.success).to.equal(false);
    expect(refused.looker.message).to.match(/^Opsgenie accepted the alert, then did not create it: "Integration is disabled"\. Check the API integration/);
  });

  it("reports the alert as accepted when the key may not read how it went (no Read Access: 403)", async () => {
    const route = opsgenie.handler!;
    opsgenie.handler = (r) => r.method === "GET" ? { status: 403, headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "You are not authorized to perform this operation.", took: 0, requestId: "x" }) }
      : route(r);
    const answer = await execute(hub(), "opsgenie", query());
    expect(answer.looker.success).to.equal(true);
    expect(answer.looker.message).to.match(/^Opsgenie accepted the P2 alert \(request [0-9a-f-]{36}\); asking how it went did not work/);
  });

  it("gives a schedule's alerts one alias, so Opsgenie counts a repeat instead of opening another", async () => {
    await execute(hub(), "opsgenie", query());
    await execute(hub(), "opsgenie", query({}, 7));
    expect(opsgenie.alerts[0].alias).to.equal(opsgenie.alerts[1].alias);
  });

  it("creates an alert for a clicked cell: the field and value, the priority, a link", async () => {
    const answer = await execute(hub(), "opsgenie", cell());
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(opsgenie.alerts[0]).to.deep.include({ message: "Orders Total: $1,050.00", priority: "P1",
      description: "Orders Total: $1,050.00\nhttps://looker.example.com/explore/x",
      details: { field: "Orders Total", value: "1050", looker_url: "https://looker.example.com/explore/x" } });
    await execute(hub(), "opsgenie", cell({ message: "Revenue spike" }));
    expect(opsgenie.alerts[1].message).to.equal("Revenue spike: $1,050.00");
  });

  it("creates no alert for a query without rows", async () => {
    const answer = await execute(hub(), "opsgenie", query({}, 0));
    expect(answer.looker).to.deep.include({ success: true,
      message: "The query returned no rows, so no Opsgenie alert was created." });
    expect(opsgenie.received).to.have.length(0);
  });

  it("refuses before any call: no message for a query, one over 130 characters, a priority not P1-P5", async () => {
    const none = await execute(hub(), "opsgenie", query({ message: "" }));
    expect(none.looker.validation_errors).to.have.property("message");
    const long = await execute(hub(), "opsgenie", query({ message: "m".repeat(131) }));
    expect(long.looker.validation_errors.message).to.include("at most 130 characters; this one has 131");
    const priority = await execute(hub(), "opsgenie", query({ priority: "P9" }));
    expect(priority.looker.validation_errors).to.have.property("priority");
    expect(opsgenie.received).to.have.length(0);
  });

  it("says the key was refused (401) and names the region; says a key without create access (403)", async () => {
    const wrong = await execute(hub(), "opsgenie", query({}, 3, "not-the-key"));
    expect(wrong.looker.message).to.equal("Opsgenie refused the API key (HTTP 401: \"Could not authenticate\"). Ask your " +
      "Looker admin to copy the API integration's key again, and to check the Region (a US key does not work in EU, " +
      "nor the reverse).");
    const readOnly = await execute(hub(), "opsgenie", query({}, 3, READ_ONLY_KEY));
    expect(readOnly.looker.message).to.include("Opsgenie's API key may not create alerts (HTTP 403");
  });

  it("reports Opsgenie's 422 with its errors, and its rate limit after retrying", async () => {
    opsgenie.reply({ status: 422, headers: { "content-type": "application/json" }, body: JSON.stringify({
      message: "Request body is not processable. Please check the errors.",
      errors: { responders: "Responder does not exist" }, took: 0.01, requestId: "r1" }) });
    const invalid = await execute(hub(), "opsgenie", query());
    expect(invalid.looker.message).to.equal("Opsgenie refused the alert (HTTP 422: \"Request body is not processable. " +
      "Please check the errors. Responder does not exist\").");
    opsgenie.reply(tooManyRequests(), tooManyRequests());
    expect((await execute(hub(), "opsgenie", query())).looker.success).to.equal(true);
    opsgenie.reply(tooManyRequests(), tooManyRequests(), tooManyRequests());
    expect((await execute(hub(), "opsgenie", query())).looker.message).to.include("Opsgenie kept answering 429");
  });

  it("counts a large result row by row, keeping only the first rows", async () => {
    const csv = `Status,Count\n${"stuck,1\n".repeat(200_000)}`;
    const answer = await execute(hub(), "opsgenie", { ...query(),
      attachment: { mimetype: "text/csv", extension: "csv", data: csv } });
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(opsgenie.alerts[0].details.rows).to.equal("200000");
    expect(opsgenie.alerts[0].description).to.include("(first 10 of 200,000 rows)");
  });

  // docs/dry_run.md: the key is read with List alerts (a GET); nothing is created.
  it("a dry run reads the alerts with the key; a refused key, or one without Read Access, fails it", async () => {
    const dry = (key: string) => request(hub()).post("/actions/opsgenie/execute").set("Authorization", authHeader())
      .set("X-Hub-Dry-Run", "true").send(query({}, 3, key)).then((res) => res.body.looker);
    const ok = await dry(API_KEY);
    expect(ok.success, ok.message).to.equal(true);
    expect(ok.message).to.match(/^Dry run, nothing was sent to Opsgenie: Opsgenie took the API key \(List alerts\); it would get/);
    expect((await dry("not-a-key")).message).to.match(/^Opsgenie refused the API key \(HTTP 401/);
    const route = opsgenie.handler!;
    opsgenie.handler = (r) => r.method === "GET" ? { status: 403, headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "You are not authorized to perform this operation.", took: 0, requestId: "x" }) }
      : route(r);
    expect((await dry(API_KEY)).message).to.match(/may not read alerts \(HTTP 403\): give the API integration Read Access/);
    expect(opsgenie.received.map((r) => r.method)).to.deep.equal(["GET", "GET", "GET"]);
    expect(opsgenie.open.size).to.equal(0);
  });

  it("uses the region's host, or OPSGENIE_API_URL over both", () => {
    expect(opsgenieBaseUrl(undefined)).to.equal("https://api.opsgenie.com/");
    expect(opsgenieBaseUrl("us")).to.equal("https://api.opsgenie.com/");
    expect(opsgenieBaseUrl(" EU ")).to.equal("https://api.eu.opsgenie.com/");
    expect(opsgenieBaseUrl("EU", "http://127.0.0.1:9/")).to.equal("http://127.0.0.1:9/");
    expect(() => opsgenieBaseUrl("APAC")).to.throw("must be US or EU");
  });

  it("offers its form: the message required for a query, optional for a cell", async () => {
    const q = await form(hub(), "opsgenie", { type: "query" });
    expect(q.fields.map((f: { name: string }) => f.name)).to.deep.equal(["message", "priority", "deduplicate"]);
    expect(q.fields[2].default).to.equal("schedule");
    expect(q.fields[0].required).to.equal(true);
    expect(q.fields[1].options.map((o: { name: string }) => o.name)).to.deep.equal(["P1", "P2", "P3", "P4", "P5"]);
    const cellForm = await form(hub(), "opsgenie", { type: "cell" });
    expect(cellForm.fields[0].required).to.equal(false);
    expect(cellForm.fields.map((f: { name: string }) => f.name)).to.deep.equal(["message", "priority"]);
  });
});
