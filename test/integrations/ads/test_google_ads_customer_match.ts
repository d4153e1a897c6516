// google_ads_customer_match through the real app against a local Google Ads API (and Google's
// OAuth server): the form's accounts, client accounts and lists; the exact hashed identifiers of
// known people (SHA-256 computed here from Google's formatting rules) in addOperations chunks of
// 10,000; list create, job create with consent, run, and polling until the job's real outcome;
// json_label rows (the official format); and Google's refusals: an expired token (refreshed), a
// revoked login, a missing permission, the Customer Match terms, an unapproved developer token.
import { expect } from "chai";
import { createHash } from "crypto";
import request from "supertest";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { GoogleAdsCustomerMatchIntegration } from "../../../src/integrations/google_ads/google_ads_customer_match";
import { DEVELOPER_TOKEN, FakeGoogleAds } from "../../fakes/google_ads_api";
import { FakeOAuthServer } from "../../fakes/oauth_server";
import { authHeader, buildTestApp, TEST_SECRET, TestApp, testConfig } from "../../helpers/app";
import { LOOKER_HEADERS } from "../../helpers/execute";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";
import { cells, detail, executeBody } from "../crm/helpers";

const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const NAME = "google_ads_customer_match";

const FIELDS = { dimensions: [
  { name: "customers.email", tags: ["email"] }, { name: "customers.phone", tags: ["phone"] },
  { name: "customers.first_name" }, { name: "customers.last_name" }, { name: "customers.street" },
  { name: "customers.city" }, { name: "customers.country", tags: ["country"] }, { name: "customers.zip" },
] };

/** Known people and, written out by hand, what Google's formatting rules make of them. */
const PEOPLE = [
  { raw: { email: " Ana.Smith@Example.COM ", phone: "+1 (650) 555-1212", first: " Ana ", last: "Smith-Jones",
    street: "1 Hacker Way", city: "Menlo Park", country: "United States", zip: "94025-1234" },
  identifiers: [{ hashedEmail: sha("ana.smith@example.com") }, { hashedPhoneNumber: sha("+16505551212") },
    { addressInfo: { hashedFirstName: sha("ana"), hashedLastName: sha("smith-jones"), countryCode: "US",
      postalCode: "94025", hashedStreetAddress: sha("1 hacker way"), city: "Menlo Park" } }] },
  { raw: { email: null, phone: "0044 20 7946 0958", first: "José", last: null, street: null, city: null,
    country: "GB", zip: "SW1A 1AA" },
  identifiers: [{ hashedPhoneNumber: sha("+442079460958") }] },
];

