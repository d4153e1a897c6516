// Airtable as the suite-wide tests run it (test/helpers/suite_settings.ts): a user logged in at the
// fake Airtable, whose table has the sample json_detail's columns (by label) as its fields.
import { BASE_ID, table } from "../../fakes/airtable_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["airtable"],
  vendorEnv: (url) => ({
    AIRTABLE_CLIENT_ID: "airtable-client-id", AIRTABLE_CLIENT_SECRET: "airtable-client-secret",
    AIRTABLE_API_URL: url, AIRTABLE_OAUTH_URL: `${url}/oauth2/v1`, AIRTABLE_RATE_LIMIT_WAIT_SECONDS: "0.01",
  }),
  async lookerShapes(shared) {
    const { airtable } = await shared.loginVendors();
    airtable.tables.get(BASE_ID)!.push(table("tblShapes00000001", "Shapes", ["Users ID", "Users Email",
      "Accounts ID", "Users Salesforce ID", "Users Phone", "Servers Instance", "Servers Droplet", "Orders Total"]));
    return {
      env: await shared.loginEnv(),
      deliveries: { airtable: { data: await shared.login("airtable", airtable), form: { base: BASE_ID, table: "Shapes" } } },
    };
  },
};
