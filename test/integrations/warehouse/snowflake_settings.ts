// Snowflake as the suite-wide tests run it (test/helpers/suite_settings.ts): the user's key pair
// the fake SQL API knows; each delivery appended to one table (created by the first).
import { expect } from "chai";
import { FakeSnowflake } from "../../fakes/snowflake_api";
import { FCM_PRIVATE_KEY } from "../../fakes/fcm_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["snowflake"],
  vendorEnv: (url) => ({ SNOWFLAKE_API_URL: `${url}/{account}` }),
  // Any well-formed key and account: the hub reads them before it calls Snowflake.
  shapedParams: () => ({ snowflake: { private_key: FCM_PRIVATE_KEY, account: "testorg-testaccount" } }),
  async lookerShapes() {
    const sf = await new FakeSnowflake().start();
    return {
      env: { SNOWFLAKE_API_URL: sf.apiUrlTemplate },
      deliveries: { snowflake: { data: { account: "testorg-testaccount", user: "looker_hub",
        private_key: sf.privateKeyPem, warehouse: "LOOKER_WH", database: "ANALYTICS", schema: "PUBLIC" },
      form: { table: "shapes", write: "create" } } },
      arrived: () => expect(sf.table("ANALYTICS.PUBLIC.SHAPES")?.rows.length ?? 0, "rows reached Snowflake")
        .to.be.greaterThan(5),
      stop: () => sf.stop(),
    };
  },
};
