// BigQuery as the suite-wide tests run it (test/helpers/suite_settings.ts): a service account
// the fake BigQuery knows; each delivery appended to one table (created by the first).
import { expect } from "chai";
import { FakeBigQuery } from "../../fakes/bigquery_api";
import { FCM_CLIENT_EMAIL, FCM_PRIVATE_KEY } from "../../fakes/fcm_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["bigquery"],
  vendorEnv: (url) => ({ BIGQUERY_API_URL: url }),
  // Any well-formed key and email: the hub reads them before it calls Google.
  shapedParams: () => ({ bigquery: { private_key: FCM_PRIVATE_KEY, client_email: FCM_CLIENT_EMAIL } }),
  shapedFields: { bigquery: { dataset: "analytics", table: "shapes", write: "create" } },
  async lookerShapes() {
    const bq = await new FakeBigQuery().start();
    bq.runningPolls = 0;
    return {
      env: { BIGQUERY_API_URL: bq.url, GOOGLE_OAUTH_TOKEN_URL: bq.tokenUrl, BIGQUERY_POLL_SECONDS: "0.05" },
      deliveries: { bigquery: { data: { client_email: bq.clientEmail, private_key: bq.privateKeyPem,
        project_id: bq.projectId }, form: { dataset: "analytics", table: "shapes", write: "create" } } },
      arrived: () => expect(bq.table("analytics", "shapes")?.count ?? 0, "rows reached BigQuery").to.be.greaterThan(5),
      stop: () => bq.stop(),
    };
  },
};
