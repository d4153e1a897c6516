// Braze as the suite-wide tests run it (test/helpers/suite_settings.ts): the admin's REST endpoint is
// the fake's, its host allowed through BRAZE_ENDPOINT_DOMAINS.
import { BRAZE_KEY, FakeBraze } from "../../fakes/braze_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["braze"],
  vendorEnv: () => ({ BRAZE_ENDPOINT_DOMAINS: "127.0.0.1" }),
  rowTags: { id: ["braze_id"] },
  async lookerShapes() {
    const braze = await new FakeBraze().start();
    return {
      env: { BRAZE_ENDPOINT_DOMAINS: "127.0.0.1" },
      deliveries: { braze: { data: { braze_api_key: BRAZE_KEY, braze_api_endpoint: braze.url },
        form: { braze_key: "external_id", braze_segment: "LOOKER_EXPORT" } } },
      stop: () => braze.stop(),
    };
  },
};
