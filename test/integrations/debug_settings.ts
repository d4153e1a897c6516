// The debug integration as the suite-wide tests run it (test/helpers/suite_settings.ts): listed with
// DEBUG_INTEGRATION=true, which those suites set; it calls no vendor.
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["debug"],
  async lookerShapes() {
    return { deliveries: { debug: { data: {}, form: {} } } };
  },
};
