// airtable through the real app against a local Airtable (OAuth with PKCE, metadata API,
// records) and a local Looker keeping the login.
import { expect } from "chai";
import * as crypto from "crypto";
import request from "supertest";
import { crmSettings } from "../../../src/config/crm";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { AirtableIntegration } from "../../../src/integrations/airtable/airtable";
import { RateGate } from "../../../src/lib/rate_gate";
import { BASE_ID, FakeAirtable, OTHER_BASE_ID } from "../../fakes/airtable_api";
import { FakeLooker } from "../../fakes/fake_looker";
import { authHeader, buildTestApp, TEST_SECRET, TestApp } from "../../helpers/app";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";
import { cells, detail, execute, executeBody, form } from "./helpers";

const FIELDS = { dimensions: [{ name: "people.email", label: "People Email", label_short: "Email" },
  { name: "people.name", label: "Name" }, { name: "people.secret", label: "Secret" }],
measures: [{ name: "people.score", label: "Score" }] };

function people(n: number, score = (i: number): unknown => i) {
  return detail(FIELDS as any, cells(Array.from({ length: n }, (_, i) => ({ "people.email": `p${i}@example.com`,
    "people.name": i % 4 ? `Person ${i}` : null, "people.secret": "hidden", "people.score": score(i) }))));
}

