// The Firebase tests' hub: the real app with the firebase integration pointed at the local
// token endpoint and FCM (test/fakes/fcm_api.ts).
import { FirebaseIntegration } from "../../../src/integrations/firebase/firebase";
import { FCM_CLIENT_EMAIL, FCM_PRIVATE_KEY, FCM_PROJECT, FcmFake } from "../../fakes/fcm_api";
import { buildTestApp } from "../../helpers/app";
import { testHttpClient } from "../../helpers/http";

export const FIREBASE_SETTINGS = { projectId: FCM_PROJECT, clientEmail: FCM_CLIENT_EMAIL, privateKey: FCM_PRIVATE_KEY };

export function firebaseHub(fake: FcmFake, settings = FIREBASE_SETTINGS): ReturnType<typeof buildTestApp> {
  return buildTestApp([new FirebaseIntegration({ http: testHttpClient(), settings, fcmApiUrl: fake.url("/"),
    tokenUrl: fake.tokenUrl })]);
}
