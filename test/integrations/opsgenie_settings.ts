// Opsgenie as the suite-wide tests run it (test/helpers/suite_settings.ts), against its fake Alert API.
import { expect } from "chai";
import { API_KEY, OpsgenieFake } from "../fakes/opsgenie_api";
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["opsgenie"],
  vendorEnv: (url) => ({ OPSGENIE_API_URL: url }),
  async lookerShapes() {
    const opsgenie = await new OpsgenieFake().start();
    return {
      env: { OPSGENIE_API_URL: opsgenie.url("/") },
      deliveries: { opsgenie: { data: { api_key: API_KEY, region: "US" }, form: { message: "Looker shapes", priority: "P3" } } },
      arrived: () => expect(opsgenie.alerts.length, "alerts reached Opsgenie").to.be.greaterThan(0),
      stop: () => opsgenie.stop(),
    };
  },
};
