// The ad audiences' logins in a real headless Chromium: Facebook (v1: the dialog, Continue, the
// long-lived token stored at Looker's state_url) and Google Ads (v2: Google's consent page, the
// sealed code at state_redir_url traded at token_url). Then the form lists the user's accounts
// and a delivery succeeds with the stored state.
import { expect } from "chai";
import * as http from "http";
import { AddressInfo } from "net";
import { PassThrough } from "stream";
import { Registry } from "../../src/hub/registry";
import { FacebookCustomAudiencesIntegration } from "../../src/integrations/facebook/facebook_custom_audiences";
import { GoogleAdsCustomerMatchIntegration } from "../../src/integrations/google_ads/google_ads_customer_match";
import { createLogger } from "../../src/lib/logger";
import { createApp } from "../../src/server/app";
import { FakeLooker } from "../fakes/fake_looker";
import { DEVELOPER_TOKEN, FakeGoogleAds } from "../fakes/google_ads_api";
import { FakeGraph } from "../fakes/graph_api";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { authHeader, testConfig } from "../helpers/app";
import { browser, closeBrowser } from "../helpers/browser";
import { FAST_HTTP_ENV, testHttpClient } from "../helpers/http";

describe("ad audience logins in a real browser (headless Chromium)", function() {
  this.timeout(60_000);
  let graph: FakeGraph;
  let oauth: FakeOAuthServer;
  let ads: FakeGoogleAds;
  let looker: FakeLooker;
  let server: http.Server;
  let base: string;

  before(async () => {
    graph = await new FakeGraph().start();
    oauth = await new FakeOAuthServer().start();
    ads = await new FakeGoogleAds(oauth).start();
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env = { ...FAST_HTTP_ENV, BASE_URL: base, FACEBOOK_CLIENT_ID: graph.appId,
      FACEBOOK_CLIENT_SECRET: graph.appSecret, FACEBOOK_GRAPH_URL: graph.url, FACEBOOK_OAUTH_URL: graph.url,
      GOOGLE_ADS_CLIENT_ID: oauth.clientId, GOOGLE_ADS_CLIENT_SECRET: oauth.clientSecret,
      GOOGLE_ADS_DEVELOPER_TOKEN: DEVELOPER_TOKEN, GOOGLE_ADS_API_URL: ads.url,
      GOOGLE_OAUTH_AUTHORIZE_URL: oauth.authorizeUrl, GOOGLE_OAUTH_TOKEN_URL: oauth.tokenUrl,
      GOOGLE_ADS_JOB_POLL_SECONDS: "0.001" };
    const config = testConfig(env);
    const client = testHttpClient(env);
    const integrations = [new FacebookCustomAudiencesIntegration(config.ads.facebook, client, 5),
      new GoogleAdsCustomerMatchIntegration(config.ads.googleAds, config.google, client, 5)];
    const logger = createLogger({ level: "warn", format: "json", stream: new PassThrough().resume() });
    server.on("request", createApp({ config, registry: new Registry(integrations, config.label, base), logger }));
    looker = await new FakeLooker({
      tokenUrl: () => `${base}/actions/google_ads_customer_match/oauth_token`, authorization: () => authHeader(),
    }).start();
  });
  after(async () => {
    await closeBrowser();
    server?.closeAllConnections();
    await new Promise((resolve) => server ? server.close(resolve) : resolve(undefined));
    await Promise.all([graph?.stop(), ads?.stop(), oauth?.stop(), looker?.stop()]);
  });

  async function hubPost(path: string, body: unknown): Promise<any> {
    const res = await fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body),
      headers: { "content-type": "application/json", "authorization": authHeader() } });
    expect(res.status, path).to.equal(200);
    return res.json();
  }

  async function clickThrough(url: string, title: string): Promise<string> {
    const page = await (await browser()).newPage();
    try {
      await page.goto(url);
      expect(await page.title()).to.equal(title);
      await Promise.all([page.waitForNavigation(), page.click("#allow")]);
      return await page.innerText("h1");
    } finally {
      await page.close();
    }
  }

  const rows = { mimetype: "application/json", extension: "json", data: JSON.stringify({
    fields: { dimensions: [{ name: "u.email", tags: ["email"] }] }, data: [{ "u.email": { value: "ana@example.com" } }],
  }) };

  it("Facebook (v1): the dialog's Continue ends with the long-lived token at Looker's state_url", async () => {
    const form = await hubPost("/actions/facebook_custom_audiences/form", { type: "query",
      data: { state_url: looker.stateUrl("fb-ana") } });
    expect(form.fields[0].type).to.equal("oauth_link");
    expect(await clickThrough(form.fields[0].oauth_url, "Log in to Fake Facebook"))
      .to.equal("You are logged in to Facebook");
    expect(graph.tokenRequests.map((r) => r.grant_type ?? "code")).to.deep.equal(["code", "fb_exchange_token"]);
    const stored = looker.stored.get("fb-ana")!;
    const next = await hubPost("/actions/facebook_custom_audiences/form", { type: "query",
      data: { state_json: stored } });
    expect(next.fields[0].options.map((o: any) => o.name)).to.deep.equal(["1001", "1002"]);
    const exec = await hubPost("/actions/facebook_custom_audiences/execute", { type: "query",
      data: { state_json: stored }, attachment: rows,
      form_params: { choose_ad_account: "1001", create_audience_name: "E2E", create_audience_description: "x" } });
    expect(exec.looker.success, JSON.stringify(exec)).to.equal(true);
    expect(graph.uploads.pop()!.rows).to.equal(1);
  });

  it("Google Ads (v2): Google's consent, the sealed code at state_redir_url, token_url, then a job", async () => {
    const form = await hubPost("/actions/google_ads_customer_match/form", { type: "query",
      data: { state_url: looker.stateUrl("ads-unused"), state_redir_url: looker.stateRedirUrl("ads-ben") } });
    expect(form.fields[0].type).to.equal("oauth_link_google");
    expect(await clickThrough(form.fields[0].oauth_url, "Sign in to Fake Vendor")).to.equal("Looker saved your login");
    expect(oauth.authorizeRequests.pop()!.scope).to.equal("https://www.googleapis.com/auth/adwords");
    const stored = looker.stored.get("ads-ben")!;
    expect(JSON.parse(stored).sealed).to.match(/^lis1\./);
    const next = await hubPost("/actions/google_ads_customer_match/form", { type: "query",
      data: { state_json: stored } });
    expect(next.fields[0].name).to.equal("loginCid");
    const exec = await hubPost("/actions/google_ads_customer_match/execute", { type: "query",
      data: { state_json: stored }, attachment: rows,
      form_params: { loginCid: "3333333333", createOrAppend: "create", mobileDevice: "no", newListName: "E2E" } });
    expect(exec.looker.success, JSON.stringify(exec)).to.equal(true);
    expect(exec.looker.message).to.match(/Google Ads finished the job/);
  });
});
