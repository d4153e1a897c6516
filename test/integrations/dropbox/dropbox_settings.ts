// Dropbox as the suite-wide tests run it (test/helpers/suite_settings.ts): a user logged in at the
// fake OAuth server; the fake overwrites files of the same name (every format is sent twice).
import { expect } from "chai";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["dropbox"],
  vendorEnv: (url) => ({
    DROPBOX_ACTION_APP_KEY: "dropbox-app-key", DROPBOX_ACTION_APP_SECRET: "dropbox-app-secret",
    DROPBOX_OAUTH_AUTHORIZE_URL: `${url}/oauth2/authorize`, DROPBOX_API_URL: url, DROPBOX_CONTENT_URL: url,
  }),
  async lookerShapes(shared) {
    const { dropbox } = await shared.loginVendors();
    dropbox.refuseConflicts = false;
    return {
      env: await shared.loginEnv(),
      deliveries: { dropbox: { data: await shared.login("dropbox"), form: { filename: "shapes", includeTimestamp: "no" } } },
      arrived: () => expect(dropbox.files.size, "files reached Dropbox").to.be.greaterThan(5),
    };
  },
};
