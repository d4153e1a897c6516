// The fake vendors of every per-user login (OAuth) integration, started together, and the hub's
// settings pointing at them: for suites that run every OAuth integration through one app.
import { FakeAirtable } from "../fakes/airtable_api";
import { FakeDropbox } from "../fakes/dropbox_api";
import { FakeGoogle } from "../fakes/google_api";
import { DEVELOPER_TOKEN, FakeGoogleAds } from "../fakes/google_ads_api";
import { FakeGraph } from "../fakes/graph_api";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { FakeSalesforce } from "../fakes/salesforce_api";

export interface LoginVendors {
  /** Google's and Dropbox's token endpoint (the clients of Drive, Sheets, Dropbox and Google Ads). */
  oauth: FakeOAuthServer;
  google: FakeGoogle;
  dropbox: FakeDropbox;
  salesforce: FakeSalesforce;
  airtable: FakeAirtable;
  graph: FakeGraph;
  googleAds: FakeGoogleAds;
}

export async function startLoginVendors(): Promise<LoginVendors> {
  const oauth = await new FakeOAuthServer().start();
  return {
    oauth,
    google: await new FakeGoogle(oauth).start(),
    dropbox: await new FakeDropbox(oauth).start(),
    salesforce: await new FakeSalesforce().start(),
    airtable: await new FakeAirtable().start(),
    graph: await new FakeGraph().start(),
    googleAds: await new FakeGoogleAds(oauth).start(),
  };
}

export async function stopLoginVendors(v: LoginVendors): Promise<void> {
  await Promise.all([v.google.stop(), v.dropbox.stop(), v.oauth.stop(), v.salesforce.stop(), v.airtable.stop(),
    v.graph.stop(), v.googleAds.stop()]);
}

/** Every login integration's client and API URLs at the fakes; the Google token URL is left to the suite. */
export function loginVendorsEnv(v: LoginVendors): Record<string, string> {
  return {
    GOOGLE_DRIVE_CLIENT_ID: v.oauth.clientId, GOOGLE_DRIVE_CLIENT_SECRET: v.oauth.clientSecret,
    GOOGLE_API_URL: v.google.url, GOOGLE_SHEETS_API_URL: v.google.url,
    DROPBOX_ACTION_APP_KEY: v.oauth.clientId, DROPBOX_ACTION_APP_SECRET: v.oauth.clientSecret,
    DROPBOX_API_URL: v.dropbox.url, DROPBOX_CONTENT_URL: v.dropbox.url,
    SALESFORCE_CLIENT_ID: v.salesforce.clientId, SALESFORCE_CLIENT_SECRET: v.salesforce.clientSecret,
    AIRTABLE_CLIENT_ID: v.airtable.clientId, AIRTABLE_CLIENT_SECRET: v.airtable.clientSecret,
    AIRTABLE_API_URL: v.airtable.url, AIRTABLE_OAUTH_URL: v.airtable.oauthUrl,
    FACEBOOK_CLIENT_ID: v.graph.appId, FACEBOOK_CLIENT_SECRET: v.graph.appSecret,
    FACEBOOK_GRAPH_URL: v.graph.url, FACEBOOK_OAUTH_URL: v.graph.url,
    GOOGLE_ADS_CLIENT_ID: v.oauth.clientId, GOOGLE_ADS_CLIENT_SECRET: v.oauth.clientSecret,
    GOOGLE_ADS_DEVELOPER_TOKEN: DEVELOPER_TOKEN, GOOGLE_ADS_API_URL: v.googleAds.url,
  };
}
