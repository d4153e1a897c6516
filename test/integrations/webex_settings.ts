// Webex as the suite-wide tests run it (test/helpers/suite_settings.ts), against its fake REST API.
import { expect } from "chai";
import { BOT_TOKEN, ROOMS, WebexFake } from "../fakes/webex_api";
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["webex"],
  vendorEnv: (url) => ({ WEBEX_API_URL: url }),
  async lookerShapes() {
    const webex = await new WebexFake().start();
    return {
      env: { WEBEX_API_URL: webex.url("/") },
      deliveries: { webex: { data: { bot_token: BOT_TOKEN }, form: { room_id: ROOMS[0].id },
        check: (sent) => webex.messages.at(-1)?.file?.data.equals(sent) ? undefined : "other bytes arrived" } },
      arrived: () => expect(webex.messages.length, "messages reached Webex").to.be.greaterThan(0),
      stop: () => webex.stop(),
    };
  },
};
