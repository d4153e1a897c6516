// Telegram as the suite-wide tests run it (test/helpers/suite_settings.ts), against its fake Bot API.
import { expect } from "chai";
import { BOT_TOKEN, CHAT, TelegramFake } from "../fakes/telegram_api";
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["telegram"],
  vendorEnv: (url) => ({ TELEGRAM_API_URL: url }),
  shapedFields: { telegram: { chat_id: CHAT } },
  async lookerShapes() {
    const telegram = await new TelegramFake().start();
    return {
      env: { TELEGRAM_API_URL: telegram.url("/") },
      deliveries: { telegram: { data: { bot_token: BOT_TOKEN }, form: { chat_id: CHAT },
        check: (sent) => telegram.calls.at(-1)?.document?.data.equals(sent) ? undefined : "other bytes arrived" } },
      arrived: () => expect(telegram.calls.length, "documents reached Telegram").to.be.greaterThan(0),
      stop: () => telegram.stop(),
    };
  },
};
