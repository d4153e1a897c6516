// hubspot_contacts and hubspot_companies through the real app against a local HubSpot API.
import { expect } from "chai";
import { CrmSettings } from "../../../src/config/crm";
import { HubspotCompaniesIntegration, HubspotContactsIntegration } from "../../../src/integrations/hubspot/hubspot";
import { HttpClient } from "../../../src/lib/http_client";
import { FakeHubspot, HUBSPOT_TOKEN } from "../../fakes/hubspot_api";
import supertest from "supertest";
import { authHeader } from "../../helpers/app";
import { cells, crmApp, detail, execute, executeBody, servedDetail } from "./helpers";

const build = (http: HttpClient, settings: CrmSettings) =>
  [new HubspotContactsIntegration(http, settings), new HubspotCompaniesIntegration(http, settings)];

const CONTACT_FIELDS = {
  dimensions: [
    { name: "users.hubspot_id", tags: ["hubspot_contact_id"] }, { name: "users.email", tags: ["email"] },
    { name: "users.city" }, { name: "users.secret_note" },
  ],
  measures: [{ name: "orders.lifetime_value" }],
};

function contacts(n: number, email = (i: number) => `user${i}@example.com`) {
  return detail(CONTACT_FIELDS, cells(Array.from({ length: n }, (_, i) => ({
    "users.hubspot_id": String(1000 + i), "users.email": email(i), "users.city": i % 2 ? "Lyon" : null,
    "users.secret_note": "hidden", "orders.lifetime_value": i * 1.5,
  }))));
}

