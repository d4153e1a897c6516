// pagerduty through the real app against a local fake of PagerDuty's Events API v2.
import { expect } from "chai";
import { PagerDutyIntegration } from "../../../src/integrations/pagerduty/pagerduty";
import { PagerDutyFake, ROUTING_KEY } from "../../fakes/pagerduty_events";
import { buildTestApp } from "../../helpers/app";
import { execute, form, PLAN } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";
import { cellPayload, queryPayload } from "./ops_payloads";

describe("pagerduty integration", () => {
  let fake: PagerDutyFake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new PagerDutyFake().start();
    hub = buildTestApp([new PagerDutyIntegration(testHttpClient(), fake.url("/"))]);
  });
  afterEach(() => fake.stop());
  const params = { routing_key: ROUTING_KEY };
  const rows = (formParams: Record<string, string>, values: string[] = ["web-1", "web-2", "db-1"],
    plan: Record<string, unknown> = PLAN) =>
    execute(hub.app, "pagerduty", queryPayload(params, { severity: "critical", ...formParams },
      { tag: "host", values, measure: true }, plan));

  it("has a sensitive routing key and the form fields, with the row options only for queries", async () => {
    const def = hub.registry.definition(hub.registry.get("pagerduty", null), null) as any;
    expect(def.params.map((p: any) => [p.name, p.required, p.sensitive])).to.deep.equal([["routing_key", true, true]]);
    expect(def.supported_action_types).to.deep.equal(["cell", "query"]);
    const queryForm = await form(hub.app, "pagerduty", { type: "query" });
    expect(queryForm.fields.map((f: any) => f.name)).to.deep.equal(
      ["severity", "summary", "dedup_key", "event_per", "max_events", "deduplicate"]);
    const cellForm = await form(hub.app, "pagerduty", { type: "cell" });
    expect(cellForm.fields.map((f: any) => f.name)).to.deep.equal(["severity", "summary", "dedup_key"]);
  });

  it("triggers one event for a cell, with its field, value and a link back to Looker", async () => {
    const payload = cellPayload({ ...params, field_label: "Customer" }, { severity: "warning" });
    payload.scheduled_plan = { url: "https://looker.example.com/explore/x?qid=1" };
    const answer = await execute(hub.app, "pagerduty", payload);
    const event = fake.events[0];
    expect(event).to.deep.include({ routing_key: ROUTING_KEY, event_action: "trigger", client: "Looker",
      client_url: "https://looker.example.com/explore/x?qid=1" });
    expect(event.payload).to.deep.include({ summary: "Customer is Acme Corp (1042)", severity: "warning",
      source: "looker.example.com" });
    expect(event.payload.custom_details).to.deep.equal({ field: "Customer", value: "acme-corp-1042",
      rendered: "Acme Corp (1042)" });
    expect(event.links).to.deep.equal([{ href: "https://looker.example.com/explore/x?qid=1", text: "Open in Looker" }]);
    expect(event.dedup_key).to.match(/^looker-[0-9a-f]{32}$/);
    expect(answer.looker).to.deep.include({ success: true, message:
      `Triggered an event for Customer Acme Corp (1042) (dedup key ${event.dedup_key}) in PagerDuty.` });
  });

  it("uses a typed dedup key and summary as they are for a cell (the fixture's shape)", async () => {
    const answer = await execute(hub.app, "pagerduty", cellPayload(params, { dedup_key: "acme-outage",
      summary: "Acme is down" }));
    expect(answer.looker.success).to.equal(true);
    expect(fake.events[0].dedup_key).to.equal("acme-outage");
    expect(fake.events[0].payload.summary).to.equal("Acme is down: Value is Acme Corp (1042)");
  });

  it("triggers one event per row, keyed by schedule and row, so the next run updates them", async () => {
    const first = await rows({});
    expect(first.looker).to.deep.include({ success: true,
      message: "Triggered 3 events in PagerDuty: web-1 / name 1, web-2 / name 2, db-1 / name 3." });
    const events = fake.events;
    expect(events.map((e) => e.payload.summary)).to.deep.equal(
      ["Weekly revenue: web-1 / name 1", "Weekly revenue: web-2 / name 2", "Weekly revenue: db-1 / name 3"]);
    expect(events[0].payload.custom_details).to.deep.equal({ ID: "web-1", Name: "name 1", Cost: "$100.00" });
    expect(new Set(events.map((e) => e.dedup_key)).size).to.equal(3);
    // Measures change from run to run; the row's dimensions name it, so its key stays.
    await execute(hub.app, "pagerduty", queryPayload(params, {}, { tag: "host", values: ["web-1", "web-2", "db-1"] }));
    expect(fake.events.slice(3).map((e) => e.dedup_key)).to.deep.equal(events.map((e) => e.dedup_key));
    await rows({}, ["web-1", "web-2", "db-1"], { ...PLAN, scheduled_plan_id: 99 });
    expect(fake.events.slice(6)[0].dedup_key, "another schedule, another incident").to.not.equal(events[0].dedup_key);
    await rows({});
    expect(fake.events.slice(9).map((e) => e.dedup_key)).to.deep.equal(events.map((e) => e.dedup_key));
  });

  it("prefixes each row's key with a typed dedup key", async () => {
    await rows({ dedup_key: "nightly" });
    for (const e of fake.events) { expect(e.dedup_key).to.match(/^nightly-[0-9a-f]{12}$/); }
  });

  it("sends at most the form's number of events and says how many rows were left out", async () => {
    const answer = await rows({ max_events: "2" });
    expect(fake.events).to.have.length(2);
    expect(answer.looker.message).to.equal("Triggered 2 events in PagerDuty: web-1 / name 1, web-2 / name 2. " +
      "Only the first 2 of 3 rows were sent (the form's \"Most events\").");
  });

  it("sends one summary event with the row count and the first rows", async () => {
    const answer = await rows({ event_per: "summary" });
    expect(answer.looker).to.deep.include({ success: true, message: "Triggered one PagerDuty event for 3 rows." });
    expect(fake.events).to.have.length(1);
    expect(fake.events[0].payload.summary).to.equal("Weekly revenue: 3 rows");
    expect(fake.events[0].payload.custom_details.rows).to.equal(3);
    expect(fake.events[0].payload.custom_details.first_rows[2]).to.deep.equal({ ID: "db-1", Name: "name 3", Cost: "$102.00" });
  });

  it("counts and names the rows PagerDuty refused", async () => {
    fake.refuse = (e) => e.payload.summary.includes("web-2") ? ["'payload.custom_details' is too large"] : undefined;
    const answer = await rows({});
    expect(answer.looker).to.deep.include({ success: false, message: "Triggered 2 of 3 events in PagerDuty; " +
      "1 failed: web-2 / name 2 (PagerDuty refused the event (HTTP 400: 'payload.custom_details' is too large))." });
  });

  it("explains a refused routing key", async () => {
    const answer = await execute(hub.app, "pagerduty", cellPayload({ routing_key: "short" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal("Could not trigger an event for Value Acme Corp (1042) in PagerDuty: " +
      "PagerDuty refused the Integration Key (Length of 'routing_key' is incorrect (should be 32 characters)); " +
      "ask your Looker admin to copy it again from the service's Events API v2 integration.");
  });

  it("retries a rate limit, and names a rate limit that does not lift", async () => {
    const limited = { status: 429, body: "{\"status\":\"throttle event\",\"message\":\"Requests for this service are arriving too quickly.\"}" };
    fake.reply(limited);
    expect((await execute(hub.app, "pagerduty", cellPayload(params))).looker.success).to.equal(true);
    fake.reply(limited, limited, limited);
    const answer = await execute(hub.app, "pagerduty", cellPayload(params));
    expect(answer.looker.message).to.equal("Could not trigger an event for Value Acme Corp (1042) in PagerDuty: " +
      "PagerDuty's rate limit for this integration key was reached; try again in a minute.");
  });

  it("sends nothing for a query without rows, and checks the limit", async () => {
    const empty = await rows({}, []);
    expect(empty.looker).to.deep.include({ success: true,
      message: "The query returned no rows, so no PagerDuty event was sent." });
    const bad = await rows({ max_events: "many" });
    expect(bad.looker.validation_errors).to.have.property("max_events");
    expect(fake.events).to.have.length(0);
  });

  it("never logs the routing key or row values", async () => {
    await rows({});
    expect(hub.logs()).to.include("delivery finished");
    expect(hub.logs()).to.not.include(ROUTING_KEY);
    expect(hub.logs()).to.not.include("web-1");
  });
});
