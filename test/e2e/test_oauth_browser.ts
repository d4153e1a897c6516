// The whole login in a real headless Chromium, for the real destinations: the form's link, the
// vendor's consent page, the click on Allow, the hub's redirect, and Looker receiving the state
// (v1, Dropbox: at state_url; v2, Google Drive: the sealed code at state_redir_url, then
// token_url). Then a form and an execute succeed with the stored state, and an expired access
// token is refreshed. Salesforce Campaigns (v1 at the typed domain) and Airtable (v1 with PKCE)
// log in the same way; their forms then list what the login may use and an execute delivers rows.
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
import { DropboxIntegration } from "../../src/integrations/dropbox/dropbox";
import { GoogleDriveIntegration } from "../../src/integrations/google_drive/google_drive";
import { FakeDropbox } from "../fakes/dropbox_api";
import { FakeGoogle } from "../fakes/google_api";
import { FAST_HTTP_ENV } from "../helpers/http";
import { AirtableIntegration } from "../../src/integrations/airtable/airtable";
import { SalesforceCampaignsIntegration } from "../../src/integrations/salesforce/salesforce_campaigns";
import { BASE_ID, FakeAirtable } from "../fakes/airtable_api";
import { FakeSalesforce } from "../fakes/salesforce_api";

describe("login in a real browser (headless Chromium)", function() {
  this.timeout(60_000);
  let vendor: FakeOAuthServer;
  let google: FakeGoogle;
  let dropbox: FakeDropbox;
  let looker: FakeLooker;
  let salesforce: FakeSalesforce;
  let airtable: FakeAirtable;
  let server: http.Server;
  let base: string;

  before(async () => {
    vendor = await new FakeOAuthServer().start();
    google = await new FakeGoogle(vendor).start();
    dropbox = await new FakeDropbox(vendor).start();
    salesforce = await new FakeSalesforce().start();
    airtable = await new FakeAirtable().start();
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env = { ...FAST_HTTP_ENV, BASE_URL: base,
      GOOGLE_DRIVE_CLIENT_ID: vendor.clientId, GOOGLE_DRIVE_CLIENT_SECRET: vendor.clientSecret,
      GOOGLE_OAUTH_AUTHORIZE_URL: vendor.authorizeUrl, GOOGLE_OAUTH_TOKEN_URL: vendor.tokenUrl,
      GOOGLE_API_URL: google.url,
      DROPBOX_ACTION_APP_KEY: vendor.clientId, DROPBOX_ACTION_APP_SECRET: vendor.clientSecret,
      DROPBOX_OAUTH_AUTHORIZE_URL: vendor.authorizeUrl, DROPBOX_API_URL: dropbox.url,
      DROPBOX_CONTENT_URL: dropbox.url,
      SALESFORCE_CLIENT_ID: salesforce.clientId, SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
      AIRTABLE_CLIENT_ID: airtable.clientId, AIRTABLE_CLIENT_SECRET: airtable.clientSecret,
      AIRTABLE_API_URL: airtable.url, AIRTABLE_OAUTH_URL: airtable.oauthUrl };
    const config = testConfig(env);
    const httpClient = testHttpClient(env);
    const integrations: Integration[] = [
      new GoogleDriveIntegration(config.google, httpClient), new DropboxIntegration(config.dropbox, httpClient),
      new SalesforceCampaignsIntegration(httpClient, config.crm.salesforce, 5),
      new AirtableIntegration(httpClient, config.crm.airtable, 5),
    ];
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
    await google?.stop();
    await dropbox?.stop();
    await salesforce?.stop();
    await airtable?.stop();
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

  async function formAndExecute(name: string, state: string, formParams: Record<string, string>) {
    const form = await hubPost(`/actions/${name}/form`, { type: "query", data: { state_json: state } });
    expect(form.fields[0].type).to.equal("select");
    const exec = await hubPost(`/actions/${name}/execute`, { type: "query", data: { state_json: state },
      form_params: formParams, attachment: { mimetype: "text/csv", extension: "csv", data: "x,y\n1,2\n" } });
    expect(exec.looker.success, JSON.stringify(exec)).to.equal(true);
    expect(exec.looker.message).to.match(/^Wrote 8 bytes to /);
    return exec.looker;
  }

  it("v1 (Dropbox): Looker's state_url receives the sealed tokens; the tab says it can be closed", async () => {
    vendor.accessTokenTtl = 3600;
    const form = await hubPost("/actions/dropbox/form", { type: "query",
      data: { state_url: looker.stateUrl("dropbox-ana"), state_redir_url: looker.stateRedirUrl("dropbox-x") } });
    expect(form.fields[0].type).to.equal("oauth_link");
    const heading = await loginInBrowser(form.fields[0].oauth_url);
    expect(heading).to.equal("You are logged in to Dropbox");
    const stored = looker.stored.get("dropbox-ana")!;
    expect(JSON.parse(stored).sealed).to.match(/^lis1\./);
    expect(looker.redirected.size).to.equal(0);
    const exchange = vendor.tokenRequests[vendor.tokenRequests.length - 1].fields;
    expect(exchange).to.include({ grant_type: "authorization_code",
      redirect_uri: `${base}/actions/dropbox/oauth_redirect` });
    await formAndExecute("dropbox", stored, { directory: "__root", filename: "e2e", includeTimestamp: "no" });
    expect(dropbox.files.get("/e2e.csv")!.bytes!.toString()).to.equal("x,y\n1,2\n");
  });

  it("v2 (Google Drive): the sealed code reaches state_redir_url, Looker trades it at token_url; " +
     "an expired token is refreshed", async () => {
    vendor.accessTokenTtl = 30; // already inside the hub's refresh margin
    const form = await hubPost("/actions/google_drive/form", { type: "query", data: {
      state_url: looker.stateUrl("google_drive-unused"), state_redir_url: looker.stateRedirUrl("google_drive-ben") } });
    expect(form.fields[0].type).to.equal("oauth_link_google");
    const heading = await loginInBrowser(form.fields[0].oauth_url);
    expect(heading).to.equal("Looker saved your login");
    expect(looker.redirected.get("google_drive-ben")).to.match(/^lis1\./);
    expect(looker.tokenAnswers.get("google_drive-ben")!.status).to.equal(200);
    expect(looker.stored.has("google_drive-unused")).to.equal(false);
    const stored = looker.stored.get("google_drive-ben")!;
    expect(JSON.parse(stored).sealed).to.match(/^lis1\./);
    const grants = () => vendor.tokenRequests.map((r) => r.fields.grant_type);
    const before = grants().filter((g) => g === "refresh_token").length;
    const answer = await formAndExecute("google_drive", stored, { filename: "e2e.csv" });
    expect(grants().filter((g) => g === "refresh_token").length).to.be.greaterThan(before);
    expect(JSON.parse(answer.state.data).sealed).to.match(/^lis1\./);
    const file = [...google.files.values()].pop()!;
    expect(file).to.include({ name: "e2e.csv", size: 8 });
  });

  /** A json_detail push of two rows, as Looker sends it. */
  function rows(fields: Record<string, unknown>, data: Array<Record<string, unknown>>) {
    return { mimetype: "application/json", extension: "json", data: JSON.stringify({ fields, data }) };
  }

  it("v1 at a typed domain (Salesforce Campaigns): login, campaigns in the form, members added", async () => {
    const domain = salesforce.domain;
    const form = await hubPost("/actions/salesforce_campaigns/form", { type: "query",
      data: { salesforce_domain: domain, state_url: looker.stateUrl("salesforce_campaigns-ana") } });
    expect(form.fields[0].type).to.equal("oauth_link");
    expect(await loginInBrowser(form.fields[0].oauth_url)).to.equal("You are logged in to Salesforce");
    const stored = looker.stored.get("salesforce_campaigns-ana")!;
    const data = { salesforce_domain: domain, state_json: stored };
    const append = await hubPost("/actions/salesforce_campaigns/form", { type: "query", data,
      form_params: { create_or_append: "append" } });
    expect(append.fields[1].options.map((o: any) => o.label)).to.include("Spring Launch");
    const exec = await hubPost("/actions/salesforce_campaigns/execute", { type: "query", data,
      form_params: { create_or_append: "append", campaign_name: "701000000000002AAA" },
      attachment: rows({ dimensions: [{ name: "c.id", tags: ["sfdc_contact_id"] }] },
        [{ "c.id": { value: "003000000000001AAA" } }, { "c.id": { value: "003000000000002AAA" } }]) });
    expect(exec.looker).to.include({ success: true,
      message: "Added 2 campaign members to the Salesforce campaign \"Spring Launch\"." });
  });

  it("v1 with PKCE (Airtable): login, bases in the form, records created", async () => {
    const form = await hubPost("/actions/airtable/form", { type: "query",
      data: { state_url: looker.stateUrl("airtable-ana") } });
    expect(await loginInBrowser(form.fields[0].oauth_url)).to.equal("You are logged in to Airtable");
    expect(airtable.tokenRequests.pop()!.fields.code_verifier).to.be.a("string");
    const data = { state_json: looker.stored.get("airtable-ana")! };
    const listed = await hubPost("/actions/airtable/form", { type: "query", data });
    expect(listed.fields[0].options.map((o: any) => o.label)).to.deep.equal(["Marketing", "Sales"]);
    const exec = await hubPost("/actions/airtable/execute", { type: "query", data,
      form_params: { base: BASE_ID, table: "Contacts" },
      attachment: rows({ dimensions: [{ name: "p.email", label: "Email" }] },
        [{ "p.email": { value: "ana@example.com" } }, { "p.email": { value: "ben@example.com" } }]) });
    expect(exec.looker).to.include({ success: true, message: "Created 2 records in the Airtable table \"Contacts\"." });
  });
});
