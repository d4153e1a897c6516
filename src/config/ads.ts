// Settings of the ad audience family (Facebook Custom Audiences, Google Ads Customer Match): the
// OAuth clients, the vendors' hosts and API versions, and how long a Customer Match job is
// watched (Google's login endpoints are config.google's, src/config/oauth.ts). Functions of the
// Env object that src/config/index.ts hands over; never the process environment.
import { endpointSetting, OAuthClientSetting, oauthClientSetting } from "./oauth";
import { baseUrlSetting, ConfigError, Env, first, secondsSetting } from "./values";

export interface FacebookSettings {
  client?: OAuthClientSetting;
  /** The Graph API host, without a trailing slash (FACEBOOK_GRAPH_URL). */
  graphUrl: string;
  /** Where the login dialog lives, without a trailing slash (FACEBOOK_OAUTH_URL). */
  oauthUrl: string;
  /** "v24.0" (FACEBOOK_GRAPH_API_VERSION). */
  apiVersion: string;
}

export interface GoogleAdsSettings {
  client?: OAuthClientSetting;
  /** GOOGLE_ADS_DEVELOPER_TOKEN: sent as the developer-token header on every call. */
  developerToken?: string;
  /** The Google Ads API host, without a trailing slash (GOOGLE_ADS_API_URL). */
  apiUrl: string;
  /** "v22" (GOOGLE_ADS_API_VERSION). */
  apiVersion: string;
  /** Milliseconds between two looks at a running Customer Match job (GOOGLE_ADS_JOB_POLL_SECONDS). */
  jobPollMs: number;
  /** Longest wait for a job to finish before answering with its state (GOOGLE_ADS_JOB_WAIT_SECONDS). */
  jobWaitMs: number;
}

export interface AdsSettings {
  facebook: FacebookSettings;
  googleAds: GoogleAdsSettings;
}

function versionSetting(env: Env, name: string, fallback: string, shape: RegExp, example: string): string {
  const value = first(env, name) ?? fallback;
  if (!shape.test(value)) { throw new ConfigError(`${name} must look like ${example}; it is "${value}".`); }
  return value;
}

export function adsSettings(env: Env): AdsSettings {
  const googleClient = oauthClientSetting(env, "GOOGLE_ADS_CLIENT_ID", "GOOGLE_ADS_CLIENT_SECRET");
  const developerToken = first(env, "GOOGLE_ADS_DEVELOPER_TOKEN");
  return Object.freeze({
    facebook: Object.freeze({
      client: oauthClientSetting(env, "FACEBOOK_CLIENT_ID", "FACEBOOK_CLIENT_SECRET"),
      graphUrl: endpointSetting(env, "FACEBOOK_GRAPH_URL", "https://graph.facebook.com"),
      oauthUrl: endpointSetting(env, "FACEBOOK_OAUTH_URL", "https://www.facebook.com"),
      apiVersion: versionSetting(env, "FACEBOOK_GRAPH_API_VERSION", "v24.0", /^v\d+\.\d+$/, "v24.0"),
    }),
    googleAds: Object.freeze({
      // Without the developer token no call works: the integration stays "needs setup".
      client: developerToken ? googleClient : undefined,
      developerToken,
      apiUrl: baseUrlSetting(env, "GOOGLE_ADS_API_URL", "https://googleads.googleapis.com").replace(/\/+$/, ""),
      apiVersion: versionSetting(env, "GOOGLE_ADS_API_VERSION", "v22", /^v\d+$/, "v22"),
      jobPollMs: secondsSetting(env, "GOOGLE_ADS_JOB_POLL_SECONDS", 15) * 1000,
      jobWaitMs: secondsSetting(env, "GOOGLE_ADS_JOB_WAIT_SECONDS", 1800) * 1000,
    }),
  });
}
