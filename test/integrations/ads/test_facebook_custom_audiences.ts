// facebook_custom_audiences through the real app against a local Graph API: the login (dialog,
// code, long-lived token), the form's ad accounts and audiences, the exact hashed payloads of a
// table of known people (SHA-256 computed here from Facebook's normalisation rules), sessions of
// at most 10,000 with batch_seq and last_batch_flag (a replace swaps the audience at the end),
// and Graph's refusals: an expired token, a missing permission, the Custom Audience terms.
import { expect } from "chai";
import { createHash } from "crypto";
import request from "supertest";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { FacebookCustomAudiencesIntegration } from "../../../src/integrations/facebook/facebook_custom_audiences";
import { FakeGraph } from "../../fakes/graph_api";
import { FakeLooker } from "../../fakes/fake_looker";
import { authHeader, buildTestApp, TEST_SECRET, TestApp, testConfig } from "../../helpers/app";
import { LOOKER_HEADERS } from "../../helpers/execute";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";
import { cells, detail, executeBody } from "../crm/helpers";

const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const NAME = "facebook_custom_audiences";

const FIELDS = { dimensions: [
  { name: "customers.email", tags: ["email"] }, { name: "customers.phone" },
  { name: "customers.first_name" }, { name: "customers.last_name" }, { name: "customers.city" },
  { name: "customers.state" }, { name: "customers.zip", tags: ["zip"] }, { name: "customers.country" },
  { name: "customers.birth_year", tags: ["birth_year"] }, { name: "customers.mobile_ad_id", tags: ["mad_id"] },
  { name: "customers.lifetime_value" },
] };

/** Known people, and what Facebook's rules make of each value (written out by hand, then hashed here). */
const PEOPLE = [
  { raw: { email: " Ana.Smith@Example.COM", phone: "+1 (650) 555-1212", first: "Ana", last: "Smith-Jones",
    city: "Menlo Park", state: "California", zip: "94025-1234", country: "United States", year: "1984",
    madid: "6D92078A-8246-4BA4-AE5B-76104861E7DC" },
  sent: ["ana.smith@example.com", "16505551212", "ana", "smithjones", "menlopark", "ca", "94025", "us", "1984"],
  madid: "6d92078a-8246-4ba4-ae5b-76104861e7dc" },
  { raw: { email: "JOSE@example.es", phone: "0034 612 345 678", first: "José", last: "Núñez", city: "Sevilla",
    state: "Andalucía", zip: "41001", country: "es", year: null, madid: null },
  sent: ["jose@example.es", "34612345678", "josé", "núñez", "sevilla", "andalucía", "41001", "es", ""],
  madid: "" },
];

