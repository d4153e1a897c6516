// The login machinery through the real app: both flows against a fake OAuth server and a fake
// Looker, refresh, the check route and the "needs setup" listing; nothing secret logged. The
// refusals shown in the browser are in test_oauth_refusals.ts, the shared set-up in
// test/helpers/oauth_login.ts.
import { expect } from "chai";
import request from "supertest";
import { authHeader } from "../helpers/app";
import {
  BASE, clock, expectNoSecretsLogged, local, login, loginLink, looker, oauthHub as hub, post, useOAuthFakes, vendor,
} from "../helpers/oauth_login";

describe("per-user login (OAuth machinery)", () => {
  useOAuthFakes();

  it("declares uses_oauth, and token_url for the v2 flow", async () => {
    const app = hub();
    const list = await post(app, "/", {});
    const byName = Object.fromEntries(list.body.integrations.map((i: any) => [i.name, i]));
    expect(byName.oauth_test).to.include({ uses_oauth: true, token_url: `${BASE}/actions/oauth_test/oauth_token` });
    expect(byName.oauth_v1_only.uses_oauth).to.equal(true);
    expect(byName.oauth_v1_only).to.not.have.property("token_url");
  });

  it("lists no integration whose client is not configured, and the hub's page says what to set", async () => {
    const app = hub();
    const list = await post(app, "/", {});
    expect(list.body.integrations.map((i: any) => i.name)).to.not.include("oauth_unset");
    const form = await post(app, "/actions/oauth_unset/form", {});
    expect(form.status).to.equal(404);
    expect(form.body.error).to.match(/not set up.*FAKE_CLIENT_ID and FAKE_CLIENT_SECRET/);
    const page = await request(app).get("/");
    expect(page.text).to.match(/Needs setup:.*FAKE_CLIENT_ID.*FAKE_CLIENT_SECRET/);
    expect(page.text).to.include(`${BASE}/actions/oauth_unset/oauth_redirect`);
  });

  it("v1: the form shows the login link; the login stores sealed tokens at state_url; form, execute work", async () => {
    const app = hub();
    const link = await loginLink(app, "oauth_test", { state_url: looker.stateUrl("v1user"), state_json: null });
    expect(link).to.match(new RegExp(`^${BASE}/actions/oauth_test/oauth\\?state=lis1\\.`));
    const start = await request(app).get(local(link));
    expect(start.status).to.equal(302);
    const authorize = new URL(start.headers.location);
    expect(authorize.origin + authorize.pathname).to.equal(vendor.authorizeUrl);
    expect(Object.fromEntries(authorize.searchParams)).to.include({
      response_type: "code", client_id: vendor.clientId, redirect_uri: `${BASE}/actions/oauth_test/oauth_redirect`,
      scope: "read write", access_type: "offline",
    });
    expect(authorize.searchParams.get("state")).to.match(/^lis1\./);
    expect(authorize.searchParams.get("state")).to.not.include("looker");

    const done = await request(app).get(local(vendor.consent(start.headers.location)));
    expect(done.status).to.equal(200);
    expect(done.type).to.equal("text/html");
    expect(done.text).to.include("You are logged in to Fake Vendor");
    expect(done.headers["referrer-policy"]).to.equal("no-referrer");
    const exchange = vendor.tokenRequests[vendor.tokenRequests.length - 1].fields;
    expect(exchange).to.include({ grant_type: "authorization_code", client_id: vendor.clientId,
      client_secret: vendor.clientSecret, redirect_uri: `${BASE}/actions/oauth_test/oauth_redirect` });

    const stored = looker.stored.get("v1user")!;
    expect(JSON.parse(stored).sealed).to.match(/^lis1\./);
    expect(stored).to.not.match(/at-\d|rt-\d/);

    const form = await post(app, "/actions/oauth_test/form", { type: "query", data: { state_json: stored } });
    expect(form.body.fields[0].label).to.equal("Logged in as ana@example.com");
    expect(vendor.bearers[vendor.bearers.length - 1]).to.match(/^at-/);
    const exec = await post(app, "/actions/oauth_test/execute", { type: "query", data: { state_json: stored },
      form_params: { note: "hi" }, attachment: { mimetype: "text/csv", extension: "csv", data: "a,b\n1,2\n" } });
    expect(exec.body.looker).to.include({ success: true, message: "Sent 8 bytes as ana@example.com." });
  });

  it("v2: the browser goes back to state_redir_url with a sealed code; oauth_token answers the state", async () => {
    const app = hub();
    const redir = looker.stateRedirUrl("v2user");
    const back = await login(app, "oauth_test", { state_redir_url: redir, state_url: looker.stateUrl("unused") });
    expect(back.status).to.equal(302);
    const to = new URL(back.headers.location);
    expect(to.origin + to.pathname).to.equal(redir.split("?")[0]);
    expect(to.searchParams.get("token")).to.equal("one-time");
    const sealedCode = to.searchParams.get("state")!;
    expect(sealedCode).to.match(/^lis1\./);
    expect(sealedCode).to.not.match(/code-\d/);
    expect(looker.stored.has("unused")).to.equal(false);

    const answer = await post(app, "/actions/oauth_test/oauth_token", { state: sealedCode });
    expect(answer.status).to.equal(200);
    expect(answer.body.sealed).to.match(/^lis1\./);
    expect(answer.text).to.not.match(/at-\d/);
    const form = await post(app, "/actions/oauth_test/form", { data: { state_json: answer.text } });
    expect(form.body.fields[0].label).to.equal("Logged in as ana@example.com");

    const unauthenticated = await request(app).post("/actions/oauth_test/oauth_token").send({ state: sealedCode });
    expect(unauthenticated.status).to.equal(403);
    const replay = await post(app, "/actions/oauth_test/oauth_token", { state: sealedCode });
    expect(replay.status).to.equal(400);
    expect(replay.body.error).to.match(/Fake Vendor no longer accepts your login/);
  });

  it("a v1-only integration ignores state_redir_url and uses state_url", async () => {
    const app = hub();
    const done = await login(app, "oauth_v1_only",
      { state_redir_url: looker.stateRedirUrl("x"), state_url: looker.stateUrl("v1only") });
    expect(done.status).to.equal(200);
    expect(looker.stored.get("v1only")).to.match(/sealed/);
  });

  it("PKCE and HTTP Basic client authentication, when declared", async () => {
    const app = hub();
    const done = await login(app, "oauth_pkce", { state_url: looker.stateUrl("pkce") });
    expect(done.status).to.equal(200);
    const authorize = vendor.authorizeRequests[vendor.authorizeRequests.length - 1];
    expect(authorize.code_challenge_method).to.equal("S256");
    expect(authorize.code_challenge).to.match(/^[A-Za-z0-9_-]{43}$/);
    const exchange = vendor.tokenRequests[vendor.tokenRequests.length - 1];
    expect(exchange.fields.code_verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(exchange.fields).to.not.have.property("client_secret");
    expect(exchange.authorization).to.match(/^Basic /);
  });

  async function storedLogin(app: any): Promise<string> {
    await login(app, "oauth_test", { state_url: looker.stateUrl("refresh") });
    return looker.stored.get("refresh")!;
  }

  it("refreshes an expired access token and returns the new state in the same answer", async () => {
    const app = hub();
    vendor.accessTokenTtl = 30; // inside the hub's one-minute margin: expired for the hub at once
    const stored = await storedLogin(app);
    const before = vendor.tokenRequests.length;
    const exec = await post(app, "/actions/oauth_test/execute", { type: "query", data: { state_json: stored },
      form_params: { note: "x" }, attachment: { mimetype: "text/csv", extension: "csv", data: "a\n" } });
    expect(exec.body.looker.success).to.equal(true);
    const refresh = vendor.tokenRequests.slice(before);
    expect(refresh.map((r) => r.fields.grant_type)).to.deep.equal(["refresh_token"]);
    expect(refresh[0].fields.refresh_token).to.match(/^rt-/);
    const newState = exec.body.looker.state.data;
    expect(JSON.parse(newState).sealed).to.match(/^lis1\./);
    expect(newState).to.not.equal(stored);
    // The new state keeps the refresh token: it refreshes again.
    const form = await post(app, "/actions/oauth_test/form", { data: { state_json: newState } });
    expect(form.body.fields[0].label).to.equal("Logged in as ana@example.com");
    expect(form.body.state.data).to.match(/sealed/);
  });

  it("refreshes once when the vendor refuses an access token that looked valid (401)", async () => {
    const app = hub();
    const stored = await storedLogin(app);
    vendor.expireAccessTokens();
    const form = await post(app, "/actions/oauth_test/form", { data: { state_json: stored } });
    expect(form.body.fields[0].label).to.equal("Logged in as ana@example.com");
    expect(form.body.state.data).to.match(/sealed/);
  });

  it("a revoked refresh token shows the login field again and an execute asks to log in again", async () => {
    const app = hub();
    vendor.accessTokenTtl = 30;
    const stored = await storedLogin(app);
    vendor.revokeAll();
    const form = await post(app, "/actions/oauth_test/form",
      { data: { state_json: stored, state_url: looker.stateUrl("again") } });
    expect(form.body.fields).to.have.length(1);
    expect(form.body.fields[0]).to.include({ name: "login", type: "oauth_link" });
    expect(form.body.fields[0].description).to.match(/no longer accepts your login/);
    expect(form.body.state).to.deep.equal({ data: "reset" });
    const exec = await post(app, "/actions/oauth_test/execute", { type: "query", data: { state_json: stored },
      form_params: { note: "x" }, attachment: { mimetype: "text/csv", extension: "csv", data: "a\n" } });
    expect(exec.status).to.equal(200);
    expect(exec.body.looker.success).to.equal(false);
    expect(exec.body.looker.message).to.match(/log in to Fake Vendor again/);
    expect(exec.body.looker.state).to.deep.equal({ data: "reset" });
  });

  it("an execute without any login fails with a sentence and does not clear anything", async () => {
    const app = hub();
    const exec = await post(app, "/actions/oauth_test/execute", { type: "query", data: {},
      form_params: { note: "x" }, attachment: { mimetype: "text/csv", extension: "csv", data: "a\n" } });
    expect(exec.body.looker.success).to.equal(false);
    expect(exec.body.looker.message).to.match(/not logged in to Fake Vendor yet.*log in to Fake Vendor again/);
    expect(exec.body.looker).to.not.have.property("state");
  });

  it("reads the official hub's unsealed state and answers it sealed", async () => {
    const app = hub();
    const issued = vendor.issue();
    const legacy = JSON.stringify({ tokens: { access_token: issued.accessToken, refresh_token: issued.refreshToken,
      expiry_date: clock + 3_600_000, token_type: "Bearer" }, redirect: "https://old-hub/actions/x/oauth_redirect" });
    const form = await post(app, "/actions/oauth_test/form", { data: { state_json: legacy } });
    expect(form.body.fields[0].label).to.equal("Logged in as ana@example.com");
    expect(vendor.bearers[vendor.bearers.length - 1]).to.equal(issued.accessToken);
    expect(JSON.parse(form.body.state.data).sealed).to.match(/^lis1\./);
  });

  it("oauth_check answers whether the stored login works, with a vendor call", async () => {
    const app = hub();
    const stored = await storedLogin(app);
    const bearers = vendor.bearers.length;
    expect((await post(app, "/actions/oauth_test/oauth_check", { data: { state_json: stored } })).body).to.equal(true);
    expect(vendor.bearers.length).to.equal(bearers + 1);
    const get = await request(app).get("/actions/oauth_test/oauth_check").set("Authorization", authHeader());
    expect(get.body).to.equal(false);
    expect((await request(app).get("/actions/oauth_test/oauth_check")).status).to.equal(403);
    vendor.revokeAll();
    expect((await post(app, "/actions/oauth_test/oauth_check", { data: { state_json: stored } })).body).to.equal(false);
  });

  it("never logs tokens, codes, states or Looker's state URLs", async () => {
    expectNoSecretsLogged(10);
  });
});
