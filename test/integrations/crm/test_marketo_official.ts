// The official hub's Marketo cases (looker-open-source/actions src/actions/marketo/test_marketo.ts),
// each replayed through the real app against the local Marketo: the same leads, the same
// campaign and list calls, the same success or failure. Each `it` names the official one.
import { expect } from "chai";
import request from "supertest";
import { CrmSettings } from "../../../src/config/crm";
import { MarketoIntegration } from "../../../src/integrations/marketo/marketo";
import { HttpClient } from "../../../src/lib/http_client";
import { authHeader } from "../../helpers/app";
import { FakeMarketo, MARKETO_CLIENT } from "../../fakes/marketo_api";
import { cells, crmApp, detail, execute, executeBody, form } from "./helpers";

const build = (http: HttpClient, settings: CrmSettings) =>
  [new MarketoIntegration(http, settings, { rateLimitWaitMs: 5 })];

// The official sample: one field with two tags (one of them Marketo's), one untagged field.
const SAMPLE = detail({ dimensions: [
  { name: "users.id", tags: ["user_id", "marketo:Account__c"] },
  { name: "users.email", tags: ["email", "marketo:email"] },
  { name: "users.gender", tags: ["marketo:gender"] },
  { name: "users.random" },
] }, cells([
  { "users.id": 4653, "users.email": "zoraida.gregoire@example.com", "users.gender": "f", "users.random": 7 },
  { "users.id": 629, "users.email": "zola.summers@example.com", "users.gender": "m", "users.random": 4 },
  { "users.id": 6980, "users.email": "zoe.brady@example.com", "users.gender": "f", "users.random": 5 },
]));
const EXPECTED_LEADS = [
  { Account__c: 4653, email: "zoraida.gregoire@example.com", gender: "f" },
  { Account__c: 629, email: "zola.summers@example.com", gender: "m" },
  { Account__c: 6980, email: "zoe.brady@example.com", gender: "f" },
];

