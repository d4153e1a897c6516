// HubSpot's two integrations as the suite-wide tests run them (test/helpers/suite_settings.ts).
import { FakeHubspot, HUBSPOT_TOKEN } from "../../fakes/hubspot_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["hubspot_contacts", "hubspot_companies"],
  vendorEnv: (url) => ({ HUBSPOT_API_URL: url }),
  rowTags: { id: ["hubspot_contact_id", "hubspot_company_id"] },
  async lookerShapes() {
    const hubspot = await new FakeHubspot().start();
    const data = { hubspot_access_token: HUBSPOT_TOKEN };
    return {
      env: { HUBSPOT_API_URL: hubspot.url },
      deliveries: { hubspot_contacts: { data, form: {} }, hubspot_companies: { data, form: {} } },
      stop: () => hubspot.stop(),
    };
  },
};
