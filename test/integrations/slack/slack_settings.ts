// Slack's two integrations as the suite-wide tests run them (test/helpers/suite_settings.ts).
import { expect } from "chai";
import { FakeSlack } from "../../fakes/slack_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["slack", "slack_app"],
  vendorEnv: (url) => ({ SLACK_API_URL: `${url}/api/` }),
  async lookerShapes() {
    const slack = await new FakeSlack().start();
    const channel = { channelType: "manual", channel: "C0123ABCD" };
    return {
      env: { SLACK_API_URL: slack.apiUrl },
      deliveries: {
        slack: { data: { slack_api_token: slack.token }, form: channel },
        slack_app: { data: { state_json: JSON.stringify([{ install_id: "T1", token: slack.token }]) },
          form: { workspace: "T1", ...channel } },
      },
      arrived: () => expect(slack.uploads.length, "files reached Slack").to.be.greaterThan(0),
      stop: () => slack.stop(),
    };
  },
};
