// marketo through the real app against a local Marketo instance (identity and REST API).
import { expect } from "chai";
import { CrmSettings } from "../../../src/config/crm";
import { MarketoIntegration } from "../../../src/integrations/marketo/marketo";
import { HttpClient } from "../../../src/lib/http_client";
import { FakeMarketo, MARKETO_CLIENT } from "../../fakes/marketo_api";
import request from "supertest";
import { authHeader } from "../../helpers/app";
import { cells, crmApp, detail, execute, executeBody, form, servedDetail } from "./helpers";

const build = (http: HttpClient, settings: CrmSettings) =>
  [new MarketoIntegration(http, settings, { rateLimitWaitMs: 5 })];

const FIELDS = { dimensions: [
  { name: "users.email", tags: ["marketo:email"] }, { name: "users.first_name", tags: ["marketo:firstName"] },
  { name: "users.crm_id", tags: ["marketo:externalId", "other"] }, { name: "users.city" },
] };

function people(n: number, email = (i: number) => `lead${i}@example.com`) {
  return detail(FIELDS, cells(Array.from({ length: n }, (_, i) => ({
    "users.email": email(i), "users.first_name": i % 3 ? `Ann${i}` : null, "users.crm_id": `C${i}`,
    "users.city": "Oslo",
  }))));
}