describe("Marketo: the official hub's test cases", () => {
  let fake: FakeMarketo;
  let app: ReturnType<typeof crmApp>;
  const run = (formParams: Record<string, string>) => execute(app, "marketo", executeBody(SAMPLE, {
    params: { url: fake.url, clientID: MARKETO_CLIENT.id, clientSecret: MARKETO_CLIENT.secret }, formParams }));
  const leadIds = () => EXPECTED_LEADS.map((l) => fake.leads.get(l.email)!.id);
  beforeEach(async () => {
    fake = await new FakeMarketo().start();
    fake.campaigns.add("101").add("202");
    app = crmApp(build);
  });
  afterEach(async () => { await fake.stop(); });

  function expectLeadsSent(): void {
    const [leads] = fake.to(/leads\.json$/).filter((r) => r.path === "/rest/v1/leads.json");
    expect(leads.body).to.deep.equal({ action: "createOrUpdate", lookupField: "email", input: EXPECTED_LEADS });
  }

  describe("refused before any call", () => {
    afterEach(() => { expect(fake.requests).to.have.length(0); });

    // official: "errors if there is no subaction and no campaignId" (the form is empty: no lookup field)
    it("no subaction, no campaignId, no lookupField", async () => {
      const answer = await run({});
      expect(answer.success).to.equal(false);
      expect(answer.validation_errors).to.have.property("lookupField");
    });

    // official: "errors if subaction is 'none' and there is a campaignId"
    it("subaction none with a campaignId", async () => {
      const answer = await run({ subaction: "none", campaignId: "123", lookupField: "email" });
      expect(answer).to.deep.include({ success: false,
        validation_errors: { campaignId: "Leave empty, or pick a step that uses ids." } });
    });

    // official: "errors if subaction is not 'none' and there is no campaignId"
    it("subaction addCampaign without a campaignId", async () => {
      const answer = await run({ subaction: "addCampaign", campaignId: "", lookupField: "email" });
      expect(answer).to.deep.include({ success: false, validation_errors: { campaignId: "Enter campaign ids." } });
    });

    // official: "errors if subaction is not recognized"
    it("an unknown subaction", async () => {
      const answer = await run({ subaction: "somethingUnexpected", lookupField: "email" });
      expect(answer).to.deep.include({ success: false, validation_errors: { subaction: "Pick a step." } });
    });

    // official: "errors if there is no lookupField"
    it("no lookupField", async () => {
      const answer = await run({ campaignId: "12345" });
      expect(answer).to.deep.include({ success: false,
        validation_errors: { lookupField: "Lookup Field is required." } });
    });

    // official: "errors if lookupField is not present in query"
    it("a lookupField no field is tagged with", async () => {
      const answer = await run({ campaignId: "1243", lookupField: "guid" });
      expect(answer.success).to.equal(false);
      expect(answer.message).to.include('needs a field tagged "marketo:guid"');
    });
  });

  // official: "sends all the data to Marketo for the legacy request format" (no subaction: the
  // schedule was saved before the form had one, and means "trigger the campaign")
  it("a schedule without subaction upserts the leads and triggers its campaign", async () => {
    const answer = await run({ campaignId: "101", lookupField: "email" });
    expect(answer).to.include({ success: true,
      message: "Created or updated 3 leads in Marketo and triggered campaign 101 for them." });
    expectLeadsSent();
    const [trigger] = fake.to(/campaigns\/101\/trigger\.json$/);
    expect(trigger.body).to.deep.equal({ input: { leads: leadIds().map((id) => ({ id })) } });
  });

  // The same legacy schedule without a campaign: the official hub updated the leads only.
  it("a schedule without subaction and without campaignId only updates the leads", async () => {
    const answer = await run({ lookupField: "email" });
    expect(answer).to.include({ success: true, message: "Created or updated 3 leads in Marketo." });
    expectLeadsSent();
    expect(fake.requests.map((r) => r.path)).to.deep.equal(["/identity/oauth/token", "/rest/v1/leads.json"]);
  });

  // official: "sends all the data to Marketo for the 'none' subaction"
  it("subaction none", async () => {
    const answer = await run({ subaction: "none", lookupField: "email" });
    expect(answer.success).to.equal(true);
    expectLeadsSent();
    expect(fake.to(/trigger|lists/)).to.have.length(0);
  });

  // official: "sends all the data to Marketo for 'addCampaign' subaction"
  it("subaction addCampaign", async () => {
    const answer = await run({ subaction: "addCampaign", campaignId: "202", lookupField: "email" });
    expect(answer.success).to.equal(true);
    expectLeadsSent();
    const [trigger] = fake.to(/campaigns\/202\/trigger\.json$/);
    expect(trigger.body).to.deep.equal({ input: { leads: leadIds().map((id) => ({ id })) } });
  });

  // official: "sends all the data to Marketo for 'addList' subaction"
  it("subaction addList", async () => {
    const answer = await run({ subaction: "addList", campaignId: "303", lookupField: "email" });
    expect(answer.success).to.equal(true);
    expectLeadsSent();
    const [list] = fake.to(/lists\/303\/leads\.json$/);
    expect(list.method).to.equal("POST");
    expect(list.body).to.deep.equal({ input: leadIds().map((id) => ({ id })) });
  });

  // official: "sends all the data to Marketo for 'removeList' subaction"
  it("subaction removeList", async () => {
    fake.lists.set("404", new Set([1, 2, 3]));
    const answer = await run({ subaction: "removeList", campaignId: "404", lookupField: "email" });
    expect(answer.success).to.equal(true);
    expectLeadsSent();
    const [list] = fake.to(/lists\/404\/leads\.json$/);
    expect(list.method).to.equal("DELETE");
    expect(list.body).to.deep.equal({ input: leadIds().map((id) => ({ id })) });
    expect(fake.lists.get("404")!.size).to.equal(0);
  });

  // official: "supported format is json_detail on lookerVersion 6.0 and below" and
  // "supported format is json_detail_lite_stream on lookerVersion 6.2 and above"
  it("declares json_detail to Looker 6.0 and json_detail_lite_stream from 6.2", async () => {
    for (const [version, formats] of [["6.0.0", ["json_detail"]], ["6.2.0", ["json_detail_lite_stream"]]] as const) {
      const res = await request(app.app).post("/actions/marketo").set("Authorization", authHeader())
        .set("User-Agent", `LookerOutgoingWebhook/${version}`).send({});
      expect(res.status).to.equal(200);
      expect(res.body.supported_formats).to.deep.equal(formats);
    }
  });

  // official (Backwards compatibility): "does not remove lookupField from the form", "does not
  // remove subaction from the form", "keeps addCampaign as the default subaction", "does not
  // remove campaignId from the form"
  it("the form keeps lookupField, subaction (default addCampaign) and campaignId", async () => {
    const shown = await form(app, "marketo");
    const byName = new Map(shown.fields.map((f: { name: string }) => [f.name, f]));
    expect([...byName.keys()]).to.include.members(["lookupField", "subaction", "campaignId"]);
    expect(byName.get("subaction")).to.include({ default: "addCampaign", required: true });
  });
});
