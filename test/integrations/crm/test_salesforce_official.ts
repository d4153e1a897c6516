// The official hub's Salesforce Campaigns cases (looker-open-source/actions src/actions/salesforce/
// campaigns/test_salesforce_campaigns.ts), replayed through the real app against the local
// Salesforce org. Each `it` names the official one. Its "action properties" cases check the
// definition; its OAuth cases check the login link and the authorize URL.
import { expect } from "chai";
import request from "supertest";
import { crmSettings } from "../../../src/config/crm";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { SalesforceCampaignsIntegration } from "../../../src/integrations/salesforce/salesforce_campaigns";
import { FakeSalesforce } from "../../fakes/salesforce_api";
import { authHeader, buildTestApp, TEST_SECRET, TestApp } from "../../helpers/app";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";
import { cells, detail, execute, executeBody, form } from "./helpers";

const NAME = "salesforce_campaigns";
const CONTACT = "003000000000001AAA";
// The official "validLookerData": one field labelled and tagged as a contact id.
const VALID = detail({ dimensions: [{ label: "Salesforce Contact Id", tags: ["sfdc_contact_id"], type: "string",
  name: "salesforce.contact_id" } as any] }, cells([{ "salesforce.contact_id": CONTACT }]));

describe("Salesforce Campaigns: the official hub's test cases", () => {
  let sf: FakeSalesforce;
  let app: TestApp;
  beforeEach(async () => {
    sf = await new FakeSalesforce().start();
    const env = { ...FAST_HTTP_ENV, SALESFORCE_CLIENT_ID: sf.clientId, SALESFORCE_CLIENT_SECRET: sf.clientSecret };
    app = buildTestApp([new SalesforceCampaignsIntegration(testHttpClient(env), crmSettings(env).salesforce, 5)], env);
  });
  afterEach(async () => { await sf.stop(); });
  const loggedIn = () => {
    const tokens = sf.issue();
    return storedStateFor(new Sealer(TEST_SECRET), NAME, { accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken, extra: { instance_url: sf.url, salesforce_domain: sf.domain } });
  };
  const run = (payload: unknown, params: Record<string, unknown>, formParams: Record<string, string>) =>
    execute(app, NAME, executeBody(payload, { params: params as Record<string, string>, formParams }));
  const append = { create_or_append: "append", campaign_name: "701000000000001AAA" };

  // "action properties": name, label, supportedActionTypes, supportedFormats, supportedFormattings,
  // supportedVisualizationFormattings, minimumSupportedLookerVersion, requiredFields, params
  it("is defined as the official one", async () => {
    const res = await request(app.app).post(`/actions/${NAME}`).set("Authorization", authHeader())
      .set("User-Agent", "LookerOutgoingWebhook/22.6.0").send({});
    expect(res.body).to.deep.include({ name: NAME, label: "Salesforce Campaigns", supported_action_types: ["query"],
      supported_formats: ["json_detail_lite_stream"], supported_formattings: ["unformatted"],
      supported_visualization_formattings: ["noapply"], required_fields: [{ any_tag: ["sfdc_contact_id",
        "sfdc_lead_id"] }] });
    expect(res.body.params[0]).to.include({ name: "salesforce_domain", label: "Salesforce domain", required: true,
      sensitive: false, user_attribute_name: "salesforce_campaigns_action_domain" });
    const older = await request(app.app).post(`/actions/${NAME}`).set("Authorization", authHeader())
      .set("User-Agent", "LookerOutgoingWebhook/22.4.0").send({});
    expect(older.status).to.equal(404);
  });

  describe("execute endpoint: refused before any Salesforce call", () => {
    afterEach(() => { expect(sf.api).to.have.length(0); });

    // "errors if there is no salesforce domain param"
    it("no domain", async () => {
      const answer = await run(VALID, { state_json: loggedIn() }, append);
      expect(answer.message).to.include('"Salesforce domain" is missing');
    });

    // "errors if there is no json"
    it("no data", async () => {
      const body = executeBody(null, { params: { salesforce_domain: sf.domain, state_json: loggedIn() },
        formParams: append });
      const answer = await execute(app, NAME, { ...body, attachment: null });
      expect(answer.success).to.equal(false);
    });

    // "errors if there is no salesforce compaign name"
    it("no campaign", async () => {
      const answer = await run(VALID, { salesforce_domain: sf.domain, state_json: loggedIn() },
        { create_or_append: "append" });
      expect(answer.validation_errors).to.have.property("campaign_name");
    });

    // "errors if payload is an invalid format" (a JSON without fields)
    it("data that is no json_detail", async () => {
      const answer = await run({ some: "data" }, { salesforce_domain: sf.domain, state_json: loggedIn() }, append);
      expect(answer.success).to.equal(false);
    });

    // "errors if there is no state_json"
    it("no login", async () => {
      const answer = await run(VALID, { salesforce_domain: sf.domain }, append);
      expect(answer.success).to.equal(false);
      expect(answer.message).to.match(/log in/i);
    });

    // "errors if there is no tag or regex match"
    it("no field tagged or labelled as a contact or lead id", async () => {
      const untagged = detail({ dimensions: [{ name: "people.email", label: "Email" }] },
        cells([{ "people.email": "x" }]));
      const answer = await run(untagged, { salesforce_domain: sf.domain, state_json: loggedIn() }, append);
      expect(answer.message).to.include('needs a field tagged "sfdc_contact_id" or "sfdc_lead_id"');
    });

    // "returns an error response if there is no tokens" (a state that holds no login)
    it("a state without tokens", async () => {
      const answer = await run(VALID, { salesforce_domain: sf.domain, state_json: JSON.stringify({ not: "a token" }) },
        append);
      expect(answer.success).to.equal(false);
    });
  });

  // The fallback of the official mapper: a field whose label (not only its short label) reads "Contact Id".
  it("a field labelled like a contact id is the contact id", async () => {
    const labelled = detail({ dimensions: [{ name: "c.id", label: "Users Contact Id", label_short: "Id" }] },
      cells([{ "c.id": CONTACT }]));
    const answer = await run(labelled, { salesforce_domain: sf.domain, state_json: loggedIn() }, append);
    expect(answer.success).to.equal(true);
    expect(sf.chunks.flat()[0]).to.include({ ContactId: CONTACT, CampaignId: "701000000000001AAA" });
  });

  describe("oauth interface", () => {
    // "generates the correct Salesforce login URL" and "generates the correct oauthUrl"
    it("the form's login link leads to the org's authorize URL with the hub's redirect", async () => {
      const shown = await form(app, NAME, { data: { salesforce_domain: sf.domain,
        state_url: "https://looker.example.test/action_hub_state/abc" } });
      expect(shown.fields).to.have.length(1);
      expect(shown.fields[0]).to.include({ name: "login", type: "oauth_link" });
      const link = new URL(shown.fields[0].oauth_url);
      expect(link.pathname).to.equal(`/actions/${NAME}/oauth`);
      const start = await request(app.app).get(link.pathname + link.search);
      const authorize = new URL(start.headers.location);
      expect(authorize.origin + authorize.pathname).to.equal(`${sf.domain}/services/oauth2/authorize`);
      expect(Object.fromEntries(authorize.searchParams)).to.include({ response_type: "code", client_id: sf.clientId,
        redirect_uri: `https://hub.example.test/actions/${NAME}/oauth_redirect` });
      expect(authorize.searchParams.get("state")).to.be.a("string").and.not.equal("");
    });
  });
});