describe("Facebook Custom Audiences", function() {
  this.timeout(30_000);
  let graph: FakeGraph;
  let looker: FakeLooker;
  let hub: TestApp;

  before(async () => {
    graph = await new FakeGraph().start();
    looker = await new FakeLooker().start();
    const env = { ...FAST_HTTP_ENV, FACEBOOK_CLIENT_ID: graph.appId, FACEBOOK_CLIENT_SECRET: graph.appSecret,
      FACEBOOK_GRAPH_URL: graph.url, FACEBOOK_OAUTH_URL: graph.url };
    const config = testConfig(env);
    hub = buildTestApp([new FacebookCustomAudiencesIntegration(config.ads.facebook, testHttpClient(env), 5)], env);
  });
  after(async () => { await graph.stop(); await looker.stop(); });
  beforeEach(() => {
    graph.forbiddenAccounts.clear();
    graph.termsNotAccepted.clear();
    graph.uploads.length = 0;
    graph.pageSize = 100;
  });

  // Each call is another delivery (its own webhook id): the same id again is a re-send, which finds
  // the audience it created (test/exactly_once/test_created_resend.ts).
  let deliveries = 0;
  const post = (route: string, body: Record<string, unknown>) => request(hub.app).post(`/actions/${NAME}/${route}`)
    .set("Authorization", authHeader()).set({ ...LOOKER_HEADERS, "X-Looker-Webhook-Id": `wh-fb-${++deliveries}` })
    .send(body);
  const state = (token = graph.issue()) => storedStateFor(new Sealer(TEST_SECRET), NAME,
    { accessToken: token, expiresAt: Date.now() + 50 * 86_400_000 });
  const run = async (payload: unknown, form: Record<string, string>, data: Record<string, unknown> = {}) => {
    const body = executeBody(payload, { params: {}, formParams: form });
    const res = await post("execute", { ...body, data: { state_json: state(), ...data } });
    return res.body.looker as { success: boolean; message: string; state?: { data: string } };
  };
  const people = (rows: typeof PEOPLE[number]["raw"][]) => detail(FIELDS, cells(rows.map((p) => ({
    "customers.email": p.email, "customers.phone": p.phone, "customers.first_name": p.first,
    "customers.last_name": p.last, "customers.city": p.city, "customers.state": p.state, "customers.zip": p.zip,
    "customers.country": p.country, "customers.birth_year": p.year, "customers.mobile_ad_id": p.madid,
    "customers.lifetime_value": 120.5,
  }))));

  // official test_facebook_custom_audiences.ts: "generates the correct Google login URL" (the dialog URL) and
  // "correctly handles redirect from authorization server" (the code exchange; here a long-lived token follows)
  it("logs in: the dialog asks for ads_management and business_management; the code becomes a long-lived token",
    async () => {
      const form = await post("form", { data: { state_url: looker.stateUrl("fb-ana") } });
      const login = form.body.fields[0];
      expect(login).to.include({ name: "login", type: "oauth_link" });
      const start = await request(hub.app).get(new URL(login.oauth_url).pathname + new URL(login.oauth_url).search);
      const dialog = new URL(start.headers.location);
      expect(dialog.origin + dialog.pathname).to.equal(`${graph.url}/v24.0/dialog/oauth`);
      expect(Object.fromEntries(dialog.searchParams)).to.include({ client_id: graph.appId,
        scope: "ads_management,business_management",
        redirect_uri: `https://hub.example.test/actions/${NAME}/oauth_redirect` });
      const back = new URL(graph.consent(start.headers.location));
      const done = await request(hub.app).get(back.pathname + back.search);
      expect(done.status).to.equal(200);
      expect(done.text).to.include("You are logged in to Facebook");
      const [exchange, longLived] = graph.tokenRequests.slice(-2);
      expect(exchange).to.include({ client_id: graph.appId, client_secret: graph.appSecret });
      expect(exchange.code).to.match(/^fbcode-/);
      expect(longLived).to.include({ grant_type: "fb_exchange_token" });
      const stored = looker.stored.get("fb-ana")!;
      expect(JSON.parse(stored).sealed).to.match(/^lis1\./);
      const next = await post("form", { data: { state_json: stored } });
      expect(next.body.fields[0]).to.include({ name: "choose_ad_account", type: "select" });
    });

  // official test_facebook_custom_audiences.ts "action properties": name, label, supportedFormats, requiredFields
  it("is listed under the official name, OAuth, in under 2.5 KB", async () => {
    const list = (await request(hub.app).post("/").set("Authorization", authHeader())).body;
    const entry = list.integrations.find((i: any) => i.name === NAME);
    expect(entry).to.include({ label: "Facebook Custom Audiences", uses_oauth: true });
    expect(entry.supported_formats).to.deep.equal(["json_detail_lite_stream"]);
    expect(entry).to.deep.include({ supported_action_types: ["query"], supported_formattings: ["unformatted"],
      supported_visualization_formattings: ["noapply"], required_fields: [] });
    expect(JSON.stringify(entry).length).to.be.below(2560);
  });

  // official test_facebook_custom_audiences.ts: "returns an error response if there is no user state" and
  // "... if there is no tokens": a failure that clears the state, nothing sent to Facebook
  it("a delivery without a login fails, clears a state without tokens and sends nothing", async () => {
    const before = graph.uploads.length;
    for (const data of [{}, { state_json: JSON.stringify({ redirect: "redirect is present" }) }]) {
      const res = await post("execute", { ...executeBody(people([PEOPLE[0].raw]), { params: {},
        formParams: { choose_ad_account: "1001", create_audience_name: "New List" } }), data });
      expect(res.body.looker.success).to.equal(false);
      expect(res.body.looker.message).to.match(/log in to Facebook/i);
      if (data.state_json) { expect(res.body.looker.state).to.deep.equal({ data: "reset" }); }
    }
    expect(graph.uploads.length).to.equal(before);
  });

  it("keeps the official hub's stored login ({tokens: {longLivedToken}})", async () => {
    const legacy = JSON.stringify({ tokens: { longLivedToken: graph.issue() }, redirect: "https://x" });
    const form = await post("form", { data: { state_json: legacy } });
    expect(form.body.fields[0].name).to.equal("choose_ad_account");
    expect(JSON.parse(form.body.state.data).sealed).to.match(/^lis1\./);
  });

  it("offers the ad accounts (all pages), then the operation, then the customer-list audiences", async () => {
    graph.pageSize = 1;
    const first = await post("form", { data: { state_json: state() } });
    expect(first.body.fields).to.have.length(1);
    expect(first.body.fields[0]).to.deep.include({ name: "choose_ad_account", required: true, interactive: true,
      options: [{ name: "1001", label: "Acme Ads (1001)" }, { name: "1002", label: "Acme Brand (1002)" }] });
    const create = await post("form", { data: { state_json: state() }, form_params: { choose_ad_account: "1001" } });
    expect(create.body.fields.map((f: any) => f.name)).to.deep.equal(["choose_ad_account",
      "choose_create_update_replace", "create_audience_name", "create_audience_description", "should_hash"]);
    expect(create.body.fields[1].options.map((o: any) => o.name))
      .to.deep.equal(["create_audience", "update_audience", "replace_audience"]);
    const list = graph.audience("1001", "Newsletter");
    graph.audience("1001", "Website visitors", "WEBSITE");
    const update = await post("form", { data: { state_json: state() },
      form_params: { choose_ad_account: "1001", choose_create_update_replace: "update_audience" } });
    expect(update.body.fields.find((f: any) => f.name === "choose_custom_audience").options)
      .to.deep.equal([{ name: list.id, label: "Newsletter" }]);
  });

  it("creates the audience and sends exactly the normalised, hashed identifiers; counts what it skipped", async () => {
    const rows = [...PEOPLE.map((p) => p.raw),
      { email: null, phone: "", first: "Ann", last: null, city: "Paris", state: null, zip: null, country: null,
        year: null, madid: null },
      { email: "not an email", phone: null, first: null, last: null, city: null, state: null, zip: null,
        country: null, year: null, madid: null }];
    const before = graph.audiences.size;
    const answer = await run(people(rows as any), { choose_ad_account: "1001",
      choose_create_update_replace: "create_audience", create_audience_name: "VIPs",
      create_audience_description: "From Looker", should_hash: "do_hashing" }, { max_rejected_percent: "50" });
    expect(answer.message).to.equal("Sent 3 people to the Facebook audience \"VIPs\"; 1 skipped: 1 invalid email " +
      "(first: row 4). 1 batch in one session. Facebook takes up to 24 hours to match them.");
    expect(answer.success).to.equal(true);
    expect(graph.audiences.size).to.equal(before + 1);
    const created = [...graph.audiences.values()].pop()!;
    expect(created).to.include({ account: "1001", name: "VIPs", subtype: "CUSTOM" });
    expect(created.description, "the form's description, marked with the delivery").to.match(/^From Looker\n\[Looker delivery wh-fb-\d+\]$/);
    const [upload] = graph.uploads;
    expect(upload).to.deep.include({ audience: created.id, replace: false });
    expect(upload.session).to.include({ batch_seq: 1, last_batch_flag: true });
    expect(upload.schema).to.deep.equal(["EMAIL", "PHONE", "FN", "LN", "DOBY", "CT", "ST", "ZIP", "COUNTRY", "MADID"]);
    const expected = PEOPLE.map((p) => {
      const [email, phone, fn, ln, ct, st, zip, country, year] = p.sent;
      return [email, phone, fn, ln, year, ct, st, zip, country].map((v) => v ? sha(v) : "").concat(p.madid);
    });
    // The row with only a city (no identifier Facebook can match alone) is still sent: Facebook decides.
    expect(upload.data!.slice(0, 2)).to.deep.equal(expected);
    expect(upload.data![2]).to.deep.equal(["", "", sha("ann"), "", "", sha("paris"), "", "", "", ""]);
    expect(graph.proofFailures).to.deep.equal([]);
    expect(hub.logs()).not.to.include("Ana.Smith").and.not.to.include("ana.smith")
      .and.not.to.include(sha("ana.smith@example.com"));
  });

  it("passes already hashed values on; with do_no_hashing it takes only SHA-256 hashes", async () => {
    const list = graph.audience("1001", "Hashed");
    const digest = sha("ana.smith@example.com");
    const payload = detail({ dimensions: [{ name: "u.email_sha", tags: ["email"] }] },
      cells([{ "u.email_sha": digest.toUpperCase() }, { "u.email_sha": "bob@example.com" }]));
    const answer = await run(payload, { choose_ad_account: "1001", choose_create_update_replace: "update_audience",
      choose_custom_audience: list.id, should_hash: "do_no_hashing" }, {});
    expect(answer.success, answer.message).to.equal(false);
    expect(answer.message).to.match(/^50\.0% of the rows were skipped/);
    const hashed = await run(payload, { choose_ad_account: "1001", choose_create_update_replace: "update_audience",
      choose_custom_audience: list.id, should_hash: "do_hashing" });
    expect(hashed.success, hashed.message).to.equal(true);
    expect(graph.uploads.pop()!.data).to.deep.equal([[digest], [sha("bob@example.com")]]);
  });

  it("replaces in one session of batches of 10,000: batch_seq in order, last_batch_flag on the last only",
    async () => {
      const list = graph.audience("1002", "Replace me");
      list.rows = ["old"];
      const many = detail({ dimensions: [{ name: "u.id", tags: ["external_id"] }] },
        cells(Array.from({ length: 25_001 }, (_, i) => ({ "u.id": `c-${i}` }))));
      const answer = await run(many, { choose_ad_account: "1002", choose_create_update_replace: "replace_audience",
        choose_custom_audience: list.id });
      expect(answer.message).to.equal("Sent 25,001 people to the Facebook audience \"Replace me\". 3 batches in " +
        "one session. They replace everyone the audience had. Facebook takes up to 24 hours to match them.");
      expect(graph.uploads.map((u) => [u.replace, u.rows, u.session.batch_seq, u.session.last_batch_flag]))
        .to.deep.equal([[true, 10_000, 1, false], [true, 10_000, 2, false], [true, 5_001, 3, true]]);
      expect(new Set(graph.uploads.map((u) => u.session.session_id)).size).to.equal(1);
      expect(list.rows).to.have.length(25_001);
      expect(list.rows[25_000]).to.equal("c-25000");
    });

  it("fails before any call when no column holds an identifier, naming the tags", async () => {
    const calls = graph.audiences.size;
    const answer = await run(detail({ dimensions: [{ name: "orders.id" }] }, cells([{ "orders.id": 1 }])),
      { choose_ad_account: "1001", create_audience_name: "Nobody" });
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include("tags: [\"email\"]").and.include("\"phone\"");
    expect(graph.audiences.size).to.equal(calls);
    expect(graph.uploads).to.have.length(0);
  });

  it("an expired token asks for a new login and clears the state", async () => {
    const body = executeBody(people([PEOPLE[0].raw]), { params: {},
      formParams: { choose_ad_account: "1001", create_audience_name: "Expired" } });
    const token = graph.issue();
    graph.expireTokens();
    const res = await post("execute", { ...body, data: { state_json: state(token) } });
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.match(/^Facebook no longer accepts your login.*log in to Facebook again/);
    expect(res.body.looker.state).to.deep.equal({ data: "reset" });
  });

  it("says what to do when the login lacks permission on the ad account or the terms are not accepted",
    async () => {
      graph.forbiddenAccounts.add("1001");
      const denied = await run(people([PEOPLE[0].raw]), { choose_ad_account: "1001", create_audience_name: "X" });
      expect(denied.success).to.equal(false);
      expect(denied.message).to.include("your login lacks the permission (code 200")
        .and.include("Advertiser or Admin role on the ad account");
      graph.termsNotAccepted.add("1002");
      const terms = await run(people([PEOPLE[0].raw]), { choose_ad_account: "1002", create_audience_name: "X" });
      expect(terms.message).to.match(/the Custom Audience terms have not been accepted for this ad account/);
      expect(graph.uploads).to.have.length(0);
    });

  it("points at the form's missing choices without calling Facebook", async () => {
    const res = await post("execute", { ...executeBody(people([PEOPLE[0].raw]), { params: {},
      formParams: { choose_create_update_replace: "update_audience" } }), data: { state_json: state() } });
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.validation_errors).to.have.keys(["choose_ad_account", "choose_custom_audience"]);
  });
});
