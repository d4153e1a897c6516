// DataRobot as the suite-wide tests run it (test/helpers/suite_settings.ts), against its fake API.
import { expect } from "chai";
import { DATAROBOT_TOKEN, FakeDataRobot } from "../../fakes/datarobot_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["datarobot"],
  vendorEnv: (url) => ({ DATAROBOT_URL: url }),
  async lookerShapes() {
    const datarobot = await new FakeDataRobot().start();
    return {
      env: { DATAROBOT_URL: datarobot.url, DATAROBOT_POLL_SECONDS: "0.01" },
      deliveries: { datarobot: { data: { datarobot_api_token: DATAROBOT_TOKEN }, form: { projectName: "Shapes" } } },
      arrived: () => expect([...datarobot.projects.values()].filter((p) => p.data?.length).length,
        "DataRobot read the data").to.be.greaterThan(0),
      stop: () => datarobot.stop(),
    };
  },
};
