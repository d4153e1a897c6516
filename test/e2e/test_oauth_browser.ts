// The whole login in a real headless Chromium: the form's link, the vendor's consent page, the
// click on Allow, the hub's redirect, and Looker receiving the state (v1 at state_url; v2 the
// sealed code at state_redir_url, then token_url). Then a form and an execute succeed with the
// stored state, and an expired access token is refreshed.
import { expect } from "chai";
import * as http from "http";
import { AddressInfo } from "net";
import { PassThrough } from "stream";
import { Integration } from "../../src/hub/integration";
import { Registry } from "../../src/hub/registry";
import { createLogger } from "../../src/lib/logger";
import { createApp } from "../../src/server/app";
import { FakeLooker } from "../fakes/fake_looker";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { authHeader, testConfig } from "../helpers/app";
import { browser, closeBrowser } from "../helpers/browser";
import { testHttpClient } from "../helpers/http";
import { OAuthTestIntegration } from "../helpers/oauth_integration";

describe("login in a real browser (headless Chromium)", function() {
  this.timeout(60_000);
  let vendor: FakeOAuthServer;
  let looker: FakeLooker;
  let server: http.Server;
  let base: string;

  before(async () => {
    vendor = await new FakeOAuthServer().start();
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const httpClient = testHttpClient();
    const integrations: Integration[] = [
      new OAuthTestIntegration(vendor, httpClient),
      new OAuthTestIntegration(vendor, httpClient, { name: "oauth_v1", tokenUrlFlow: false, pkce: true }),
    ];
    const config = testConfig({ BASE_URL: base });
    const logger = createLogger({ level: "warn", format: "json", stream: new PassThrough().resume() });
    server.on("request", createApp({ config, registry: new Registry(integrations, config.label, base), logger }));
    looker = await new FakeLooker({
      tokenUrl: (user) => `${base}/actions/${user.split("-")[0]}/oauth_token`, authorization: () => authHeader(),
    }).start();
  });
  after(async () => {
    await closeBrowser();
    server?.closeAllConnections();
    await new Promise((resolve) => server ? server.close(resolve) : resolve(undefined));
    await vendor?.stop();
    await looker?.stop();
  });

  async function hubPost(path: string, body: unknown): Promise<any> {
    const res = await fetch(`${base}${path}`, {
      method: "POST", body: JSON.stringify(body),
      headers: { "content-type": "application/json", "authorization": authHeader() },
    });
    expect(res.status, path).to.equal(200);
    return res.json();
  }

  /** Opens the form's login link and clicks Allow; answers the text of the page it ends on. */
  async function loginInBrowser(oauthUrl: string): Promise<string> {
    const page = await (await browser()).newPage();
    try {
      await page.goto(oauthUrl);
      expect(await page.title()).to.equal("Sign in to Fake Vendor");
      await Promise.all([page.waitForNavigation(), page.click("#allow")]);
      return await page.innerText("h1");
    } finally {
      await page.close();
    }
  }

  async function formAndExecute(name: string, state: string) {
    const form = await hubPost(`/actions/${name}/form`, { type: "query", data: { state_json: state } });
    expect(form.fields[0].label).to.equal("Logged in as ana@example.com");
    const exec = await hubPost(`/actions/${name}/execute`, { type: "query", data: { state_json: state },
      form_params: { note: "n" }, attachment: { mimetype: "text/csv", extension: "csv", data: "x,y\n1,2\n" } });
    expect(exec.looker).to.include({ success: true, message: "Sent 8 bytes as ana@example.com." });
    return exec.looker;
  }

  it("v1: Looker's state_url receives the sealed tokens; the tab says it can be closed", async () => {
    vendor.accessTokenTtl = 3600;
    const form = await hubPost("/actions/oauth_v1/form", { type: "query",
      data: { state_url: looker.stateUrl("oauth_v1-ana"), state_redir_url: looker.stateRedirUrl("oauth_v1-x") } });
    expect(form.fields[0].type).to.equal("oauth_link");
    const heading = await loginInBrowser(form.fields[0].oauth_url);
    expect(heading).to.equal("You are logged in to Fake Vendor");
    const stored = looker.stored.get("oauth_v1-ana")!;
    expect(JSON.parse(stored).sealed).to.match(/^lis1\./);
    const exchange = vendor.tokenRequests[vendor.tokenRequests.length - 1].fields;
    expect(exchange.grant_type).to.equal("authorization_code");
    expect(exchange.code_verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    await formAndExecute("oauth_v1", stored);
  });

  it("v2: the sealed code reaches state_redir_url, Looker trades it at token_url; expired tokens refresh", async () => {
    vendor.accessTokenTtl = 30; // already inside the hub's refresh margin
    const form = await hubPost("/actions/oauth_test/form", { type: "query",
      data: { state_url: looker.stateUrl("oauth_test-unused"),
        state_redir_url: looker.stateRedirUrl("oauth_test-ben") } });
    const heading = await loginInBrowser(form.fields[0].oauth_url);
    expect(heading).to.equal("Looker saved your login");
    expect(looker.redirected.get("oauth_test-ben")).to.match(/^lis1\./);
    expect(looker.tokenAnswers.get("oauth_test-ben")!.status).to.equal(200);
    expect(looker.stored.has("oauth_test-unused")).to.equal(false);
    const stored = looker.stored.get("oauth_test-ben")!;
    expect(JSON.parse(stored).sealed).to.match(/^lis1\./);
    const grants = () => vendor.tokenRequests.map((r) => r.fields.grant_type);
    const before = grants().filter((g) => g === "refresh_token").length;
    const answer = await formAndExecute("oauth_test", stored);
    expect(grants().filter((g) => g === "refresh_token").length).to.be.greaterThan(before);
    expect(JSON.parse(answer.state.data).sealed).to.match(/^lis1\./);
  });
});
