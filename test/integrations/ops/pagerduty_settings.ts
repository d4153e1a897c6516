// PagerDuty as the suite-wide tests run it (test/helpers/suite_settings.ts), against its fake Events API.
import { PagerDutyFake, ROUTING_KEY } from "../../fakes/pagerduty_events";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["pagerduty"],
  vendorEnv: (url) => ({ PAGERDUTY_EVENTS_URL: url }),
  async lookerShapes() {
    const pagerduty = await new PagerDutyFake().start();
    return {
      env: { PAGERDUTY_EVENTS_URL: pagerduty.url("/") },
      deliveries: { pagerduty: { data: { routing_key: ROUTING_KEY }, form: { severity: "error" } } },
      stop: () => pagerduty.stop(),
    };
  },
};