describe("HubSpot Contacts and Companies", () => {
  let fake: FakeHubspot;
  let app: ReturnType<typeof crmApp>;
  const params = (extra: Record<string, string> = {}) => ({ hubspot_access_token: HUBSPOT_TOKEN, ...extra });
  beforeEach(async () => {
    fake = await new FakeHubspot().start();
    app = crmApp(build, { HUBSPOT_API_URL: fake.url });
  });
  afterEach(async () => { await fake.stop(); });

  it("updates each contact with every visible field as a property (the official key rule), Bearer token", async () => {
    const answer = await execute(app, "hubspot_contacts",
      executeBody(contacts(3), { params: params(), hiddenFields: ["users.secret_note"] }));
    expect(answer).to.include({ success: true, message: "Updated 3 contacts in HubSpot." });
    const [request] = fake.to(/batch\/update$/);
    expect(request.path).to.equal("/crm/v3/objects/contacts/batch/update");
    expect(request.headers.authorization).to.equal(`Bearer ${HUBSPOT_TOKEN}`);
    expect(request.headers["content-type"]).to.equal("application/json");
    expect(request.body).to.deep.equal({ inputs: [
      { id: "1000", properties: { users_email: "user0@example.com", orders_lifetime_value: "0" } },
      { id: "1001",
        properties: { users_email: "user1@example.com", users_city: "Lyon", orders_lifetime_value: "1.5" } },
      { id: "1002", properties: { users_email: "user2@example.com", orders_lifetime_value: "3" } },
    ] });
  });

  it("updates companies from a download URL, keyed by hubspot_company_id", async () => {
    const payload = detail({ dimensions: [{ name: "companies.id", tags: ["hubspot_company_id"] },
      { name: "companies.tier" }] }, cells([{ "companies.id": "77", "companies.tier": "gold" },
      { "companies.id": "78", "companies.tier": "silver" }]));
    const served = await servedDetail(payload);
    try {
      const answer = await execute(app, "hubspot_companies", executeBody(null, { params: params(), as: served }));
      expect(answer).to.include({ success: true, message: "Updated 2 companies in HubSpot." });
      expect(fake.to(/batch/)[0].path).to.equal("/crm/v3/objects/companies/batch/update");
      expect(fake.updated).to.deep.equal([{ id: "77", properties: { companies_tier: "gold" } },
        { id: "78", properties: { companies_tier: "silver" } }]);
    } finally {
      await served.server.close();
    }
  });

  it("sends batches of HubSpot's 100, or of hubspot_batch_update_size, each row once", async () => {
    await execute(app, "hubspot_contacts", executeBody(contacts(250), { params: params() }));
    expect(fake.batches.map((b) => b.length).sort((a, b) => b - a)).to.deep.equal([100, 100, 50]);
    expect(new Set(fake.updated.map((u) => u.id)).size).to.equal(250);
    const small = await execute(app, "hubspot_contacts",
      executeBody(contacts(25), { params: params({ hubspot_batch_update_size: "10" }) }));
    expect(small.success).to.equal(true);
    expect(fake.batches.slice(3).map((b) => b.length).sort()).to.deep.equal([10, 10, 5]);
  });

  it("counts the rows HubSpot rejects (unknown ids in a 207, invalid emails in a 400), updates the rest", async () => {
    fake.unknownIds = new Set(["1003", "1050"]);
    const payload = contacts(200, (i) => (i === 16 || i === 120 ? `bob${i}@` : `user${i}@example.com`));
    const answer = await execute(app, "hubspot_contacts", executeBody(payload, { params: params() }));
    expect(answer).to.include({ success: true, message: "Updated 196 contacts in HubSpot; 4 rejected: " +
      "2 unknown id (first: row 4, \"1003\"), 2 invalid email (first: row 17, \"bob16@\")." });
    expect(fake.updated).to.have.length(196);
    expect(fake.updated.map((u) => u.id)).to.not.include.members(["1003", "1050", "1016", "1120"]);
  });

  it("fails past the rejection threshold (admin param or env), saying what was sent", async () => {
    fake.unknownIds = new Set(["1000", "1001"]);
    const answer = await execute(app, "hubspot_contacts", executeBody(contacts(20), { params: params() }));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include("10.0% of the rows were rejected, more than the 5% allowed: Updated 18 " +
      "contacts in HubSpot; 2 rejected: 2 unknown id (first: row 1). Fix the rejected rows in the query " +
      "(or raise the threshold in the action's settings).");
    const lenient = await execute(app, "hubspot_contacts",
      executeBody(contacts(20), { params: params({ max_rejected_percent: "10" }) }));
    expect(lenient.success).to.equal(true);
    const strictEnv = crmApp(build, { HUBSPOT_API_URL: fake.url, MAX_REJECTED_ROWS_PERCENT: "0" });
    fake.unknownIds = new Set(["1000"]);
    expect((await execute(strictEnv, "hubspot_contacts", executeBody(contacts(200), { params: params() }))).success)
      .to.equal(false);
  });

  it("fails when HubSpot accepted nothing, and rejects rows without an id before sending", async () => {
    const payload = detail(CONTACT_FIELDS, cells([{ "users.hubspot_id": null, "users.email": "a@b.co" },
      { "users.hubspot_id": "", "users.email": "c@d.co" }]));
    const answer = await execute(app, "hubspot_contacts", executeBody(payload, { params: params() }));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include("HubSpot accepted none of the 2 rows: Updated 0 contacts in HubSpot; " +
      "2 rejected: " +
      "2 no contact id (first: row 1).");
    expect(fake.requests).to.have.length(0);
  });

  it("a query without the id tag fails before any call, naming the tag to add", async () => {
    const payload = detail({ dimensions: [{ name: "users.email", tags: ["email"] }] }, cells([{ "users.email": "x" }]));
    const answer = await execute(app, "hubspot_contacts", executeBody(payload, { params: params() }));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include('needs a field tagged "hubspot_contact_id"');
    expect(answer.message).to.include('tags: ["hubspot_contact_id"]');
    expect(fake.requests).to.have.length(0);
  });

  it("waits out a 429 as HubSpot's rate-limit headers say, then sends the batch once", async () => {
    fake.script.push({ status: 429, headers: { "x-hubspot-ratelimit-interval-milliseconds": "30",
      "x-hubspot-ratelimit-max": "100", "x-hubspot-ratelimit-remaining": "0" },
    body: { status: "error", errorType: "RATE_LIMIT", policyName: "TEN_SECONDLY_ROLLING",
      message: "You have reached your ten_secondly_rolling limit." } });
    const answer = await execute(app, "hubspot_contacts", executeBody(contacts(5), { params: params() }));
    expect(answer).to.include({ success: true, message: "Updated 5 contacts in HubSpot." });
    expect(fake.requests).to.have.length(2);
    expect(fake.updated).to.have.length(5);
  });

  it("stops at once when the daily limit is used up, saying to send the rest later", async () => {
    fake.script.push({ status: 429, headers: { "x-hubspot-ratelimit-daily": "250000",
      "x-hubspot-ratelimit-daily-remaining": "0" }, body: { status: "error", policyName: "DAILY",
      message: "You have reached your daily limit." } });
    const answer = await execute(app, "hubspot_contacts", executeBody(contacts(5), { params: params() }));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include("HubSpot's API limit for this private app is used up");
    expect(answer.message).to.include("HubSpot had accepted no contacts before the delivery stopped.");
    expect(fake.requests).to.have.length(1);
  });

  it("a refused token or an unknown property stops the delivery with what to fix", async () => {
    const bad = await execute(app, "hubspot_contacts",
      executeBody(contacts(3), { params: { hubspot_access_token: "wrong" } }));
    expect(bad.success).to.equal(false);
    expect(bad.message)
      .to.include("HubSpot refused the access token (HTTP 401: Authentication credentials not found.)");
    expect(bad.message).to.include("Admin > Actions > Hubspot Contacts");
    fake.properties = new Set(["users_email", "users_secret_note", "orders_lifetime_value"]);
    const unknown = await execute(app, "hubspot_contacts", executeBody(contacts(300), { params: params() }));
    expect(unknown.success).to.equal(false, unknown.message);
    expect(unknown.message).to.include('HubSpot has no contact property "users_city" (from the field users.city)');
    expect(fake.batches.length).to.be.at.most(4);
  });

  it("refuses a batch size that is not a number before any call", async () => {
    const answer = await execute(app, "hubspot_contacts",
      executeBody(contacts(3), { params: params({ hubspot_batch_update_size: "lots" }) }));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include('"HubSpot Batch Update Size" must be a whole number from 1 to 100');
    expect(fake.requests).to.have.length(0);
  });
  // docs/dry_run.md: the token is tried with a read of one record; no batch is sent.
  describe("dry run", () => {
    const dry = (name: string, token = HUBSPOT_TOKEN) => supertest(app.app).post(`/actions/${name}/execute`)
      .set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true")
      .send(executeBody(contacts(3), { params: params({ hubspot_access_token: token }) }))
      .then((res) => res.body.looker);

    it("reads one contact with the token, maps the rows, and updates nothing", async () => {
      const answer = await dry("hubspot_contacts");
      expect(answer.success, answer.message).to.equal(true);
      expect(answer.message).to.match(/^Dry run, nothing was sent to Hubspot Contacts: HubSpot took the access token \(a read of one contact\); /);
      expect(answer.dry_run).to.include({ rows: 3, would_send: 3, would_reject: 0 });
      const [read] = fake.requests;
      expect(fake.requests).to.have.length(1);
      expect(read).to.include({ method: "GET", path: "/crm/v3/objects/contacts" });
      expect(read.query.get("limit")).to.equal("1");
      expect(read.headers.authorization).to.equal(`Bearer ${HUBSPOT_TOKEN}`);
      expect(fake.updated).to.have.length(0);
    });

    it("a token HubSpot refuses fails the dry run with HubSpot's reason and what to fix", async () => {
      const answer = await dry("hubspot_companies", "pat-na1-wrong");
      expect(answer.success).to.equal(false);
      expect(answer.message.startsWith("HubSpot refused the access token (HTTP 401: Authentication credentials " +
        "not found.). Check the HubSpot Access Token under Admin > Actions > Hubspot Companies: it must be the " +
        "access token of a HubSpot private app."), answer.message).to.equal(true);
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(["GET /crm/v3/objects/companies"]);
    });

    it("a token whose app may not read contacts is known, not failed: the answer says its write scope is unproven",
      async () => {
        fake.readScope = false;
        const answer = await dry("hubspot_contacts");
        expect(answer.success, answer.message).to.equal(true);
        expect(answer.message).to.contain("HubSpot knew the access token, but its private app may not read contacts " +
          "(HTTP 403, no crm.objects.contacts.read scope), so whether it may write them is not proven");
        expect(fake.batches).to.have.length(0);
      });
  });
});
