// Google Drive as the suite-wide tests run it (test/helpers/suite_settings.ts): a user logged in at
// the fake OAuth server, files written to the fake Drive.
import { expect } from "chai";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["google_drive"],
  vendorEnv: (url) => ({
    GOOGLE_DRIVE_CLIENT_ID: "google-client-id", GOOGLE_DRIVE_CLIENT_SECRET: "google-client-secret",
    GOOGLE_OAUTH_AUTHORIZE_URL: `${url}/o/oauth2/v2/auth`, GOOGLE_OAUTH_TOKEN_URL: `${url}/token`, GOOGLE_API_URL: url,
  }),
  async lookerShapes(shared) {
    const { google } = await shared.loginVendors();
    return {
      env: await shared.loginEnv(),
      deliveries: { google_drive: { data: await shared.login("google_drive"), form: {} } },
      arrived: () => expect([...google.files.values()].filter((f) => f.name.startsWith("Weekly revenue.")).length,
        "files reached Drive").to.be.greaterThan(10),
    };
  },
};
