// opsgenie: the same delivery sent twice (same X-Looker-Webhook-Id) opens no second alert: the alias
// names the alert the first send opened, and Opsgenie adds one to an open alert's count for a create
// with its alias. Aliases are per schedule on purpose (the next run counts on the open alert), so
// another schedule's delivery opens its own (docs/exactly_once.md).
import { expect } from "chai";
import { OpsgenieIntegration } from "../../src/integrations/opsgenie/opsgenie";
import { API_KEY, OpsgenieFake } from "../fakes/opsgenie_api";
import { buildTestApp } from "../helpers/app";
import { PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";
import { executeAs } from "./resend";

const DETAIL = JSON.stringify({ fields: { dimensions: [{ name: "orders.status" }], measures: [] },
  data: [{ "orders.status": { value: "stuck" } }] });

describe("opsgenie: a re-sent delivery", () => {
  let opsgenie: OpsgenieFake;
  beforeEach(async () => { opsgenie = await new OpsgenieFake().start(); });
  afterEach(async () => { await opsgenie.stop(); });
  const send = (webhookId: string, plan: Record<string, unknown> = PLAN, deduplicate?: string) =>
    executeAs(buildTestApp([new OpsgenieIntegration(testHttpClient(), opsgenie.url("/"), [5, 5, 5])]).app,
      "opsgenie", { type: "query", scheduled_plan: plan, data: { api_key: API_KEY, region: "EU" },
        form_params: { message: "Orders stuck", priority: "P2", ...(deduplicate ? { deduplicate } : {}) },
        attachment: { mimetype: "application/json", extension: "json", data: DETAIL } }, webhookId);

  it("with the same webhook id opens no second alert: the open alert counts it", async () => {
    expect((await send("wh-og-1")).looker.success).to.equal(true);
    const once = [...opsgenie.open.keys()];
    expect(once).to.have.length(1);
    expect((await send("wh-og-1")).looker.success).to.equal(true);
    expect([...opsgenie.open.keys()]).to.deep.equal(once);
    expect(opsgenie.open.get(once[0])!.count).to.equal(2);
  });

  it("another schedule's delivery opens an alert of its own", async () => {
    await send("wh-og-1");
    await send("wh-og-2", { ...PLAN, scheduled_plan_id: 13 });
    expect(opsgenie.open.size).to.equal(2);
  });

  it("per schedule (the default): the schedule's next run (another webhook id) counts on the open alert", async () => {
    await send("wh-og-1");
    await send("wh-og-2");
    expect(opsgenie.open.size).to.equal(1);
    expect([...opsgenie.open.values()][0].count).to.equal(2);
  });

  it("per delivery: another run opens an alert of its own; the same delivery again does not", async () => {
    await send("wh-og-1", PLAN, "delivery");
    await send("wh-og-1", PLAN, "delivery");
    expect(opsgenie.open.size).to.equal(1);
    await send("wh-og-2", PLAN, "delivery");
    expect(opsgenie.open.size).to.equal(2);
  });
});
