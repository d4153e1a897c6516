// Mattermost as the suite-wide tests run it (test/helpers/suite_settings.ts): the incoming webhook
// URL a user types points at the fake Mattermost server.
import { expect } from "chai";
import { MattermostFake } from "../fakes/mattermost_api";
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["mattermost"],
  async lookerShapes() {
    const mattermost = await new MattermostFake().start();
    return {
      deliveries: { mattermost: { data: {}, form: { url: mattermost.hookUrl() } } },
      arrived: () => expect(mattermost.posts.length, "posts reached Mattermost").to.be.greaterThan(0),
      stop: () => mattermost.stop(),
    };
  },
};
