// The webhook integration as the suite-wide tests run it (test/helpers/suite_settings.ts): the data
// goes to the suite's shared HTTP receiver and must arrive unchanged.
import { passedThrough, SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["webhook"],
  async lookerShapes(shared) {
    const receiver = await shared.receiver();
    return { deliveries: { webhook: { data: {}, form: { url: receiver.url("/webhook") }, check: passedThrough(receiver) } } };
  },
};
