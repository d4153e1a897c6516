// SendGrid as the suite-wide tests run it (test/helpers/suite_settings.ts), against its fake Mail Send API.
import { expect } from "chai";
import { FakeSendgrid } from "../fakes/sendgrid_api";
import { SuiteSettings } from "../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["sendgrid"],
  vendorEnv: (url) => ({ SENDGRID_API_URL: url }),
  async lookerShapes() {
    const sendgrid = await new FakeSendgrid().start();
    return {
      env: { SENDGRID_API_URL: sendgrid.url },
      deliveries: { sendgrid: { data: { sendgrid_api_key: sendgrid.apiKey },
        form: { to: "ada@example.com", from: "reports@example.com" } } },
      arrived: () => expect(sendgrid.sent.length, "emails reached SendGrid").to.be.greaterThan(0),
      stop: () => sendgrid.stop(),
    };
  },
};
