// The action list as Lookers of five generations ask it: every name the official hub registers
// (always, or with its environment, as here), except debug, queue_action and the three retired
// ones, is listed to every Looker the official hub lists it to, with the official params: the same
// names and the same required, sensitive and user_attribute_name flags. Params this hub adds are
// named below, so a new one cannot slip in unnoticed. The official facts are a committed fixture
// (test/fixtures/official_definitions.json says where they come from).
import { expect } from "chai";
import request from "supertest";
import { allIntegrations } from "../../../src/integrations";
import { FCM_CLIENT_EMAIL, FCM_PRIVATE_KEY } from "../../fakes/fcm_api";
import { authHeader, buildTestApp, testConfig } from "../../helpers/app";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OFFICIAL = require("../../fixtures/official_definitions.json").integrations as Record<string, Official>;

interface OfficialParam { name: string; required: boolean; sensitive: boolean; user_attribute_name?: string; }
interface Official { label: string; minimumLookerVersion: string; params: OfficialParam[]; }

const LOOKERS = ["5.24.0", "6.2.0", "7.20.0", "22.0.0", "25.10.0"];

/** What registers the official integrations that need settings: their OAuth clients, Firebase's account. */
const REGISTERING_ENV: Record<string, string> = {
  GOOGLE_DRIVE_CLIENT_ID: "drive-id", GOOGLE_DRIVE_CLIENT_SECRET: "drive-secret",
  GOOGLE_SHEET_CLIENT_ID: "sheet-id", GOOGLE_SHEET_CLIENT_SECRET: "sheet-secret",
  DROPBOX_ACTION_APP_KEY: "dropbox-key", DROPBOX_ACTION_APP_SECRET: "dropbox-secret",
  AIRTABLE_CLIENT_ID: "airtable-id", AIRTABLE_CLIENT_SECRET: "airtable-secret",
  SALESFORCE_CLIENT_ID: "salesforce-id", SALESFORCE_CLIENT_SECRET: "salesforce-secret",
  FACEBOOK_CLIENT_ID: "facebook-id", FACEBOOK_CLIENT_SECRET: "facebook-secret",
  GOOGLE_ADS_CLIENT_ID: "ads-id", GOOGLE_ADS_CLIENT_SECRET: "ads-secret", GOOGLE_ADS_DEVELOPER_TOKEN: "ads-token",
  FIREBASE_PROJECT_ID: "looker-project", FIREBASE_CLIENT_EMAIL: FCM_CLIENT_EMAIL, FIREBASE_PRIVATE_KEY: FCM_PRIVATE_KEY,
};

/**
 * Params this hub adds to official integrations, each optional and documented in the integration's
 * README: the share of rows a row delivery may lose to the vendor's refusals before it fails.
 */
const KNOWN_ADDITIONS: Record<string, string[]> = {
  airtable: ["max_rejected_percent"], braze: ["max_rejected_percent"],
  facebook_custom_audiences: ["max_rejected_percent"], google_ads_customer_match: ["max_rejected_percent"],
  hubspot_companies: ["max_rejected_percent"], hubspot_contacts: ["max_rejected_percent"],
  marketo: ["max_rejected_percent"], mparticle: ["max_rejected_percent"],
  salesforce_campaigns: ["max_rejected_percent"],
};

/**
 * Official params missing here or flagged otherwise, by integration (`name: what differs`). Each
 * entry is a TODO for the integration's owner; none is known today.
 */
const EXPECTED_DIFFERENCES: Record<string, string[]> = {};

function atLeast(version: string, minimum: string): boolean {
  const a = version.split(".").map(Number);
  const b = minimum.split(".").map(Number);
  for (let i = 0; i < 3; i++) { if (a[i] !== b[i]) { return a[i] > b[i]; } }
  return true;
}

describe("the official hub's names and params, as Lookers 5.24 to 25.10 list them", () => {
  const env = REGISTERING_ENV;
  const { app } = buildTestApp(allIntegrations(testConfig(env)), env);
  const lists: Record<string, any[]> = {};

  before(async () => {
    for (const version of LOOKERS) {
      const res = await request(app).post("/").set("Authorization", authHeader())
        .set("User-Agent", `LookerOutgoingWebhook/${version}`).expect(200);
      lists[version] = res.body.integrations;
    }
  });

  it("the fixture holds the 34 official names", () => {
    expect(Object.keys(OFFICIAL)).to.have.length(34);
    for (const gone of ["kloudio", "auger", "google_analytics_data_import", "debug", "queue_action"]) {
      expect(OFFICIAL).not.to.have.property(gone);
    }
  });

  for (const version of LOOKERS) {
    it(`Looker ${version}: every official name it may see is listed, the retired ones are not`, () => {
      const names = lists[version].map((i) => i.name);
      const expected = Object.keys(OFFICIAL).filter((n) => atLeast(version, OFFICIAL[n].minimumLookerVersion));
      expect(expected.filter((n) => !names.includes(n)), "official names missing").to.deep.equal([]);
      // Nothing the official hub hides from this Looker is shown to it.
      const tooNew = Object.keys(OFFICIAL).filter((n) => !expected.includes(n) && names.includes(n));
      expect(tooNew, "listed to a Looker older than the official minimum").to.deep.equal([]);
      for (const gone of ["kloudio", "auger", "google_analytics_data_import", "queue_action"]) {
        expect(names).not.to.include(gone);
      }
    });
  }

  it("Looker 25.10 sees all 34", () => {
    expect(lists["25.10.0"].filter((i) => OFFICIAL[i.name]).length).to.equal(34);
  });

  it("every official integration has the official params: names, required, sensitive, user_attribute_name", () => {
    const differences: Record<string, string[]> = {};
    for (const definition of lists["25.10.0"].filter((i) => OFFICIAL[i.name])) {
      const official = OFFICIAL[definition.name];
      const ours = new Map<string, any>(definition.params.map((p: any) => [p.name, p]));
      const found: string[] = [];
      for (const p of official.params) {
        const mine = ours.get(p.name);
        if (!mine) { found.push(`${p.name}: missing`); continue; }
        for (const flag of ["required", "sensitive", "user_attribute_name"] as const) {
          if ((mine[flag] ?? null) !== (p[flag] ?? null)) {
            found.push(`${p.name}: ${flag} is ${mine[flag]}, officially ${p[flag]}`);
          }
        }
      }
      if (found.length) { differences[definition.name] = found; }
    }
    expect(differences).to.deep.equal(EXPECTED_DIFFERENCES);
  });

  it("params beyond the official ones are the known, optional additions", () => {
    const additions: Record<string, string[]> = {};
    for (const definition of lists["25.10.0"].filter((i) => OFFICIAL[i.name])) {
      const officialNames = new Set(OFFICIAL[definition.name].params.map((p) => p.name));
      const extra = definition.params.filter((p: any) => !officialNames.has(p.name));
      for (const p of extra) { expect(p.required, `${definition.name}.${p.name} must be optional`).to.equal(false); }
      if (extra.length) { additions[definition.name] = extra.map((p: any) => p.name); }
    }
    expect(additions).to.deep.equal(KNOWN_ADDITIONS);
  });

  it("each Looker gets the same params as the newest", () => {
    for (const version of LOOKERS) {
      for (const definition of lists[version]) {
        const newest = lists["25.10.0"].find((i) => i.name === definition.name);
        expect(definition.params, `${definition.name} at ${version}`).to.deep.equal(newest.params);
      }
    }
  });
});
