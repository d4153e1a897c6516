// Marketo as the suite-wide tests run it (test/helpers/suite_settings.ts): the admin's instance URL is
// the fake's.
import { FakeMarketo, MARKETO_CLIENT } from "../../fakes/marketo_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["marketo"],
  rowTags: { email: ["marketo:email"] },
  async lookerShapes() {
    const marketo = await new FakeMarketo().start();
    return {
      deliveries: { marketo: {
        data: { url: marketo.url, clientID: MARKETO_CLIENT.id, clientSecret: MARKETO_CLIENT.secret },
        form: { lookupField: "email", subaction: "none" } } },
      stop: () => marketo.stop(),
    };
  },
};
