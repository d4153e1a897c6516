// salesforce_campaigns through the real app against a local Salesforce org (its OAuth endpoints
// at the typed domain and its REST API) and a local Looker keeping the login.
import { expect } from "chai";
import request from "supertest";
import { crmSettings } from "../../../src/config/crm";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { SalesforceCampaignsIntegration } from "../../../src/integrations/salesforce/salesforce_campaigns";
import { FakeLooker } from "../../fakes/fake_looker";
import { FakeSalesforce } from "../../fakes/salesforce_api";
import { authHeader, buildTestApp, TEST_SECRET, TestApp } from "../../helpers/app";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";
import { cells, detail, execute, executeBody, form } from "./helpers";

const NAME = "salesforce_campaigns";
const FIELDS = { dimensions: [
  { name: "people.contact", label: "People Contact", tags: ["sfdc_contact_id"] },
  { name: "people.lead", label: "People Lead", tags: ["sfdc_lead_id"] }, { name: "people.email" },
] };
const contactId = (i: number) => `003${String(i).padStart(12, "0")}AAA`;
const leadId = (i: number) => `00Q${String(i).padStart(12, "0")}AAA`;

/** `n` rows: even rows contacts, odd rows leads (their contact cell empty). */
function audience(n: number, override: (i: number) => Record<string, unknown> | undefined = () => undefined) {
  return detail(FIELDS, cells(Array.from({ length: n }, (_, i) => override(i) ?? {
    "people.contact": i % 2 ? null : contactId(i), "people.lead": i % 2 ? leadId(i) : null,
    "people.email": `p${i}@example.com`,
  })));
}

