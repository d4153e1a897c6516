// Settings of the CRM integrations with a per-user login (Salesforce Campaigns, Airtable): their
// OAuth clients, Airtable's endpoints and Salesforce's chunking. Functions of the Env object that
// src/config/index.ts hands over (through config_crm.ts); never of the process environment.
import { endpointSetting, OAuthClientSetting, oauthClientSetting } from "./oauth";
import { ConfigError, Env, first, intSetting, secondsSetting } from "./values";

export interface SalesforceSettings {
  client?: OAuthClientSetting;
  /** Campaign members per Composite API request, at most Salesforce's 200 (SALESFORCE_CHUNK_SIZE). */
  chunkSize: number;
  /** Campaigns offered in the form at most (SALESFORCE_MAX_RESULTS). */
  maxResults: number;
  /** The REST API version, e.g. v60.0 (SALESFORCE_API_VERSION). */
  apiVersion: string;
}

export interface AirtableSettings {
  client?: OAuthClientSetting;
  /** The Web API, without a trailing slash (AIRTABLE_API_URL). */
  apiUrl: string;
  /** The OAuth endpoints' base: /authorize and /token under it (AIRTABLE_OAUTH_URL). */
  oauthUrl: string;
  /** How long a base is left alone after a 429 without Retry-After (AIRTABLE_RATE_LIMIT_WAIT_SECONDS, 30). */
  rateLimitWaitMs: number;
}

export function salesforceSettings(env: Env): SalesforceSettings {
  const chunkSize = intSetting(env, "SALESFORCE_CHUNK_SIZE", 200, 1);
  if (chunkSize > 200) {
    throw new ConfigError("SALESFORCE_CHUNK_SIZE must be at most 200 (Salesforce's Composite API limit); " +
      `it is ${chunkSize}.`);
  }
  const apiVersion = first(env, "SALESFORCE_API_VERSION") ?? "v60.0";
  if (!/^v\d+\.\d$/.test(apiVersion)) {
    throw new ConfigError(`SALESFORCE_API_VERSION must look like v60.0; it is "${apiVersion}".`);
  }
  return {
    client: oauthClientSetting(env, "SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET"),
    chunkSize, maxResults: intSetting(env, "SALESFORCE_MAX_RESULTS", 10_000, 1), apiVersion,
  };
}

export function airtableSettings(env: Env): AirtableSettings {
  return {
    client: oauthClientSetting(env, "AIRTABLE_CLIENT_ID", "AIRTABLE_CLIENT_SECRET"),
    apiUrl: endpointSetting(env, "AIRTABLE_API_URL", "https://api.airtable.com"),
    oauthUrl: endpointSetting(env, "AIRTABLE_OAUTH_URL", "https://airtable.com/oauth2/v1"),
    rateLimitWaitMs: secondsSetting(env, "AIRTABLE_RATE_LIMIT_WAIT_SECONDS", 30) * 1000,
  };
}