describe("Marketo", () => {
  let fake: FakeMarketo;
  let app: ReturnType<typeof crmApp>;
  const params = () => ({ url: `${fake.url}/rest`, clientID: MARKETO_CLIENT.id, clientSecret: MARKETO_CLIENT.secret });
  const body = (payload: unknown, formParams: Record<string, string>, as?: { url: string }) =>
    executeBody(payload, { params: params(), formParams, as });
  beforeEach(async () => {
    fake = await new FakeMarketo().start();
    app = crmApp(build);
  });
  afterEach(async () => { await fake.stop(); });

  it("gets a client-credentials token, upserts tagged fields by the lookup field, triggers the campaign", async () => {
    const answer = await execute(app, "marketo", body(people(250),
      { lookupField: "email", subaction: "addCampaign", campaignId: "1001" }));
    expect(answer).to.include({ success: true,
      message: "Created or updated 250 leads in Marketo and triggered campaign 1001 for them." });
    const [token] = fake.to(/oauth\/token/);
    expect(token.method).to.equal("POST");
    expect(token.body).to.deep.equal({ grant_type: "client_credentials", client_id: MARKETO_CLIENT.id,
      client_secret: MARKETO_CLIENT.secret });
    const [leads] = fake.to(/leads\.json$/);
    expect(leads.headers.authorization).to.equal("Bearer tok-1");
    expect(leads.body.action).to.equal("createOrUpdate");
    expect(leads.body.lookupField).to.equal("email");
    expect(leads.body.input.slice(0, 2)).to.deep.equal([
      { email: "lead0@example.com", externalId: "C0" },
      { email: "lead1@example.com", firstName: "Ann1", externalId: "C1" },
    ]);
    const triggers = fake.to(/trigger\.json$/);
    expect(triggers.map((t) => t.body.input.leads.length)).to.deep.equal([100, 100, 50]);
    expect(new Set(fake.triggered.map((t) => t.lead)).size).to.equal(250);
  });

  // docs/dry_run.md: the Client ID and Secret are signed in (a token minted); no lead is touched.
  it("a dry run signs in with the identity service and maps the rows; a refused secret fails it", async () => {
    const dry = (extra: Record<string, string> = {}) => request(app.app).post("/actions/marketo/execute")
      .set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true")
      .send(executeBody(people(3), { params: { ...params(), ...extra }, formParams: { lookupField: "email",
        subaction: "addCampaign", campaignId: "1001" } })).then((res) => res.body.looker);
    const ok = await dry();
    expect(ok.success, ok.message).to.equal(true);
    expect(ok.message).to.match(/^Dry run, nothing was sent to Marketo: Marketo's identity service took the Client ID and Client Secret; /);
    const bad = await dry({ clientSecret: "wrong" });
    expect(bad.success).to.equal(false);
    expect(bad.message).to.match(/^Marketo refused the Client ID and Client Secret/);
    expect(fake.to(/\/rest\//)).to.have.length(0);
    expect(fake.leads.size).to.equal(0);
  });

  it("sends leads in batches of 300 from a download URL, and several campaigns", async () => {
    const served = await servedDetail(people(700));
    try {
      const answer = await execute(app, "marketo", body(null,
        { lookupField: "email", subaction: "addCampaign", campaignId: "1001, 1002" }, served));
      expect(answer.message).to.equal("Created or updated 700 leads in Marketo and triggered campaigns 1001, 1002 " +
        "for them.");
      expect(fake.to(/leads\.json$/).map((r) => r.body.input.length).sort()).to.deep.equal([100, 300, 300]);
      expect(fake.triggered.filter((t) => t.campaign === "1002")).to.have.length(700);
    } finally {
      await served.server.close();
    }
  });

  it("counts leads Marketo skips and leads a list step skips; rows without the lookup value never leave", async () => {
    const payload = people(100, (i) => (i === 4 ? "not-an-email" : i === 9 ? "" : `lead${i}@example.com`));
    fake.listSkips = new Set([3]);
    const answer = await execute(app, "marketo", executeBody(payload, { params: { ...params(),
      max_rejected_percent: "10" }, formParams: { lookupField: "email", subaction: "addList", campaignId: "2001" } }));
    expect(answer).to.include({ success: true, message: "Created or updated 97 leads in Marketo and added them to " +
      "list 2001; 3 rejected: 1 not added to list 2001: lead not found (1004) (first: row 3, \"3\"), " +
      "1 invalid email address (1003) (first: row 5, \"not-an-email\"), 1 no email (first: row 10)." });
    expect(fake.to(/leads\.json$/)[0].body.input).to.have.length(99);
    expect(fake.lists.get("2001")!.size).to.equal(97);
  });

  it("removes leads from lists; a lead already out of the list is not a rejection", async () => {
    await execute(app, "marketo", body(people(10), { lookupField: "email", subaction: "addList", campaignId: "3001" }));
    fake.lists.get("3001")!.delete(1);
    const answer = await execute(app, "marketo", body(people(10),
      { lookupField: "email", subaction: "removeList", campaignId: "3001" }));
    expect(answer).to.include({ success: true,
      message: "Created or updated 10 leads in Marketo and removed them from list 3001." });
    expect(fake.to(/lists\/3001/).map((r) => r.method)).to.deep.equal(["POST", "DELETE"]);
    expect(fake.lists.get("3001")!.size).to.equal(0);
  });

  it("renews the token when it expires mid-delivery and resends the batch, applied once", async () => {
    fake.expireFirstTokenAfterCalls = 2;
    const answer = await execute(app, "marketo", body(people(1500), { lookupField: "email", subaction: "none" }));
    expect(answer).to.include({ success: true, message: "Created or updated 1,500 leads in Marketo." });
    expect(fake.tokens.length).to.be.at.least(2);
    expect(fake.to(/leads\.json$/).some((r) => r.headers.authorization === "Bearer tok-2")).to.equal(true);
    expect(fake.applied).to.have.length(1500);
    expect(new Set(fake.applied.map((l) => l.email)).size).to.equal(1500);
  });

  it("renews a token that is about to expire before using it", async () => {
    fake.tokenLifetimeSeconds = 5;
    const answer = await execute(app, "marketo", body(people(601), { lookupField: "email", subaction: "none" }));
    expect(answer.success).to.equal(true);
    expect(fake.tokens.length).to.be.at.least(2);
    expect(fake.to(/leads\.json$/).map((r) => r.headers.authorization)).to.not.include("Bearer tok-1");
  });

  it("waits out Marketo's rate limit (606) and sends the call again", async () => {
    fake.rateLimited = 2;
    const answer = await execute(app, "marketo", body(people(5), { lookupField: "email", subaction: "none" }));
    expect(answer).to.include({ success: true, message: "Created or updated 5 leads in Marketo." });
    expect(fake.to(/leads\.json$/)).to.have.length(3);
    expect(fake.applied).to.have.length(5);
  });

  it("refused client credentials, an unknown campaign and a missing tag fail with what to fix", async () => {
    const bad = await execute(app, "marketo", executeBody(people(3), { params: { ...params(), clientSecret: "nope" },
      formParams: { lookupField: "email", subaction: "none" } }));
    expect(bad.success).to.equal(false);
    expect(bad.message).to.include("Marketo refused the Client ID and Client Secret (HTTP 401: invalid_client)");
    const campaign = await execute(app, "marketo", body(people(3),
      { lookupField: "email", subaction: "addCampaign", campaignId: "999" }));
    expect(campaign.success).to.equal(false);
    expect(campaign.message).to.include("Marketo refused campaigns/999/trigger: Campaign not found (1013).");
    const before = fake.requests.length;
    const tag = await execute(app, "marketo", body(people(3), { lookupField: "id", subaction: "none" }));
    expect(tag.success).to.equal(false);
    expect(tag.message).to.include('needs a field tagged "marketo:id" for the lookup field "id"');
    expect(fake.requests.length).to.equal(before);
  });

  it("checks the form before any call: ids for the step, numbers only", async () => {
    const none = await execute(app, "marketo", body(people(3), { lookupField: "email", subaction: "addList" }));
    expect(none).to.deep.include({ success: false, validation_errors: { campaignId: "Enter list ids." } });
    const word = await execute(app, "marketo", body(people(3),
      { lookupField: "email", subaction: "addCampaign", campaignId: "spring" }));
    expect(word.success).to.equal(false);
    expect(word.message).to.include('"Campaign or List IDs" must be Marketo campaign ids');
    expect(fake.requests).to.have.length(0);
    const shown = await form(app, "marketo");
    expect(shown.fields.map((f: { name: string }) => f.name)).to.deep.equal(["lookupField", "subaction", "campaignId"]);
    expect(shown.fields[1].options.map((o: { name: string }) => o.name))
      .to.deep.equal(["addCampaign", "addList", "removeList", "none"]);
  });

  it("the instance URL is typed by the admin: the private-address guard applies", async () => {
    const guarded = crmApp(build, { ALLOW_PRIVATE_URLS: "false" });
    const answer = await execute(guarded, "marketo", body(people(3), { lookupField: "email", subaction: "none" }));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.match(/private|loopback/i);
    expect(fake.requests).to.have.length(0);
  });
});