describe("Google Ads Customer Match", function() {
  this.timeout(30_000);
  let oauth: FakeOAuthServer;
  let ads: FakeGoogleAds;
  let hub: TestApp;
  let env: Record<string, string>;

  before(async () => {
    oauth = await new FakeOAuthServer().start();
    ads = await new FakeGoogleAds(oauth).start();
    env = { ...FAST_HTTP_ENV, GOOGLE_ADS_CLIENT_ID: oauth.clientId, GOOGLE_ADS_CLIENT_SECRET: oauth.clientSecret,
      GOOGLE_ADS_DEVELOPER_TOKEN: DEVELOPER_TOKEN, GOOGLE_ADS_API_URL: ads.url, GOOGLE_OAUTH_TOKEN_URL: oauth.tokenUrl,
      GOOGLE_OAUTH_AUTHORIZE_URL: oauth.authorizeUrl, GOOGLE_ADS_JOB_POLL_SECONDS: "0.001",
      GOOGLE_ADS_JOB_WAIT_SECONDS: "5" };
    const config = testConfig(env);
    hub = buildTestApp([new GoogleAdsCustomerMatchIntegration(config.ads.googleAds, config.google,
      testHttpClient(env), 5)], env);
  });
  after(async () => { await ads.stop(); await oauth.stop(); });
  beforeEach(() => {
    ads.forbidden.clear();
    ads.termsNotAccepted.clear();
    ads.refusedEmails.clear();
    ads.developerTokenApproved = true;
    ads.pollsUntilDone = 2;
    ads.outcome = { status: "SUCCESS", matchRateRange: "MATCH_RATE_RANGE_51_TO_60" };
  });

  // Each call is another delivery (its own webhook id): the same id again is a re-send, which finds
  // the list it created (test/exactly_once/test_created_resend.ts).
  let deliveries = 0;
  const post = (route: string, body: Record<string, unknown>) => request(hub.app).post(`/actions/${NAME}/${route}`)
    .set("Authorization", authHeader()).set({ ...LOOKER_HEADERS, "X-Looker-Webhook-Id": `wh-gads-${++deliveries}` })
    .send(body);
  const login = () => {
    const tokens = oauth.issue();
    return storedStateFor(new Sealer(TEST_SECRET), NAME, { ...tokens, expiresAt: Date.now() + 3_600_000 });
  };
  const CREATE = { loginCid: "111-111-1111", targetCid: "2222222222", createOrAppend: "create", mobileDevice: "no",
    newListName: "VIPs", newListDescription: "From Looker", doHashing: "yes", consentAdUserData: "GRANTED",
    consentAdPersonalization: "DENIED" };
  const run = async (payload: unknown, form: Record<string, string>, data: Record<string, unknown> = {}) => {
    const res = await post("execute", { ...executeBody(payload, { params: {}, formParams: form }),
      data: { state_json: login(), ...data } });
    return res.body.looker as { success: boolean; message: string; state?: { data: string } };
  };
  const people = (rows: Array<typeof PEOPLE[number]["raw"]>) => detail(FIELDS, cells(rows.map((p) => ({
    "customers.email": p.email, "customers.phone": p.phone, "customers.first_name": p.first,
    "customers.last_name": p.last, "customers.street": p.street, "customers.city": p.city,
    "customers.country": p.country, "customers.zip": p.zip }))));
  const lastJob = () => [...ads.jobs.values()].pop()!;

  // official test_customer_match.ts "action properties": name, label, supportedActionTypes, supportedFormats
  // (json_label, which its schedules carry), supportedFormattings, supportedVisualizationFormattings,
  // requiredFields, developerToken
  it("is listed under the official name with json_label, in under 2.5 KB; needs the developer token", async () => {
    const list = (await request(hub.app).post("/").set("Authorization", authHeader())).body;
    const entry = list.integrations.find((i: any) => i.name === NAME);
    expect(entry).to.include({ label: "Google Ads Customer Match", uses_oauth: true });
    expect(entry.supported_formats).to.deep.equal(["json_detail_lite_stream", "json_label"]);
    expect(entry).to.deep.include({ supported_action_types: ["query"], supported_formattings: ["unformatted"],
      supported_visualization_formattings: ["noapply"], required_fields: [] });
    expect(JSON.stringify(entry).length).to.be.below(2560);
    const noToken = testConfig({ ...env, GOOGLE_ADS_DEVELOPER_TOKEN: "" });
    expect(noToken.ads.googleAds.client).to.equal(undefined);
  });

  // official test_customer_match.ts: "generates the correct Google login URL"
  it("logs in with Google (adwords scope, offline access)", async () => {
    const form = await post("form", { data: { state_url: "https://looker.example.test/state" } });
    expect(form.body.fields[0]).to.include({ name: "login", type: "oauth_link_google" });
    const url = new URL(form.body.fields[0].oauth_url);
    const start = await request(hub.app).get(url.pathname + url.search);
    const authorize = new URL(start.headers.location);
    expect(Object.fromEntries(authorize.searchParams)).to.include({ access_type: "offline",
      scope: "https://www.googleapis.com/auth/adwords", client_id: oauth.clientId, prompt: "consent",
      response_type: "code", redirect_uri: `https://hub.example.test/actions/${NAME}/oauth_redirect` });
  });

  // official test_customer_match.ts: "returns an error response if there is no user state" and
  // "... if there is no tokens": a failure that sends nothing (and resets a state without tokens)
  it("a delivery without a login fails and sends nothing", async () => {
    const before = ads.headers.length;
    for (const data of [{}, { state_json: JSON.stringify({ redirect: "redirect is present" }) }]) {
      const res = await post("execute", { ...executeBody(people([PEOPLE[0].raw]), { params: {},
        formParams: CREATE }), data });
      expect(res.body.looker.success).to.equal(false);
      expect(res.body.looker.message).to.match(/log in to Google/i);
      if (data.state_json) { expect(res.body.looker.state).to.deep.equal({ data: "reset" }); }
    }
    expect(ads.headers.length).to.equal(before);
  });

  // The login the official hub stored ("correctly handles redirect from authorization server":
  // {tokens: {access_token, refresh_token}, redirect}) keeps working here.
  it("keeps the official hub's stored login", async () => {
    const tokens = oauth.issue();
    const legacy = JSON.stringify({ tokens: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken },
      redirect: `https://hub.example.test/actions/${NAME}/oauth_redirect` });
    const form = await post("form", { data: { state_json: legacy } });
    expect(form.body.fields[0].name).to.equal("loginCid");
  });

  it("offers the reachable accounts, a manager's clients, then the lists of the chosen kind", async () => {
    const first = await post("form", { data: { state_json: login() } });
    expect(first.body.fields).to.have.length(1);
    expect(first.body.fields[0].options).to.deep.equal([
      { name: "1111111111", label: "Acme Manager (111-111-1111), manager" },
      { name: "3333333333", label: "Solo Store (333-333-3333)" }]);
    const manager = await post("form", { data: { state_json: login() }, form_params: { loginCid: "1111111111" } });
    expect(manager.body.fields[1]).to.deep.include({ name: "targetCid", options: [
      { name: "2222222222", label: "Acme Shop (222-222-2222)" }, { name: "4444444444", label: "Acme Outlet (444-444-4444)" }] });
    const list = ads.list("2222222222", "Newsletter");
    ads.list("2222222222", "App users", "MOBILE_ADVERTISING_ID");
    const append = await post("form", { data: { state_json: login() }, form_params: { loginCid: "1111111111",
      targetCid: "2222222222", createOrAppend: "append", mobileDevice: "no" } });
    const names = append.body.fields.map((f: any) => f.name);
    expect(names).to.deep.equal(["loginCid", "targetCid", "createOrAppend", "mobileDevice", "targetUserListRN",
      "doHashing", "consentAdUserData", "consentAdPersonalization"]);
    expect(append.body.fields[4].options).to.deep.equal([{ name: list.resourceName, label: "Newsletter" }]);
    const solo = await post("form", { data: { state_json: login() }, form_params: { loginCid: "3333333333",
      createOrAppend: "append", mobileDevice: "yes" } });
    expect(solo.body.fields.map((f: any) => f.name)).to.include("mobileAppId").and.include("noAvalaibleLists");
  });

  it("creates the list, sends exactly the normalised, hashed identifiers with consent, runs the job and " +
     "answers its real outcome", async () => {
    const answer = await run(people(PEOPLE.map((p) => p.raw)), CREATE);
    expect(answer.success, answer.message).to.equal(true);
    expect(answer.message).to.match(/^Sent 2 people to the Customer Match list "VIPs \(from Looker \d{4}-\d\d-\d\dT[\d:]+Z\)" of the account 222-222-2222\. Google Ads finished the job: match rate 51-60%\.$/);
    const job = lastJob();
    expect(job).to.deep.include({ customer: "2222222222", status: "SUCCESS",
      consent: { adUserData: "GRANTED", adPersonalization: "DENIED" } });
    expect(ads.lists.get(job.userList)).to.deep.include({ uploadKeyType: "CONTACT_INFO", description: `From Looker\n[Looker delivery wh-gads-${deliveries}]`,
      membershipLifeSpan: 540, members: 2 });
    expect(job.requests).to.deep.equal([PEOPLE.map((p) => ({ create: { userIdentifiers: p.identifiers } }))]);
    const last = ads.headers[ads.headers.length - 1];
    expect(last).to.include({ "developer-token": DEVELOPER_TOKEN, "login-customer-id": "1111111111" });
    expect(last.authorization).to.match(/^Bearer at-/);
    expect(hub.logs()).not.to.include("ana.smith").and.not.to.include("Ana.Smith");
  });

  it("reads json_label rows by label (the official hub's format) and appends to a chosen list", async () => {
    const list = ads.list("3333333333", "Loyal");
    const rows = [{ "Customers Email": "bob@example.com", "Customers Phone Number": "+33 6 12 34 56 78" },
      { "Customers Email": "", "Customers Phone Number": null }];
    const res = await post("execute", { type: "query", data: { state_json: login(), max_rejected_percent: "50" },
      form_params: { loginCid: "3333333333", createOrAppend: "append", mobileDevice: "no",
        targetUserListRN: list.resourceName },
      attachment: { mimetype: "application/json", extension: "json", data: JSON.stringify(rows) } });
    expect(res.body.looker.message).to.equal("Sent 1 person to the Customer Match list of the account 333-333-3333; " +
      "1 skipped: 1 no identifier (first: row 2). Google Ads finished the job: match rate 51-60%.");
    expect(lastJob().requests[0]).to.deep.equal([{ create: { userIdentifiers: [{ hashedEmail: sha("bob@example.com") },
      { hashedPhoneNumber: sha("+33612345678") }] } }]);
    expect(list.members).to.equal(1);
  });

  it("adds operations in chunks of 10,000, counts what Google refuses, mobile ids unhashed", async () => {
    const ids = Array.from({ length: 25_001 }, (_, i) =>
      `6d92078a-8246-4ba4-ae5b-${String(i).padStart(12, "0")}`);
    const payload = detail({ dimensions: [{ name: "devices.idfa" }] },
      cells(ids.map((id) => ({ "devices.idfa": id }))));
    const answer = await run(payload, { ...CREATE, mobileDevice: "yes", mobileAppId: "com.acme.app" });
    expect(answer.success, answer.message).to.equal(true);
    const job = lastJob();
    expect(job.requests.map((r) => r.length)).to.deep.equal([10_000, 10_000, 5_001]);
    expect(job.requests[2][5_000]).to.deep.equal({ create: { userIdentifiers: [{ mobileId: ids[25_000] }] } });
    expect(ads.lists.get(job.userList)).to.include({ uploadKeyType: "MOBILE_ADVERTISING_ID", appId: "com.acme.app" });
    ads.refusedEmails.add(sha("ana.smith@example.com"));
    const refused = await run(people(PEOPLE.map((p) => p.raw)), CREATE, { max_rejected_percent: "50" });
    expect(refused.message).to.match(/^Sent 1 person .*; 1 skipped: 1 refused by Google \(invalid user identifier\) \(first: row 1\)\./);
  });

  it("says so when the job fails, or is still running when the wait is over", async () => {
    ads.outcome = { status: "FAILED", failureReason: "INSUFFICIENT_MATCHED_TRANSACTIONS" };
    const failed = await run(people([PEOPLE[0].raw]), CREATE);
    expect(failed.success).to.equal(false);
    expect(failed.message).to.include("it failed (INSUFFICIENT_MATCHED_TRANSACTIONS)");
    ads.pollsUntilDone = 1_000_000;
    const config = testConfig({ ...env, GOOGLE_ADS_JOB_WAIT_SECONDS: "0.05" });
    const slow = buildTestApp([new GoogleAdsCustomerMatchIntegration(config.ads.googleAds, config.google,
      testHttpClient(env), 5)], env);
    const res = await request(slow.app).post(`/actions/${NAME}/execute`).set("Authorization", authHeader())
      .send({ ...executeBody(people([PEOPLE[0].raw]), { params: {}, formParams: CREATE }),
        data: { state_json: login() } });
    expect(res.body.looker.success).to.equal(true);
    expect(res.body.looker.message).to.match(/Google Ads is still processing the job \(RUNNING, customers\/2222222222\/offlineUserDataJobs\/\d+\)/);
  });

  it("fails before any call when no column holds an identifier, naming the tags", async () => {
    const before = ads.headers.length;
    const answer = await run(detail({ dimensions: [{ name: "orders.id" }] }, cells([{ "orders.id": 1 }])), CREATE);
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include("Google Ads").and.include("tags: [\"email\"]").and.include("\"zip\"");
    expect(ads.headers.length).to.equal(before);
  });

  it("refreshes an expired token and returns the new state; a revoked login asks to log in again", async () => {
    const state = login();
    oauth.expireAccessTokens();
    const res = await post("execute", { ...executeBody(people([PEOPLE[0].raw]), { params: {}, formParams: CREATE }),
      data: { state_json: state } });
    expect(res.body.looker.success, res.body.looker.message).to.equal(true);
    expect(JSON.parse(res.body.looker.state.data).sealed).to.match(/^lis1\./);
    const revoked = login();
    oauth.revokeAll();
    const gone = await post("execute", { ...executeBody(people([PEOPLE[0].raw]), { params: {}, formParams: CREATE }),
      data: { state_json: revoked } });
    expect(gone.body.looker.success).to.equal(false);
    expect(gone.body.looker.message).to.include("log in to Google again");
    expect(gone.body.looker.state).to.deep.equal({ data: "reset" });
  });

  it("says what to do for a missing permission, the Customer Match terms and an unapproved developer token",
    async () => {
      ads.forbidden.add("2222222222");
      const denied = await run(people([PEOPLE[0].raw]), CREATE);
      expect(denied.message).to.include("your login has no access to it (USER_PERMISSION_DENIED)");
      ads.forbidden.clear();
      ads.termsNotAccepted.add("2222222222");
      const terms = await run(people([PEOPLE[0].raw]), CREATE);
      expect(terms.message).to.include("CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS")
        .and.include("accept the Customer Match terms");
      ads.developerTokenApproved = false;
      const token = await run(people([PEOPLE[0].raw]), CREATE);
      expect(token.message).to.include("GOOGLE_ADS_DEVELOPER_TOKEN");
    });

  it("points at the form's missing choices without calling Google", async () => {
    const before = ads.headers.length;
    const res = await post("execute", { ...executeBody(people([PEOPLE[0].raw]), { params: {},
      formParams: { createOrAppend: "append", consentAdUserData: "MAYBE" } }), data: { state_json: login() } });
    expect(res.body.looker.validation_errors).to.have.keys(["loginCid", "targetCid", "mobileDevice",
      "targetUserListRN", "consentAdUserData"]);
    expect(ads.headers.length).to.equal(before);
  });
});
