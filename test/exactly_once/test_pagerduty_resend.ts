// pagerduty: the same delivery sent twice (same X-Looker-Webhook-Id) opens no second incident: every
// event's dedup_key names the incident the first send opened, and PagerDuty adds a trigger with an open
// incident's key to that incident. Keys are per schedule and row on purpose (the next run of the
// schedule updates its open incidents), so another schedule's delivery opens its own
// (docs/exactly_once.md).
import { expect } from "chai";
import { PagerDutyIntegration } from "../../src/integrations/pagerduty/pagerduty";
import { PagerDutyFake, ROUTING_KEY } from "../fakes/pagerduty_events";
import { buildTestApp } from "../helpers/app";
import { PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";
import { queryPayload } from "../integrations/ops/ops_payloads";
import { executeAs } from "./resend";

describe("pagerduty: a re-sent delivery", () => {
  let fake: PagerDutyFake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new PagerDutyFake().start();
    hub = buildTestApp([new PagerDutyIntegration(testHttpClient(), fake.url("/"))]);
  });
  afterEach(() => fake.stop());
  const send = (webhookId: string, eventPer: string, plan: Record<string, unknown> = PLAN, deduplicate?: string) =>
    executeAs(hub.app, "pagerduty", queryPayload({ routing_key: ROUTING_KEY },
      { severity: "critical", event_per: eventPer, ...(deduplicate ? { deduplicate } : {}) },
      { tag: "host", values: ["web-1", "web-2", "db-1"], measure: true }, plan), webhookId);

  for (const eventPer of ["row", "summary"]) {
    it(`with the same webhook id opens no second incident (one event per ${eventPer})`, async () => {
      expect((await send("wh-pd-1", eventPer)).looker.success).to.equal(true);
      const once = [...fake.incidents.entries()].map(([key, i]) => [key, i.summary]);
      expect(once).to.have.length(eventPer === "row" ? 3 : 1);
      expect((await send("wh-pd-1", eventPer)).looker.success).to.equal(true);
      expect([...fake.incidents.entries()].map(([key, i]) => [key, i.summary])).to.deep.equal(once);
      expect([...fake.incidents.values()].every((i) => i.triggers === 2), "the second send is logged on them").to.equal(true);
    });
  }

  it("another schedule's delivery opens incidents of its own", async () => {
    await send("wh-pd-1", "row");
    await send("wh-pd-2", "row", { ...PLAN, scheduled_plan_id: 13 });
    expect(fake.incidents.size).to.equal(6);
  });

  // The issue asks that different deliveries never share an id; alert de-duplication wants the
  // opposite for runs of one schedule. The form's "Deduplicate" chooses; the default keeps the
  // schedule's key (docs/exactly_once.md, "Alerts: per schedule or per delivery").
  it("per schedule (the default): the schedule's next run (another webhook id) updates its open incidents", async () => {
    await send("wh-pd-1", "row");
    await send("wh-pd-2", "row");
    expect(fake.incidents.size).to.equal(3);
    expect([...fake.incidents.values()].every((i) => i.triggers === 2)).to.equal(true);
  });

  for (const eventPer of ["row", "summary"]) {
    it(`per delivery: another run opens incidents of its own; the same delivery again does not (${eventPer})`, async () => {
      await send("wh-pd-1", eventPer, PLAN, "delivery");
      await send("wh-pd-1", eventPer, PLAN, "delivery");
      const once = eventPer === "row" ? 3 : 1;
      expect(fake.incidents.size).to.equal(once);
      await send("wh-pd-2", eventPer, PLAN, "delivery");
      expect(fake.incidents.size).to.equal(2 * once);
    });
  }

  it("refuses a Deduplicate it does not know, sending nothing", async () => {
    const answer = await send("wh-pd-1", "row", PLAN, "forever");
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/Deduplicate must be "schedule" or "delivery"/);
    expect(fake.incidents.size).to.equal(0);
  });
});