describe("Salesforce Campaigns", () => {
  let sf: FakeSalesforce;
  let looker: FakeLooker;
  let app: TestApp;
  const env = () => ({ ...FAST_HTTP_ENV, SALESFORCE_CLIENT_ID: sf.clientId, SALESFORCE_CLIENT_SECRET: sf.clientSecret,
    SALESFORCE_CHUNK_SIZE: "200" });
  const hub = (extra: Record<string, string> = {}) => {
    const all = { ...env(), ...extra };
    return buildTestApp([new SalesforceCampaignsIntegration(testHttpClient(all), crmSettings(all).salesforce, 5)], all);
  };
  const loggedIn = (extra: Record<string, string> = { salesforce_domain: "" }) => {
    const tokens = sf.issue();
    return storedStateFor(new Sealer(TEST_SECRET), NAME, { accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken, extra: { instance_url: sf.url, salesforce_domain: extra.salesforce_domain ||
        sf.domain } });
  };
  const data = (state = loggedIn(), more: Record<string, string> = {}) =>
    ({ salesforce_domain: sf.domain, state_json: state, ...more });
  const run = (payload: unknown, formParams: Record<string, string>, state?: string, more?: Record<string, string>) =>
    execute(app, NAME, executeBody(payload, { params: data(state, more), formParams }));

  before(async () => { looker = await new FakeLooker().start(); });
  after(async () => { await looker.stop(); });
  beforeEach(async () => {
    sf = await new FakeSalesforce().start();
    app = hub();
  });
  afterEach(async () => { await sf.stop(); });

  it("logs in at the typed domain (v1), then the form offers campaigns and the org's active statuses", async () => {
    const first = await form(app, NAME, { data: { salesforce_domain: sf.domain, state_url: looker.stateUrl("sf") } });
    expect(first.fields[0]).to.include({ name: "login", type: "oauth_link" });
    const link = new URL(first.fields[0].oauth_url);
    const start = await request(app.app).get(link.pathname + link.search);
    const authorize = new URL(start.headers.location);
    expect(authorize.origin + authorize.pathname).to.equal(`${sf.domain}/services/oauth2/authorize`);
    expect(authorize.searchParams.get("scope")).to.equal("api refresh_token");
    const back = new URL(sf.consent(start.headers.location));
    const done = await request(app.app).get(back.pathname + back.search);
    expect(done.text).to.include("You are logged in to Salesforce");
    expect(sf.tokenRequests.pop()!.fields).to.include({ grant_type: "authorization_code", client_id: sf.clientId });
    const state = looker.stored.get("sf")!;
    expect(JSON.parse(state).sealed).to.match(/^lis1\./);

    const choose = await form(app, NAME, { data: data(state) });
    expect(choose.fields.map((f: any) => f.name)).to.deep.equal(["create_or_append"]);
    expect(choose.fields[0]).to.include({ type: "select", interactive: true });
    const append = await form(app, NAME, { data: data(state), form_params: { create_or_append: "append" } });
    expect(append.fields.map((f: any) => f.name))
      .to.deep.equal(["create_or_append", "campaign_name", "member_status", "surface_sfdc_errors"]);
    expect(append.fields[1].options).to.deep.equal([{ name: "701000000000001AAA", label: "Autumn Webinar" },
      { name: "701000000000002AAA", label: "Spring Launch" }, { name: "701000000000003AAA", label: "Summer Sale" }]);
    expect(append.fields[2].options.map((o: any) => o.name)).to.deep.equal(["Sent", "Responded"]);
    expect(sf.api.map((r) => r.path)).to.include.members(["query", "query/page-2"]);
    const create = await form(app, NAME, { data: data(state), form_params: { create_or_append: "create" } });
    expect(create.fields[1]).to.include({ name: "campaign_name", type: "string", required: true });
  });

  it("creates the campaign once and adds contacts and leads in Composite chunks of 200", async () => {
    const answer = await run(audience(450), { create_or_append: "create", campaign_name: "Winter 2026",
      member_status: "Responded" });
    expect(answer).to.include({ success: true,
      message: "Added 450 campaign members to the Salesforce campaign \"Winter 2026\"." });
    const created = sf.api.filter((r) => r.path === "sobjects/Campaign");
    // Its Description marks the delivery, so a re-send finds it (test/exactly_once/test_created_resend.ts).
    expect(created.map((r) => r.body)).to.deep.equal([{ Name: "Winter 2026",
      Description: "[Looker delivery 3f6c2a9e1b7d4e5f]" }]);
    const id = [...sf.campaigns].find(([, n]) => n === "Winter 2026")![0];
    expect(sf.chunks.map((c) => c.length)).to.have.members([200, 200, 50]);
    const all = sf.chunks.flat();
    expect(all).to.deep.include({ attributes: { type: "CampaignMember" }, CampaignId: id, ContactId: contactId(0),
      Status: "Responded" });
    expect(all).to.deep.include({ attributes: { type: "CampaignMember" }, CampaignId: id, LeadId: leadId(1),
      Status: "Responded" });
    expect(sf.members.get(id)!.size).to.equal(450);
    expect(sf.api.every((r) => sf.isValid(r.bearer))).to.equal(true);
  });

  it("counts what Salesforce refuses member by member; members already there are not rejections", async () => {
    sf.unknownIds = new Set([contactId(4)]);
    await run(audience(10), { create_or_append: "append", campaign_name: "701000000000002AAA" });
    const payload = audience(40, (i) => i === 7 ? { "people.contact": "bob", "people.lead": null }
      : i === 9 ? { "people.contact": null, "people.lead": null } : undefined);
    const answer = await run(payload, { create_or_append: "append", campaign_name: "701000000000002AAA" }, undefined,
      { max_rejected_percent: "10" });
    expect(answer).to.include({ success: true, message: "Added 37 campaign members to the Salesforce campaign " +
      "\"Spring Launch\"; 3 rejected: 1 unknown contact or lead id (first: row 5, \"003000000000004AAA\"), " +
      "1 not a Salesforce id (first: row 8, \"bob\"), 1 no contact or lead id (first: row 10). " +
      "7 of them were members already." });
    expect(sf.chunks.pop()).to.have.length(38);
    const strict = await run(payload, { create_or_append: "append", campaign_name: "701000000000002AAA",
      surface_sfdc_errors: "yes" });
    expect(strict.success).to.equal(false);
    expect(strict.message).to.match(/^7\.5% of the rows were rejected, more than the 0% allowed: Added 37 campaign/);
    expect(strict.message).to.not.include("bob");
  });

  it("gives Salesforce the same members and Looker the same answer when a row worker maps the rows", async function () {
    this.timeout(60_000); // a worker under ts-node compiles what it loads on its first job
    const payload = audience(450, (i) => i === 7 ? { "people.contact": "bob", "people.lead": null }
      : i === 9 ? { "people.contact": ` ${contactId(9)}`, "people.lead": leadId(9) } : undefined);
    const choices = { create_or_append: "append", campaign_name: "701000000000002AAA", member_status: "Sent" };
    const inThread = await run(payload, choices);
    const sent = sf.chunks.flat();
    await sf.stop();
    sf = await new FakeSalesforce().start();
    app = hub({ ROW_WORKER_THREADS: "2" });
    try {
      expect(await run(payload, choices)).to.deep.equal(inThread);
      expect(sf.chunks.flat()).to.have.deep.members(sent);
    } finally {
      app = hub();
    }
  });

  it("refreshes an access token that expires mid-delivery and resends the chunk, applied once", async () => {
    sf.expireTokensAfterComposite = 2;
    const before = sf.tokenRequests.length;
    const res = await request(app.app).post(`/actions/${NAME}/execute`).set("Authorization", authHeader())
      .set("User-Agent", "LookerOutgoingWebhook/25.10.0").send(executeBody(audience(1000),
        { params: data(), formParams: { create_or_append: "append", campaign_name: "701000000000001AAA" } }));
    expect(res.body.looker).to.include({ success: true,
      message: "Added 1,000 campaign members to the Salesforce campaign \"Autumn Webinar\"." });
    expect(sf.tokenRequests.slice(before).map((r) => r.fields.grant_type)).to.deep.equal(["refresh_token"]);
    expect(JSON.parse(res.body.looker.state.data).sealed).to.match(/^lis1\./);
    expect(sf.members.get("701000000000001AAA")!.size).to.equal(1000);
    expect(sf.chunks.flat().length).to.be.greaterThan(1000);
  });

  it("waits out a 503 with Retry-After; an org out of API calls stops with what was done", async () => {
    sf.unavailable = 1;
    const ok = await run(audience(5), { create_or_append: "append", campaign_name: "701000000000001AAA" });
    expect(ok.success, ok.message).to.equal(true);
    sf.limitAfterComposite = sf.chunks.length + 1;
    const limited = await run(audience(600), { create_or_append: "append", campaign_name: "701000000000003AAA" });
    expect(limited.success).to.equal(false);
    expect(limited.message).to.match(
      /^Salesforce's API request limit for your org is used up \(15000\/15000 calls in the last 24 hours\)/);
    expect(limited.message).to.match(/Before the delivery stopped: Added 200 campaign members/);
  });

  it("a missing tag, a missing choice or a bad campaign fail before any Salesforce call", async () => {
    const untagged = detail({ dimensions: [{ name: "people.email" }] }, cells([{ "people.email": "a@b.example" }]));
    const tag = await run(untagged, { create_or_append: "create", campaign_name: "Nope" });
    expect(tag.success).to.equal(false);
    expect(tag.message).to.include('needs a field tagged "sfdc_contact_id" or "sfdc_lead_id"');
    const choice = await run(audience(2), { campaign_name: "X" });
    expect(choice.validation_errors).to.have.property("create_or_append");
    const bad = await run(audience(2), { create_or_append: "append", campaign_name: "Spring" });
    expect(bad.validation_errors).to.deep.equal({ campaign_name: "Choose a campaign." });
    expect(sf.api).to.have.length(0);
    expect([...sf.campaigns.values()]).to.not.include("Nope");
    // The official hub's fallback: a column labelled "Contact ID".
    const labelled = detail({ dimensions: [{ name: "c.id", label: "Contact ID" }] }, cells([{ "c.id": contactId(1) }]));
    const byLabel = await run(labelled, { create_or_append: "append", campaign_name: "701000000000003AAA" });
    expect(byLabel.message).to.equal("Added 1 campaign member to the Salesforce campaign \"Summer Sale\".");
  });

  it("the domain is typed: the token exchange and API calls go through the private-address guard", async () => {
    const guarded = hub({ ALLOW_PRIVATE_URLS: "false" });
    const first = await form(guarded, NAME,
      { data: { salesforce_domain: sf.domain, state_url: looker.stateUrl("g") } });
    const link = new URL(first.fields[0].oauth_url);
    const start = await request(guarded.app).get(link.pathname + link.search);
    const back = new URL(sf.consent(start.headers.location));
    const before = sf.tokenRequests.length;
    const done = await request(guarded.app).get(back.pathname + back.search);
    expect(done.status).to.equal(502);
    expect(done.text).to.match(/loopback|private|local/i);
    expect(sf.tokenRequests.length).to.equal(before);
    const answer = await execute(guarded, NAME, executeBody(audience(3), { params: data(),
      formParams: { create_or_append: "append", campaign_name: "701000000000001AAA" } }));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.match(/loopback|private|local/i);
    expect(sf.api).to.have.length(0);
  });

  it("a login made at another domain asks to log in again; the official hub's tokens are used", async () => {
    const other = loggedIn({ salesforce_domain: "https://old.my.salesforce.com" });
    const res = await request(app.app).post(`/actions/${NAME}/execute`).set("Authorization", authHeader())
      .set("User-Agent", "LookerOutgoingWebhook/25.10.0").send(executeBody(audience(2),
        { params: data(other), formParams: { create_or_append: "append", campaign_name: "701000000000001AAA" } }));
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.match(/made at https:\/\/old\.my\.salesforce\.com.*log in to Salesforce again/);
    expect(res.body.looker.state).to.deep.equal({ data: "reset" });
    const tokens = sf.issue();
    const legacy = JSON.stringify({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken });
    const answer = await run(audience(3), { create_or_append: "append", campaign_name: "701000000000001AAA" }, legacy);
    expect(answer).to.include({ success: true });
  });
});
