// firebase through the real app against local fakes of Google's token endpoint and FCM HTTP v1.
import { expect } from "chai";
import { allIntegrations } from "../../../src/integrations";
import { collapseId } from "../../../src/integrations/firebase/fcm_messages";
import { FCM_PROJECT, FcmFake, fcmError } from "../../fakes/fcm_api";
import request from "supertest";
import { authHeader, buildTestApp, testConfig } from "../../helpers/app";
import { execute, PLAN } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";
import { FIREBASE_SETTINGS, firebaseHub } from "./firebase_setup";

const SETTINGS = FIREBASE_SETTINGS;
const DEVICES = [
  [{ device_id: "dev-token-aaaaaa111111", user_id: 7 }, { device_id: "dev-token-bbbbbb222222", user_id: 7 }],
  [{ device_id: "dev-token-cccccc333333", user_id: 9 }, { device_id: "dev-token-aaaaaa111111", user_id: 7 }]];

describe("firebase integration", () => {
  let fake: FcmFake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new FcmFake().start();
    hub = firebaseHub(fake);
  });
  afterEach(() => fake.stop());
  const alert = (formParams: Record<string, string> = {}) => execute(hub.app, "firebase", {
    type: "query", scheduled_plan: PLAN, data: {},
    attachment: { mimetype: "application/json", extension: "json", data: { fields: {}, data: [] } },
    form_params: { title: "Revenue dropped", data: JSON.stringify({ alert_id: 42, dashboard_name: "Sales" }),
      deviceIds: JSON.stringify(DEVICES), ...formParams },
  });

  it("a dry run signs the service account in (a token minted) and sends no notification", async () => {
    const res = await request(hub.app).post("/actions/firebase/execute").set("Authorization", authHeader())
      .set("X-Hub-Dry-Run", "true").send({ type: "query", scheduled_plan: PLAN, data: {},
        attachment: { mimetype: "application/json", extension: "json", data: { fields: {}, data: [] } },
        form_params: { title: "Revenue dropped", deviceIds: JSON.stringify(DEVICES) } });
    expect(res.body.looker.success, res.body.looker.message).to.equal(true);
    expect(res.body.looker.message).to.match(/^Dry run, nothing was sent to .*: Firebase's service account signs in; /);
    expect(fake.messages).to.have.length(0);
  });

  it("is listed only when FIREBASE_PROJECT_ID, FIREBASE_CLIENT_EMAIL and FIREBASE_PRIVATE_KEY are set", () => {
    const names = (env: Record<string, string>) =>
      allIntegrations(testConfig(env), testHttpClient()).map((i) => i.name);
    expect(names({})).to.not.include("firebase");
    expect(names({ FIREBASE_PROJECT_ID: "p", FIREBASE_CLIENT_EMAIL: "a@p", FIREBASE_PRIVATE_KEY: "k" }))
      .to.include("firebase");
    const def = hub.registry.definition(hub.registry.get("firebase", null), null) as any;
    expect(def).to.deep.include({ form_url: null, supported_action_types: ["query"], supported_formats: ["json_detail"],
      supported_formattings: ["unformatted"], supported_visualization_formattings: ["noapply"], params: [] });
    expect(hub.registry.listJson([22, 2, 0])).to.not.include("\"firebase\"");
  });

  it("mints one token and sends the official message shape once per device", async () => {
    const answer = await alert();
    expect(answer.looker).to.deep.include({ success: true, message: "Sent the notification to 3 devices through " +
      "Firebase: user 7's device …111111, user 7's device …222222, user 9's device …333333." });
    expect(fake.issued).to.have.length(1);
    const sends = fake.received.filter((r) => r.path.endsWith("messages:send"));
    expect(sends.every((r) => r.headers.authorization === "Bearer ya29.test-1")).to.equal(true);
    expect(sends[0].path).to.equal(`/v1/projects/${FCM_PROJECT}/messages:send`);
    const m = fake.messages.find((x) => x.token === "dev-token-cccccc333333");
    expect(m.notification).to.deep.equal({ title: "Revenue dropped", body: "On Sales" });
    expect(m.data).to.deep.include({ alert_id: "42", dashboard_name: "Sales", user_id: "9" });
    expect(m.data.id).to.match(/^[0-9a-f-]{36}$/);
    // Collapse ids from Looker's webhook id (wh-7f3a): test/exactly_once/test_firebase_resend.ts.
    const key = collapseId("wh-7f3a", "42");
    expect(m.android).to.deep.equal({ priority: "high", ttl: "86400s", collapse_key: key, notification: { tag: key } });
    expect(m.apns.headers["apns-collapse-id"]).to.equal(key);
    expect(m.apns.headers["apns-priority"]).to.equal("10");
    expect(Number(m.apns.headers["apns-expiration"]) - Date.now() / 1000).to.be.within(86000, 86401);
    expect(m.apns.payload).to.deep.equal({ aps: { "content-available": 1, "mutable-content": 1 } });
    await alert();
    expect(fake.issued, "the token is reused while valid").to.have.length(1);
  });

  it("counts and names devices that failed", async () => {
    fake.devices.delete("dev-token-bbbbbb222222");
    const answer = await alert();
    expect(answer.looker).to.deep.include({ success: false, message: "Sent the notification to 2 of 3 devices " +
      "through Firebase; 1 failed: user 7's device …222222 (the app was removed from the device or its token " +
      "expired)." });
  });

  it("retries FCM's 429, and names a quota that lasts", async () => {
    const quota = fcmError(429, "RESOURCE_EXHAUSTED", "Quota exceeded", "QUOTA_EXCEEDED");
    fake.reply(quota);
    const ok = await alert({ deviceIds: JSON.stringify([[{ device_id: "dev-token-aaaaaa111111", user_id: 7 }]]) });
    expect(ok.looker.success).to.equal(true);
    fake.reply(quota, quota, quota);
    const answer = await alert({ deviceIds: JSON.stringify([[{ device_id: "dev-token-aaaaaa111111", user_id: 7 }]]) });
    expect(answer.looker.message).to.equal("Could not notify user 7's device …111111 through Firebase: " +
      "Firebase's sending quota was reached; try again later.");
  });

  it("stops when the project refuses the service account", async () => {
    hub = firebaseHub(fake, { ...SETTINGS, projectId: "other" });
    const answer = await alert();
    expect(answer.looker.message).to.match(/^The hub's Firebase service account may not send messages; .*Nothing was sent\.$/);
  });

  it("says when Google refuses the key", async () => {
    hub = firebaseHub(fake, { ...SETTINGS, clientEmail: "someone@else.iam.gserviceaccount.com" });
    const answer = await alert();
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message)
      .to.match(/^Google \(for Firebase\) refused the service account's key \(invalid_grant/);
  });

  it("explains a request without an alert or title, or with devices that are not JSON", async () => {
    expect((await alert({ data: "{}" })).looker.message).to.match(/no alert ID/);
    expect((await alert({ title: "" })).looker.message).to.match(/no title/);
    expect((await alert({ deviceIds: "not json" })).looker.message).to.match(/"deviceIds" .* is not JSON/);
  });

  it("logs no token, key or device", async () => {
    await alert();
    expect(hub.logs()).to.include("firebase notifications sent");
    for (const s of ["ya29.test", "PRIVATE KEY", "dev-token-"]) { expect(hub.logs()).to.not.include(s); }
  });
});
