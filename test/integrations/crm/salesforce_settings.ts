// salesforce_campaigns as the suite-wide tests run it (test/helpers/suite_settings.ts): a user logged
// in at the fake Salesforce, appending to a campaign it has.
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["salesforce_campaigns"],
  vendorEnv: () => ({ SALESFORCE_CLIENT_ID: "salesforce-client-id", SALESFORCE_CLIENT_SECRET: "salesforce-client-secret" }),
  tagValues: { sfdc_contact_id: "003000000000001AAA" },
  async lookerShapes(shared) {
    const { salesforce } = await shared.loginVendors();
    return {
      env: await shared.loginEnv(),
      deliveries: { salesforce_campaigns: {
        data: { ...await shared.login("salesforce_campaigns", salesforce), salesforce_domain: salesforce.domain },
        form: { create_or_append: "append", campaign_name: "701000000000001AAA" },
      } },
    };
  },
};