describe("Airtable", () => {
  let at: FakeAirtable;
  let looker: FakeLooker;
  let app: TestApp;
  /** Starts counted by the rate gate, with its waits skipped (the gate is tested with a clock). */
  let gateWaits: number[];
  const hub = () => {
    const env = { ...FAST_HTTP_ENV, AIRTABLE_CLIENT_ID: at.clientId, AIRTABLE_CLIENT_SECRET: at.clientSecret,
      AIRTABLE_API_URL: at.url, AIRTABLE_OAUTH_URL: at.oauthUrl };
    gateWaits = [];
    let clock = 0;
    const gate = new RateGate(5, () => clock, async (ms) => { gateWaits.push(ms); clock += ms; });
    return buildTestApp([new AirtableIntegration(testHttpClient(env), crmSettings(env).airtable, 5,
      { rateLimitWaitMs: 5, gate })], env);
  };
  const loggedIn = () => {
    const tokens = at.issue();
    return { ...tokens, state: storedStateFor(new Sealer(TEST_SECRET), "airtable", { accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3_600_000 }) };
  };
  const body = (payload: unknown, formParams: Record<string, string>, state = loggedIn().state,
                more: Record<string, string> = {}) =>
    executeBody(payload, { params: { state_json: state, ...more }, formParams, hiddenFields: ["people.secret"] });
  const contacts = { base: BASE_ID, table: "tblContacts0000001" };

  before(async () => { looker = await new FakeLooker().start(); });
  after(async () => { await looker.stop(); });
  beforeEach(async () => {
    at = await new FakeAirtable().start();
    app = hub();
  });
  afterEach(async () => { await at.stop(); });

  it("logs in with PKCE and HTTP Basic client authentication; the form offers bases, then their tables", async () => {
    const first = await form(app, "airtable", { data: { state_url: looker.stateUrl("at") } });
    expect(first.fields[0]).to.include({ name: "login", type: "oauth_link" });
    const link = new URL(first.fields[0].oauth_url);
    const start = await request(app.app).get(link.pathname + link.search);
    const authorize = new URL(start.headers.location);
    expect(authorize.origin + authorize.pathname).to.equal(`${at.oauthUrl}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).to.include({ code_challenge_method: "S256",
      scope: "data.records:write schema.bases:read", response_type: "code" });
    const back = new URL(at.consent(start.headers.location));
    const done = await request(app.app).get(back.pathname + back.search);
    expect(done.text).to.include("You are logged in to Airtable");
    const exchange = at.tokenRequests.pop()!;
    const basic = Buffer.from(`${at.clientId}:${at.clientSecret}`).toString("base64");
    expect(exchange.authorization).to.equal(`Basic ${basic}`);
    expect(crypto.createHash("sha256").update(exchange.fields.code_verifier).digest("base64url"))
      .to.equal(authorize.searchParams.get("code_challenge"));
    const state = looker.stored.get("at")!;

    const bases = await form(app, "airtable", { data: { state_json: state } });
    expect(bases.fields.map((f: any) => f.name)).to.deep.equal(["base", "table"]);
    expect(bases.fields[0]).to.include({ type: "select", interactive: true });
    expect(bases.fields[0].options).to.deep.equal([{ name: BASE_ID, label: "Marketing" },
      { name: OTHER_BASE_ID, label: "Sales" }]);
    expect(at.api.filter((r) => r.path === "meta/bases").map((r) => r.query.get("offset"))).to.deep.equal([null, "1"]);
    const tables = await form(app, "airtable", { data: { state_json: state }, form_params: { base: OTHER_BASE_ID } });
    expect(tables.fields[1].options).to.deep.equal([{ name: "tblDeals000000001", label: "Deals" }]);
  });

  it("creates records 10 per request, named by short label, hidden fields left out, through the rate gate",
     async () => {
    const answer = await execute(app, "airtable", body(people(95), contacts));
    expect(answer).to.include({ success: true, message: "Created 95 records in the Airtable table \"Contacts\"." });
    expect(at.batches.map((b) => b.length)).to.deep.equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    const created = at.created.get("tblContacts0000001")!;
    expect(created[0]).to.deep.equal({ Email: "p0@example.com", Score: 0 });
    expect(created[1]).to.deep.equal({ Email: "p1@example.com", Name: "Person 1", Score: 1 });
    const post = at.api.find((r) => r.method === "POST")!;
    expect(post.body.typecast).to.equal(true);
    expect(at.api.every((r) => at.isValid(r.bearer))).to.equal(true);
    // 1 schema read and 10 creates to one base: the gate spaced the 11 starts 200 ms apart.
    expect(gateWaits.reduce((a, b) => a + b, 0)).to.equal(2000);
  });

  it("a value Airtable refuses rejects its row only: the request's records are sent one by one", async () => {
    at.refuse = new Set(["p13@example.com"]);
    const answer = await execute(app, "airtable", body(people(30), contacts));
    expect(answer).to.include({ success: true, message: "Created 29 records in the Airtable table \"Contacts\"; " +
      "1 rejected: 1 field \"Email\" cannot accept the provided value (first: row 14)." });
    expect(at.created.get("tblContacts0000001")).to.have.length(29);
    // The second request (rows 11-20) was refused as a whole, then sent record by record.
    expect(at.batches.map((b) => b.length).sort((a, b) => a - b))
      .to.deep.equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 10, 10, 10]);
  });

  it("waits out a 429 and sends the request again, applied once", async () => {
    at.rateLimited = [{}, { "retry-after": "0" }];
    const answer = await execute(app, "airtable", body(people(10), contacts));
    expect(answer).to.include({ success: true, message: "Created 10 records in the Airtable table \"Contacts\"." });
    expect(at.batches).to.have.length(3);
    expect(at.created.get("tblContacts0000001")).to.have.length(10);
  });

  it("refreshes a token that expires mid-delivery once, keeps the rotated refresh token, even on failure", async () => {
    const user = loggedIn();
    at.expireTokensAfterCreates = 3;
    at.refuse = new Set(["many"]);
    const res = await request(app.app).post("/actions/airtable/execute").set("Authorization", authHeader())
      .set("User-Agent", "LookerOutgoingWebhook/25.10.0")
      .send(body(people(200, (i) => (i < 150 ? i : "many")), contacts, user.state));
    expect(at.tokenRequests.map((r) => r.fields.grant_type)).to.deep.equal(["refresh_token"]);
    expect(at.tokenRequests[0].fields.refresh_token).to.equal(user.refreshToken);
    // 50 rows with a text score in a number field: 25% rejected, the delivery fails, the new login stays.
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.match(/^25\.0% of the rows were rejected.*Created 150 records/);
    expect(JSON.parse(res.body.looker.state.data).sealed).to.match(/^lis1\./);
    const again = await execute(app, "airtable", body(people(3), contacts, res.body.looker.state.data));
    expect(again.success).to.equal(true);
    // The refresh token of the old state was rotated away: without the new state the user is logged out.
    const reuse = await execute(app, "airtable", body(people(3), contacts, user.state));
    expect(reuse.message).to.match(/log in to Airtable again/);
  });

  it("a column the table lacks, a computed field or a missing choice fail before any record is made", async () => {
    const extra = detail({ dimensions: [{ name: "x.email", label: "Email" }, { name: "x.city", label: "City" }] },
      cells([{ "x.email": "a@example.com", "x.city": "Oslo" }]));
    const missing = await execute(app, "airtable", body(extra, contacts));
    expect(missing.success).to.equal(false);
    expect(missing.message).to.match(/^The Airtable table "Contacts" has no field named "City"\./);
    const computed = detail({ dimensions: [{ name: "x.created", label: "Created" }] }, cells([{ "x.created": "now" }]));
    const comp = await execute(app, "airtable", body(computed, contacts));
    expect(comp.message).to.match(/computes "Created" itself/);
    const noBase = await execute(app, "airtable", body(people(2), { table: "Contacts" }));
    expect(noBase.validation_errors).to.have.property("base");
    const gone = await execute(app, "airtable", body(people(2), { base: BASE_ID, table: "Gone" }));
    expect(gone.message).to.match(/^The Airtable base has no table "Gone"/);
    expect(at.api.filter((r) => r.method === "POST")).to.have.length(0);
  });

  it("reads the official hub's stored tokens; a revoked login asks to log in again", async () => {
    const tokens = at.issue();
    const legacy = JSON.stringify({ tokens: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken },
      redirect: "https://hub.example.test/actions/airtable/oauth_redirect" });
    const answer = await execute(app, "airtable", body(people(2), contacts, legacy));
    expect(answer.success).to.equal(true);
    at.revokeAll();
    const res = await request(app.app).post("/actions/airtable/execute").set("Authorization", authHeader())
      .set("User-Agent", "LookerOutgoingWebhook/25.10.0").send(body(people(2), contacts, legacy));
    expect(res.body.looker.message).to.match(/log in to Airtable again/);
    expect(res.body.looker.state).to.deep.equal({ data: "reset" });
  });
});
