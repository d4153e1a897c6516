// Firebase as the suite-wide tests run it (test/helpers/suite_settings.ts): listed only when the
// FIREBASE_* service account is set, which the hardening suites do (Looker's payload shapes run
// without it: its own suite, test_firebase.ts, covers its payloads).
import { FCM_CLIENT_EMAIL, FCM_PRIVATE_KEY } from "../../fakes/fcm_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["firebase"],
  vendorEnv: (url) => ({ FCM_API_URL: url, FIREBASE_PROJECT_ID: "hardening", FIREBASE_CLIENT_EMAIL: FCM_CLIENT_EMAIL,
    FIREBASE_PRIVATE_KEY: FCM_PRIVATE_KEY }),
};
