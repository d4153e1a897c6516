// google_ads_customer_match as the suite-wide tests run it (test/helpers/suite_settings.ts): a user
// logged in at the fake OAuth server, jobs polled at once.
import { expect } from "chai";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["google_ads_customer_match"],
  vendorEnv: (url) => ({ GOOGLE_ADS_CLIENT_ID: "ads-client-id", GOOGLE_ADS_CLIENT_SECRET: "ads-client-secret",
    GOOGLE_ADS_DEVELOPER_TOKEN: "ads-developer-token", GOOGLE_ADS_API_URL: url,
    GOOGLE_ADS_JOB_POLL_SECONDS: "0.01", GOOGLE_ADS_JOB_WAIT_SECONDS: "1" }),
  shapedFields: { google_ads_customer_match: { loginCid: "1234567890", createOrAppend: "create", mobileDevice: "no",
    newListName: "Case" } },
  async lookerShapes(shared) {
    const { googleAds } = await shared.loginVendors();
    return {
      env: { ...await shared.loginEnv(), GOOGLE_ADS_JOB_POLL_SECONDS: "0.001" },
      deliveries: { google_ads_customer_match: { data: await shared.login("google_ads_customer_match"),
        form: { loginCid: "3333333333", createOrAppend: "create", mobileDevice: "no", newListName: "Shapes" } } },
      arrived: () => expect([...googleAds.jobs.values()].filter((j) => j.status === "SUCCESS").length,
        "jobs ran at Google Ads").to.be.greaterThan(2),
    };
  },
};
