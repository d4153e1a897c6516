// Zapier as the suite-wide tests run it (test/helpers/suite_settings.ts): the data goes to the
// suite's shared HTTP receiver (its host allowed through ZAPIER_WEBHOOK_DOMAINS) and must arrive unchanged.
import { passedThrough, SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["zapier"],
  vendorEnv: () => ({ ZAPIER_WEBHOOK_DOMAINS: "127.0.0.1" }),
  async lookerShapes(shared) {
    const receiver = await shared.receiver();
    return {
      env: { ZAPIER_WEBHOOK_DOMAINS: "127.0.0.1" },
      deliveries: { zapier: { data: {}, form: { url: receiver.url("/zapier") }, check: passedThrough(receiver) } },
    };
  },
};
