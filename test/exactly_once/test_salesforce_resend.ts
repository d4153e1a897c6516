// salesforce_campaigns: the same delivery sent twice (same X-Looker-Webhook-Id) to an existing campaign
// leaves its members as one send did: Salesforce refuses a person already in the campaign with
// DUPLICATE_VALUE, which the hub counts as "a member already" (docs/exactly_once.md). Another delivery
// with other people adds them beside the first.
import { expect } from "chai";
import { crmSettings } from "../../src/config/crm";
import { Sealer } from "../../src/hub/oauth/sealing";
import { storedStateFor } from "../../src/hub/oauth/stored_state";
import { SalesforceCampaignsIntegration } from "../../src/integrations/salesforce/salesforce_campaigns";
import { FakeSalesforce } from "../fakes/salesforce_api";
import { buildTestApp, TEST_SECRET, TestApp } from "../helpers/app";
import { FAST_HTTP_ENV, testHttpClient } from "../helpers/http";
import { cells, detail, executeBody } from "../integrations/crm/helpers";
import { executeAs, snapshot } from "./resend";

const NAME = "salesforce_campaigns";
const CAMPAIGN = "701000000000002AAA";
const FIELDS = { dimensions: [{ name: "people.contact", label: "People Contact", tags: ["sfdc_contact_id"] }] };
const people = (from: number, n: number) => detail(FIELDS, cells(Array.from({ length: n }, (_, i) =>
  ({ "people.contact": `003${String(from + i).padStart(12, "0")}AAA` }))));

describe("salesforce_campaigns: a re-sent delivery", () => {
  let sf: FakeSalesforce;
  let app: TestApp;
  beforeEach(async () => {
    sf = await new FakeSalesforce().start();
    const env = { ...FAST_HTTP_ENV, SALESFORCE_CLIENT_ID: sf.clientId, SALESFORCE_CLIENT_SECRET: sf.clientSecret };
    app = buildTestApp([new SalesforceCampaignsIntegration(testHttpClient(env), crmSettings(env).salesforce, 5)], env);
  });
  afterEach(async () => { await sf.stop(); });
  const send = (payload: unknown, webhookId: string, formParams: Record<string, string> =
  { create_or_append: "append", campaign_name: CAMPAIGN }) => {
    const tokens = sf.issue();
    const state = storedStateFor(new Sealer(TEST_SECRET), NAME, { accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken, extra: { instance_url: sf.url, salesforce_domain: sf.domain } });
    return executeAs(app.app, NAME, executeBody(payload, { params: { salesforce_domain: sf.domain, state_json: state },
      formParams }), webhookId);
  };

  it("with the same webhook id leaves the campaign's members as one send did", async () => {
    expect((await send(people(0, 5), "wh-sf-1")).looker.success).to.equal(true);
    const once = snapshot(sf.members);
    expect(sf.members.get(CAMPAIGN)!.size).to.equal(5);
    const again = await send(people(0, 5), "wh-sf-1");
    expect(again.looker).to.include({ success: true });
    expect(again.looker.message).to.include("5 of them were members already.");
    expect(snapshot(sf.members)).to.deep.equal(once);
  });

  it("another delivery's people are added beside them", async () => {
    await send(people(0, 5), "wh-sf-1");
    await send(people(5, 3), "wh-sf-2");
    expect(sf.members.get(CAMPAIGN)!.size).to.equal(8);
  });

  // "Create a new campaign": Salesforce takes no idempotency key for a create, so the campaign's
  // Description carries the delivery's mark and a re-send finds it (docs/exactly_once.md,
  // "Created lists, audiences and campaigns").
  const create = { create_or_append: "create", campaign_name: "Winter 2026" };
  const named = (name: string) => [...sf.campaigns].filter(([, n]) => n === name).map(([id]) => id);

  it("creating: the same webhook id finds the campaign it created and adds to it, its members once", async () => {
    expect((await send(people(0, 3), "wh-sfc-1", create)).looker.success).to.equal(true);
    const [id] = named("Winter 2026");
    expect(sf.descriptions.get(id)).to.equal("[Looker delivery wh-sfc-1]");
    const again = await send(people(0, 3), "wh-sfc-1", create);
    expect(again.looker).to.include({ success: true });
    expect(again.looker.message).to.include("3 of them were members already.");
    expect(named("Winter 2026")).to.deep.equal([id]);
    expect(sf.members.get(id)!.size).to.equal(3);
  });

  it("creating: another delivery creates a campaign of its own, even of the same name", async () => {
    await send(people(0, 3), "wh-sfc-1", create);
    await send(people(0, 3), "wh-sfc-2", create);
    expect(named("Winter 2026")).to.have.length(2);
  });
});
