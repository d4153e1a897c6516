// "Create a new campaign / list / audience": the vendors take no idempotency key for a create, so the
// hub marks what it creates with the delivery ([Looker delivery <webhook id>] in its description)
// and, before creating, looks for an object of that name with that mark. The same delivery sent
// twice finds what the first send created and adds to it; another delivery creates its own
// (docs/exactly_once.md, "Created lists, audiences and campaigns"). Salesforce's campaign:
// test_salesforce_resend.ts.
import { expect } from "chai";
import { Sealer } from "../../src/hub/oauth/sealing";
import { storedStateFor } from "../../src/hub/oauth/stored_state";
import { FacebookCustomAudiencesIntegration } from "../../src/integrations/facebook/facebook_custom_audiences";
import { GoogleAdsCustomerMatchIntegration } from "../../src/integrations/google_ads/google_ads_customer_match";
import { DEVELOPER_TOKEN, FakeGoogleAds } from "../fakes/google_ads_api";
import { FakeGraph } from "../fakes/graph_api";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { buildTestApp, TEST_SECRET, TestApp, testConfig } from "../helpers/app";
import { FAST_HTTP_ENV, testHttpClient } from "../helpers/http";
import { cells, detail, executeBody } from "../integrations/crm/helpers";
import { executeAs } from "./resend";

const EMAILS = { dimensions: [{ name: "people.email", tags: ["email"] }] };
const emails = (n: number) => detail(EMAILS, cells(Array.from({ length: n }, (_, i) =>
  ({ "people.email": `p${i}@example.com` }))));

describe("created campaigns, lists and audiences: a re-sent delivery", function () {
  this.timeout(30_000);

  describe("google_ads_customer_match, Create a new list", () => {
    const NAME = "google_ads_customer_match";
    let oauth: FakeOAuthServer;
    let ads: FakeGoogleAds;
    let app: TestApp;
    beforeEach(async () => {
      oauth = await new FakeOAuthServer().start();
      ads = await new FakeGoogleAds(oauth).start();
      ads.pollsUntilDone = 1;
      const env = { ...FAST_HTTP_ENV, GOOGLE_ADS_CLIENT_ID: oauth.clientId,
        GOOGLE_ADS_CLIENT_SECRET: oauth.clientSecret, GOOGLE_ADS_DEVELOPER_TOKEN: DEVELOPER_TOKEN,
        GOOGLE_ADS_API_URL: ads.url, GOOGLE_OAUTH_TOKEN_URL: oauth.tokenUrl, GOOGLE_ADS_JOB_POLL_SECONDS: "0.001" };
      const config = testConfig(env);
      app = buildTestApp([new GoogleAdsCustomerMatchIntegration(config.ads.googleAds, config.google,
        testHttpClient(env), 5)], env);
    });
    afterEach(async () => { await ads.stop(); await oauth.stop(); });
    const send = (webhookId: string) => {
      const state = storedStateFor(new Sealer(TEST_SECRET), NAME,
        { ...oauth.issue(), expiresAt: Date.now() + 3_600_000 });
      return executeAs(app.app, NAME, { ...executeBody(emails(3), { params: {}, formParams: { loginCid: "111-111-1111",
        targetCid: "2222222222", createOrAppend: "create", mobileDevice: "no", newListName: "VIPs",
        newListDescription: "From Looker", doHashing: "yes", consentAdUserData: "GRANTED",
        consentAdPersonalization: "DENIED" } }), data: { state_json: state } }, webhookId);
    };
    const vips = () => [...ads.lists.values()].filter((l) => l.name.startsWith("VIPs (from Looker "));

    it("the same webhook id finds the list it created and adds to it: one list", async () => {
      const first = await send("wh-gads-r1");
      expect(first.looker.success, first.looker.message).to.equal(true);
      expect(vips()).to.have.length(1);
      expect(vips()[0].description).to.equal("From Looker\n[Looker delivery wh-gads-r1]");
      const again = await send("wh-gads-r1");
      expect(again.looker.success, again.looker.message).to.equal(true);
      expect(vips()).to.have.length(1);
      const jobs = [...ads.jobs.values()];
      expect(jobs.map((j) => j.userList)).to.deep.equal([vips()[0].resourceName, vips()[0].resourceName]);
    });

    it("another delivery creates a list of its own", async () => {
      await send("wh-gads-r1");
      await send("wh-gads-r2");
      expect(vips()).to.have.length(2);
    });
  });

  describe("facebook_custom_audiences, Create a new audience", () => {
    const NAME = "facebook_custom_audiences";
    let graph: FakeGraph;
    let app: TestApp;
    beforeEach(async () => {
      graph = await new FakeGraph().start();
      const env = { ...FAST_HTTP_ENV, FACEBOOK_CLIENT_ID: graph.appId, FACEBOOK_CLIENT_SECRET: graph.appSecret,
        FACEBOOK_GRAPH_URL: graph.url, FACEBOOK_OAUTH_URL: graph.url };
      app = buildTestApp([new FacebookCustomAudiencesIntegration(testConfig(env).ads.facebook, testHttpClient(env), 5)],
        env);
    });
    afterEach(async () => { await graph.stop(); });
    const send = (webhookId: string) => {
      const state = storedStateFor(new Sealer(TEST_SECRET), NAME,
        { accessToken: graph.issue(), expiresAt: Date.now() + 50 * 86_400_000 });
      return executeAs(app.app, NAME, { ...executeBody(emails(3), { params: {}, formParams: { choose_ad_account: "1001",
        choose_create_update_replace: "create_audience", create_audience_name: "VIPs",
        create_audience_description: "From Looker", should_hash: "do_hashing" } }), data: { state_json: state } },
      webhookId);
    };
    const vips = () => [...graph.audiences.values()].filter((a) => a.name === "VIPs");

    it("the same webhook id finds the audience it created and uploads to it: one audience", async () => {
      expect((await send("wh-fb-r1")).looker.success).to.equal(true);
      expect(vips()).to.have.length(1);
      expect(vips()[0].description).to.equal("From Looker\n[Looker delivery wh-fb-r1]");
      expect((await send("wh-fb-r1")).looker.success).to.equal(true);
      expect(vips()).to.have.length(1);
      expect(graph.uploads.map((u) => u.audience)).to.deep.equal([vips()[0].id, vips()[0].id]);
    });

    it("another delivery creates an audience of its own", async () => {
      await send("wh-fb-r1");
      await send("wh-fb-r2");
      expect(vips()).to.have.length(2);
    });
  });
});
