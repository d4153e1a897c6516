// Saved logins sealed by the official hub (ENCRYPT_PAYLOAD* on: `{cid, payload}` under its
// CIPHER_MASTER) keep working when this hub is given the same key: every OAuth integration reads
// them through the real app, the vendor gets the user's token, and the answer carries the login
// re-saved in this hub's own sealed form. A wrong key and no key are answered clearly.
import { expect } from "chai";
import request from "supertest";
import { Integration } from "../../../src/hub/integration";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { allIntegrations } from "../../../src/integrations";
import { BASE_ID } from "../../fakes/airtable_api";
import { FakeOAuthServer } from "../../fakes/oauth_server";
import { authHeader, buildTestApp, TEST_SECRET, TestApp, testConfig } from "../../helpers/app";
import { FAST_HTTP_ENV } from "../../helpers/http";
import { LoginVendors, loginVendorsEnv, startLoginVendors, stopLoginVendors } from "../../helpers/login_vendors";
import { sealLikeOfficialHub } from "../../helpers/official_hub_seal";

/** The official hub's integrations (test/fixtures/official_definitions.json). */
const OFFICIAL_NAMES = new Set(Object.keys(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("../../fixtures/official_definitions.json").integrations as Record<string, unknown>));

const MASTER = "9c".repeat(8) + "e4".repeat(8) + "17".repeat(16);
const OTHER_MASTER = "5d".repeat(32);

type Fakes = LoginVendors;

interface LoginCase {
  /** What the official hub encrypted (its shape for this integration, from catalog.md's state_json_shapes). */
  official: Record<string, unknown>;
  /** The token the vendor must see. */
  accessToken?: string;
  /** Admin params besides the state. */
  params?: Record<string, string>;
}

const googleTokens = (f: FakeOAuthServer, name: string) => {
  const t = f.issue();
  return { official: { tokens: { access_token: t.accessToken, refresh_token: t.refreshToken, scope: "x",
    token_type: "Bearer", expiry_date: Date.now() + 3_600_000 },
    redirect: `https://hub.example/actions/${name}/oauth_redirect` }, accessToken: t.accessToken };
};

/** Every OAuth integration's official shape; the test fails when an OAuth integration has no line. */
const CASES: Record<string, (f: Fakes) => LoginCase> = {
  google_drive: (f) => googleTokens(f.oauth, "google_drive"),
  google_sheets: (f) => googleTokens(f.oauth, "google_sheets"),
  google_ads_customer_match: (f) => googleTokens(f.oauth, "google_ads_customer_match"),
  // Dropbox stored the login's code, exchanged on use (catalog.md: "code stored, not token").
  dropbox: (f) => {
    const back = new URL(f.oauth.consent(`${f.oauth.authorizeUrl}?response_type=code&client_id=${f.oauth.clientId}` +
      `&redirect_uri=${encodeURIComponent("https://hub.example/actions/dropbox/oauth_redirect")}`));
    return { official: { code: back.searchParams.get("code"),
      redirect: "https://hub.example/actions/dropbox/oauth_redirect" } };
  },
  airtable: (f) => {
    const t = f.airtable.issue();
    return { official: { tokens: { access_token: t.accessToken, refresh_token: t.refreshToken },
      redirect: "https://hub.example/actions/airtable/oauth_redirect" }, accessToken: t.accessToken };
  },
  facebook_custom_audiences: (f) => {
    const token = f.graph.issue();
    return { official: { tokens: { longLivedToken: token }, redirect: "x" }, accessToken: token };
  },
  // The official hub never encrypted Salesforce's state, but the machinery is one: it reads it as well.
  salesforce_campaigns: (f) => {
    const t = f.salesforce.issue();
    return { official: { access_token: t.accessToken, refresh_token: t.refreshToken }, accessToken: t.accessToken,
      params: { salesforce_domain: f.salesforce.domain } };
  },
};

