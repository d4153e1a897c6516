// Tray as the suite-wide tests run it (test/helpers/suite_settings.ts): the data goes to the
// suite's shared HTTP receiver (its host allowed through TRAY_WEBHOOK_DOMAINS) and must arrive unchanged.
import { passedThrough, SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["tray"],
  vendorEnv: () => ({ TRAY_WEBHOOK_DOMAINS: "127.0.0.1" }),
  async lookerShapes(shared) {
    const receiver = await shared.receiver();
    return {
      env: { TRAY_WEBHOOK_DOMAINS: "127.0.0.1" },
      deliveries: { tray: { data: {}, form: { url: receiver.url("/tray") }, check: passedThrough(receiver) } },
    };
  },
};
