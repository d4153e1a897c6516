// Google Sheets as the suite-wide tests run it (test/helpers/suite_settings.ts): a user logged in at
// the fake OAuth server, the sheet written through the fake Sheets API.
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["google_sheets"],
  vendorEnv: (url) => ({ GOOGLE_SHEETS_API_URL: url }),
  async lookerShapes(shared) {
    return {
      env: await shared.loginEnv(),
      deliveries: { google_sheets: { data: await shared.login("google_sheets"),
        form: { filename: "shapes", overwrite: "yes" } } },
    };
  },
};
