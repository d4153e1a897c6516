// Teams as the suite-wide tests run it (test/helpers/suite_settings.ts): the card goes to the
// suite's shared HTTP receiver, which answers as a Workflows webhook does (202-like, no body).
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["teams_incomingwebhook"],
  async lookerShapes(shared) {
    const receiver = await shared.receiver();
    return { deliveries: {
      teams_incomingwebhook: { data: {}, form: { webhookUrl: receiver.url("/teams"), title: "Revenue" } },
    } };
  },
};
