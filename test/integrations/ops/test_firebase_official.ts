// The official hub's Firebase cases (looker-open-source/actions src/actions/firebase/test_firebase.ts),
// replayed through the real app against the local token endpoint and FCM. Each `it` names the
// official one. Looker sends the alert's `data` as an object inside form_params; the hub reads
// it as the official hub does.
import { expect } from "chai";
import { FcmFake } from "../../fakes/fcm_api";
import { buildTestApp } from "../../helpers/app";
import { execute, PLAN } from "../../helpers/execute";
import { firebaseHub } from "./firebase_setup";

describe("firebase: the official hub's test cases", () => {
  let fake: FcmFake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new FcmFake().start();
    hub = firebaseHub(fake);
  });
  afterEach(() => fake.stop());
  // The official cases push a CSV attachment ("1,2,3,4") beside the form params.
  const alert = (formParams: Record<string, unknown>) => execute(hub.app, "firebase", {
    type: "query", scheduled_plan: PLAN, data: {},
    attachment: { mimetype: "text/csv", extension: "csv", data: "1,2,3,4" }, form_params: formParams as any,
  });

  describe("refused, nothing sent", () => {
    afterEach(() => { expect(fake.received).to.have.length(0); });

    // official: "errors if there is no notification data"
    it("no notification data", async () => {
      const answer = await alert({});
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.match(/no alert ID/);
    });

    // official: "errors if there is no alertId."
    it("data without an alert id", async () => {
      const answer = await alert({ title: "title", data: JSON.stringify({ dashboard_id: "123" }) });
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.match(/no alert ID/);
    });

    // official: "errors if there is no valid title."
    it("no title", async () => {
      const answer = await alert({ data: { alert_id: "123" } });
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.match(/no title/);
    });
  });

  // official: "no errors if there is valid request" (the alert's followers have no device)
  it("an alert without devices is a success that sends nothing", async () => {
    const answer = await alert({ title: "title", data: { alert_id: "123" } });
    expect(answer.looker).to.deep.include({ success: true,
      message: "No notification sent: nobody following this alert has the Looker mobile app signed in." });
    const empty = await alert({ title: "title", data: { alert_id: "123" }, deviceIds: "[]" });
    expect(empty.looker.success).to.equal(true);
    expect(fake.received).to.have.length(0);
  });

  // official: "no errors if there is valid deviceId's" and "Check right methods being called"
  // (the official stubs its sender; here FCM receives one message a device that has both ids)
  it("valid devices get the notification; an entry without a user id is skipped as there", async () => {
    const answer = await alert({ title: "title", data: { alert_id: "123", dashboard_name: "Ops" },
      deviceIds: JSON.stringify([[{ device_id: "dev-token-aaaaaa111111", user_id: 1 },
        { device_id: "dev-token-bbbbbb222222" }], [{ device_id: "dev-token-cccccc333333", user_id: "2" }]]) });
    expect(answer.looker.success).to.equal(true);
    expect(fake.messages.map((m) => [m.token, m.data.user_id, m.data.alert_id, m.notification.body])).to.have.deep
      .members([["dev-token-aaaaaa111111", "1", "123", "On Ops"], ["dev-token-cccccc333333", "2", "123", "On Ops"]]);
  });
});
