// The email integration as the suite-wide tests run it (test/helpers/suite_settings.ts): the suite's
// SMTP server over STARTTLS, its certificate trusted. It speaks SMTP, never an HTTP vendor.
import { expect } from "chai";
import { testCertificate } from "../../fakes/smtp_server";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["email"],
  // A sender, so that a delivery gets as far as the relay (the hub has no EMAIL_FROM in those suites).
  shapedParams: () => ({ email: { from: "reports@example.com" } }),
  async lookerShapes(shared) {
    const smtp = await shared.smtp();
    return {
      deliveries: { email: {
        data: { smtp_url: smtp.url(), from: "reports@example.com", smtp_ca_certificate: testCertificate().cert },
        form: { to: "ada@example.com" },
      } },
      arrived: () => expect(smtp.received.length, "emails reached the SMTP server").to.be.greaterThan(0),
    };
  },
};
