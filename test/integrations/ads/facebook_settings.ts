// facebook_custom_audiences as the suite-wide tests run it (test/helpers/suite_settings.ts): a user
// logged in at the fake Graph API, creating an audience in an ad account it has.
import { expect } from "chai";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { TEST_SECRET } from "../../helpers/app";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["facebook_custom_audiences"],
  vendorEnv: (url) => ({ FACEBOOK_CLIENT_ID: "facebook-app-id", FACEBOOK_CLIENT_SECRET: "facebook-app-secret",
    FACEBOOK_GRAPH_URL: url, FACEBOOK_OAUTH_URL: url }),
  // The ad accounts a healthy vendor has none of: chosen here so the upload reaches the vendor.
  shapedFields: { facebook_custom_audiences: { choose_ad_account: "1001", create_audience_name: "Case" } },
  async lookerShapes(shared) {
    const { graph } = await shared.loginVendors();
    return {
      env: await shared.loginEnv(),
      deliveries: { facebook_custom_audiences: {
        data: { state_json: storedStateFor(new Sealer(TEST_SECRET), "facebook_custom_audiences",
          { accessToken: graph.issue() }) },
        form: { choose_ad_account: "1001", choose_create_update_replace: "create_audience", create_audience_name: "Shapes",
          create_audience_description: "Every payload", should_hash: "do_hashing" },
      } },
      arrived: () => expect(graph.uploads.length, "people reached Facebook").to.be.greaterThan(0),
    };
  },
};
