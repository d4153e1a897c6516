// The console playing Looker in a per-user login, in headless Chromium: the form's login link
// opens the fake vendor's consent page, Allow sends the browser through the hub back to the
// console's own state_url (v1) or state_redir_url (v2, then the tab trades the sealed code at
// token_url), the tab keeps the user state, the form says who is logged in, and a delivery
// with that state succeeds. Screenshots: test-artifacts/console/.
import { expect } from "chai";
import { Browser, Page } from "playwright-core";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { launchChromium, screenshot } from "../helpers/browser";
import { ConsoleHub, startConsoleHub } from "../helpers/console_hub";
import { testHttpClient } from "../helpers/http";
import { OAuthTestIntegration } from "../helpers/oauth_integration";

describe("console login (OAuth) in a browser", function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let hub: ConsoleHub;
  let vendor: FakeOAuthServer;

  before(async () => {
    vendor = await new FakeOAuthServer().start();
    const http = testHttpClient();
    hub = await startConsoleHub([
      new OAuthTestIntegration(vendor, http),
      new OAuthTestIntegration(vendor, http, { name: "oauth_v1", tokenUrlFlow: false, pkce: true }),
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${hub.url}/console`);
    await page.fill("#key", hub.key);
    await page.click("#connect");
    await page.waitForSelector("tr[data-integration=oauth_v1]");
  });

  after(async () => {
    await browser?.close();
    await hub?.close();
    await vendor?.stop();
  });

  /** Opens the integration, logs in through the vendor's consent page, and sends the users sample. */
  async function loginAndSend(name: string, flow: string): Promise<void> {
    await page.click(`tr[data-integration=${name}] button.open`);
    await page.waitForSelector("#form-login");
    expect(await page.textContent("#form-login")).to.equal("Log in to Fake Vendor");
    const [consent] = await Promise.all([page.context().waitForEvent("page"), page.click("#form-login")]);
    await consent.waitForLoadState();
    expect(await consent.title()).to.equal("Sign in to Fake Vendor");
    await Promise.all([consent.waitForNavigation(), consent.click("#allow")]);
    const landed = await consent.innerText("h1");
    expect(landed).to.equal(flow === "v2" ? "Login received" : "You are logged in to Fake Vendor");
    await screenshot(consent, "console", `10-oauth-${flow}-landed`);
    await consent.close();
    // The console tab picks the login up, keeps the state and asks the form again.
    await page.waitForSelector("label[for=form-note]:has-text('Logged in as ana@example.com')");
    const state = (await page.textContent("#state")) ?? "";
    expect(state).to.match(/^\{"sealed":"lis1\./);
    expect(await page.textContent("#login-status")).to.include("Logged in");
    await page.fill("#form-note", "from the console");
    await page.click("#send");
    await page.waitForSelector("#answer-box[data-done]");
    expect(await page.textContent("#answer-status")).to.equal("Success");
    expect(await page.textContent("#answer-message")).to.match(/^Sent \d+ bytes as ana@example\.com\.$/);
    await screenshot(page, "console", `11-oauth-${flow}-sent`);
  }

  it("logs in with the v2 flow: state_redir_url, then the sealed code traded at token_url", async () => {
    await loginAndSend("oauth_test", "v2");
    const exchange = vendor.tokenRequests.filter((r) => r.fields.grant_type === "authorization_code");
    expect(exchange).to.have.length(1);
    expect(exchange[0].fields.redirect_uri).to.equal(`${hub.url}/actions/oauth_test/oauth_redirect`);
  });

  it("logs in with the v1 flow: the hub POSTs the state to the console's state_url", async () => {
    await loginAndSend("oauth_v1", "v1");
    expect(vendor.tokenRequests.filter((r) => r.fields.grant_type === "authorization_code")).to.have.length(2);
  });

  it("forgets the login on request: the form asks to log in again", async () => {
    await page.click("#forget-state");
    await page.waitForSelector("#form-login");
    expect(await page.isHidden("#state-box")).to.equal(true);
  });
});
