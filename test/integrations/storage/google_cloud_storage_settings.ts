// Google Cloud Storage as the suite-wide tests run it (test/helpers/suite_settings.ts): a service
// account the fake GCS knows. Its token URL serves only the service-account exchange: the Drive
// logins of the same suites hold tokens valid for an hour.
import { expect } from "chai";
import { FCM_CLIENT_EMAIL, FCM_PRIVATE_KEY } from "../../fakes/fcm_api";
import { FakeGcs } from "../../fakes/gcs_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["google_cloud_storage"],
  vendorEnv: (url) => ({ GCS_API_URL: url }),
  // Any well-formed key and email: the hub reads them before it calls Google.
  shapedParams: () => ({ google_cloud_storage: { private_key: FCM_PRIVATE_KEY, client_email: FCM_CLIENT_EMAIL } }),
  async lookerShapes() {
    const gcs = await new FakeGcs().start();
    return {
      env: { GCS_API_URL: gcs.url, GOOGLE_OAUTH_TOKEN_URL: gcs.tokenUrl },
      deliveries: { google_cloud_storage: { data: { client_email: gcs.clientEmail, private_key: gcs.privateKeyPem,
        project_id: gcs.projectId }, form: { bucket: "alpha", filename: "shapes", overwrite: "no" } } },
      arrived: () => expect(gcs.objects.size, "files reached Cloud Storage").to.be.greaterThan(5),
      stop: () => gcs.stop(),
    };
  },
};
