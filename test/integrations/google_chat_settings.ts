// Google Chat as the suite-wide tests run it (test/helpers/suite_settings.ts): the card goes to the
// suite's shared HTTP receiver, typed as the space's webhook URL.
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["google_chat"],
  async lookerShapes(shared) {
    const receiver = await shared.receiver();
    return { deliveries: { google_chat: { data: {}, form: { url: receiver.url("/chat") } } } };
  },
};