describe("logins saved encrypted by the official hub (CIPHER_MASTER)", function() {
  this.timeout(60_000);
  let f: Fakes;
  let env: Record<string, string>;
  const hubs: Record<string, TestApp> = {};
  let oauthIntegrations: Integration[];

  before(async () => {
    f = await startLoginVendors();
    env = { ...FAST_HTTP_ENV, ...loginVendorsEnv(f), GOOGLE_OAUTH_TOKEN_URL: f.oauth.tokenUrl };
    for (const [name, master] of [["key", MASTER], ["wrong key", OTHER_MASTER], ["no key", undefined]] as const) {
      const hubEnv: Record<string, string> = master ? { ...env, CIPHER_MASTER: master } : env;
      hubs[name] = buildTestApp(allIntegrations(testConfig(hubEnv)), hubEnv);
    }
    // The official hub's own OAuth integrations: only they have logins it stored.
    oauthIntegrations = allIntegrations(testConfig(env)).filter((i) => i.oauth && OFFICIAL_NAMES.has(i.name));
  });

  after(async () => { await stopLoginVendors(f); });

  const form = (hub: string, name: string, data: Record<string, string>) =>
    request(hubs[hub].app).post(`/actions/${name}/form`).set("Authorization", authHeader())
      .send({ data, form_params: { base: BASE_ID } });

  it("covers every OAuth integration the official hub had (each has its official shape in CASES)", () => {
    expect(oauthIntegrations.map((i) => i.name).sort()).to.deep.equal(Object.keys(CASES).sort());
  });

  for (const name of Object.keys(CASES)) {
    it(`${name}: reads the official encrypted login, the vendor gets its token, it is re-saved sealed`, async () => {
      const login = CASES[name](f);
      for (const versioned of [true, false]) {
        const state = sealLikeOfficialHub(login.official, MASTER, { versioned });
        const res = await form("key", name, { state_json: state, ...login.params }).expect(200);
        expect(res.body.error, JSON.stringify(res.body)).to.equal(undefined);
        expect(res.body.fields.map((x: any) => x.name)).not.to.include("login");
        const saved = JSON.parse(res.body.state.data);
        const tokens = new Sealer(TEST_SECRET).unseal<any>("stored-tokens", saved.sealed, name);
        if (login.accessToken) { expect(tokens.accessToken).to.equal(login.accessToken); }
        // The re-saved login works, and is not saved again.
        const again = await form("key", name, { state_json: res.body.state.data, ...login.params }).expect(200);
        expect(again.body.fields.map((x: any) => x.name)).not.to.include("login");
        expect(again.body.state).to.equal(undefined);
        // Dropbox's stored code works once: the next round starts from its re-saved login.
        if (!login.accessToken) { break; }
      }
    });
  }

  it("google_drive: an execute with the official login delivers and answers the login re-saved", async () => {
    const login = CASES.google_drive(f);
    const res = await request(hubs.key.app).post("/actions/google_drive/execute").set("Authorization", authHeader())
      .send({ type: "query", data: { state_json: sealLikeOfficialHub(login.official, MASTER) },
        form_params: { filename: "official" }, scheduled_plan: { title: "Weekly" },
        attachment: { mimetype: "text/csv", extension: "csv", data: "a,b\n1,2\n" } }).expect(200);
    expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
    expect(JSON.parse(res.body.looker.state.data).sealed).to.match(/^lis1\./);
    const upload = f.google.requests.filter((r) => r.path.startsWith("/upload/")).pop()!;
    expect(upload.bearer).to.equal(login.accessToken);
  });

  it("a wrong CIPHER_MASTER: a clear message, the state kept for when the key is right, a warning for the admin",
    async () => {
      const login = CASES.google_sheets(f);
      const state = sealLikeOfficialHub(login.official, MASTER);
      const res = await form("wrong key", "google_sheets", { state_json: state, state_url: "https://looker.example/s" })
        .expect(200);
      expect(res.body.fields).to.have.length(1);
      expect(res.body.fields[0]).to.include({ name: "login", type: "oauth_link_google" });
      expect(res.body.fields[0].description).to.match(
        /^Your Google login was saved encrypted by the previous Action Hub under another key than this hub's CIPHER_MASTER/);
      expect(res.body.state).to.equal(undefined);
      const run = await request(hubs["wrong key"].app).post("/actions/google_sheets/execute")
        .set("Authorization", authHeader()).send({ type: "query", data: { state_json: state },
          form_params: { filename: "x" }, attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n" } })
        .expect(200);
      expect(run.body.looker.success).to.equal(false);
      expect(run.body.looker.message).to.match(/another key than this hub's CIPHER_MASTER.*log in to Google again/);
      expect(run.body.looker.state).to.equal(undefined);
      const logs = hubs["wrong key"].logs();
      expect(logs).to.match(/did not open with CIPHER_MASTER/);
      expect(logs).not.to.include(login.accessToken!);
      expect(logs).not.to.include(JSON.parse(state).payload);
    });

  it("without CIPHER_MASTER: the message of before, and Looker forgets the state", async () => {
    const login = CASES.dropbox(f);
    const res = await form("no key", "dropbox", { state_json: sealLikeOfficialHub(login.official, MASTER),
      state_url: "https://looker.example/s" }).expect(200);
    expect(res.body.fields[0].description).to.match(
      /^Your Dropbox login was saved encrypted by the previous Action Hub, which this hub cannot read\./);
    expect(res.body.state).to.deep.equal({ data: "reset" });
  });

  it("a damaged payload under the right key: a clear message, state reset, no crash", async () => {
    const state = JSON.parse(sealLikeOfficialHub(CASES.airtable(f).official, MASTER));
    state.payload = state.payload.slice(0, 30);
    const res = await form("key", "airtable",
      { state_json: JSON.stringify(state), state_url: "https://looker.example/s" }).expect(200);
    expect(res.body.fields[0].description).to.match(/saved encrypted by the previous Action Hub, and it could not be read/);
    expect(res.body.state).to.deep.equal({ data: "reset" });
  });
});
