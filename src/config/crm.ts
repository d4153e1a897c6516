// Settings of the CRM and marketing family (HubSpot, Marketo, Braze, mParticle): vendor base
// URLs and the share of rejected rows a delivery tolerates. Read from the Env object that
// src/config/index.ts hands over; never from the process environment.
import { AirtableSettings, airtableSettings, SalesforceSettings, salesforceSettings } from "./crm_logins";
import { baseUrlSetting, ConfigError, Env, first, listSetting } from "./values";

export interface CrmSettings {
  /** A row delivery with more rejected rows than this (percent) fails (MAX_REJECTED_ROWS_PERCENT). */
  maxRejectedPercent: number;
  /** HubSpot's API, without a trailing slash (HUBSPOT_API_URL). */
  hubspotApiUrl: string;
  /** mParticle's server-to-server API, without a trailing slash (MPARTICLE_API_URL). */
  mparticleApiUrl: string;
  /** Domains the admin-typed Braze REST endpoint may be under (BRAZE_ENDPOINT_DOMAINS). */
  brazeDomains: string[];
  /** Salesforce Campaigns and Airtable: per-user logins (src/config/crm_logins.ts). */
  salesforce: SalesforceSettings;
  airtable: AirtableSettings;
}

function percentSetting(env: Env, name: string, fallback: number): number {
  const raw = first(env, name);
  if (raw === undefined) { return fallback; }
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new ConfigError(`${name} must be a number from 0 to 100; it is "${raw}".`);
  }
  return value;
}

const withoutSlash = (url: string) => url.replace(/\/+$/, "");

export function crmSettings(env: Env): CrmSettings {
  return Object.freeze({
    maxRejectedPercent: percentSetting(env, "MAX_REJECTED_ROWS_PERCENT", 5),
    hubspotApiUrl: withoutSlash(baseUrlSetting(env, "HUBSPOT_API_URL", "https://api.hubapi.com")),
    mparticleApiUrl: withoutSlash(baseUrlSetting(env, "MPARTICLE_API_URL", "https://inbound.mparticle.com")),
    brazeDomains: listSetting(env, "BRAZE_ENDPOINT_DOMAINS", ["braze.com", "braze.eu"]),
    salesforce: salesforceSettings(env),
    airtable: airtableSettings(env),
  });
}
