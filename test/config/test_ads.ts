// The ad audiences' settings (src/config/ads.ts): the public defaults, the API versions' shape,
// and Google Ads offered only with its developer token.
import { expect } from "chai";
import { adsSettings } from "../../src/config/ads";
import { ConfigError } from "../../src/config/values";

describe("ad audience settings", () => {
  it("defaults to the vendors' public hosts and the official hub's API versions", () => {
    const ads = adsSettings({});
    expect(ads.facebook).to.deep.equal({ client: undefined, graphUrl: "https://graph.facebook.com",
      oauthUrl: "https://www.facebook.com", apiVersion: "v24.0" });
    expect(ads.googleAds).to.include({ apiUrl: "https://googleads.googleapis.com", apiVersion: "v22",
      jobPollMs: 15_000, jobWaitMs: 1_800_000, client: undefined });
  });

  it("takes hosts and versions from the environment, refusing a version of the wrong shape", () => {
    const ads = adsSettings({ FACEBOOK_GRAPH_URL: "http://127.0.0.1:9/", FACEBOOK_GRAPH_API_VERSION: "v25.0",
      GOOGLE_ADS_API_URL: "http://127.0.0.1:8/", GOOGLE_ADS_API_VERSION: "v23" });
    expect(ads.facebook).to.include({ graphUrl: "http://127.0.0.1:9", apiVersion: "v25.0" });
    expect(ads.googleAds).to.include({ apiUrl: "http://127.0.0.1:8", apiVersion: "v23" });
    expect(() => adsSettings({ FACEBOOK_GRAPH_API_VERSION: "24" })).to.throw(ConfigError, /v24\.0/);
    expect(() => adsSettings({ GOOGLE_ADS_API_VERSION: "v22.1" })).to.throw(ConfigError, /v22/);
  });

  it("offers Google Ads only with a developer token; a client needs both halves", () => {
    const client = { GOOGLE_ADS_CLIENT_ID: "id", GOOGLE_ADS_CLIENT_SECRET: "secret" };
    expect(adsSettings(client).googleAds.client).to.equal(undefined);
    expect(adsSettings({ ...client, GOOGLE_ADS_DEVELOPER_TOKEN: "t" }).googleAds.client)
      .to.deep.equal({ clientId: "id", clientSecret: "secret" });
    expect(() => adsSettings({ FACEBOOK_CLIENT_ID: "x" })).to.throw(ConfigError, /FACEBOOK_CLIENT_SECRET/);
  });
});
