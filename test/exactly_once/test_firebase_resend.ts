// firebase: the same alert delivery sent twice (same X-Looker-Webhook-Id) leaves every device showing
// one notification, as Android's notification tag and APNs' apns-collapse-id replace the first;
// another delivery of the same alert is shown beside it (docs/exactly_once.md).
import { expect } from "chai";
import { collapseId } from "../../src/integrations/firebase/fcm_messages";
import { FcmFake } from "../fakes/fcm_api";
import { buildTestApp } from "../helpers/app";
import { PLAN } from "../helpers/execute";
import { firebaseHub } from "../integrations/ops/firebase_setup";
import { executeAs, snapshot } from "./resend";

const DEVICES = [[{ device_id: "dev-token-aaaaaa111111", user_id: 7 }, { device_id: "dev-token-bbbbbb222222", user_id: 7 }],
  [{ device_id: "dev-token-cccccc333333", user_id: 9 }]];
const ALERT = {
  type: "query", scheduled_plan: PLAN, data: {},
  attachment: { mimetype: "application/json", extension: "json", data: { fields: {}, data: [] } },
  form_params: { title: "Revenue dropped", data: JSON.stringify({ alert_id: 42, dashboard_name: "Sales" }),
    deviceIds: JSON.stringify(DEVICES) },
};

describe("firebase: a re-sent delivery", () => {
  let fake: FcmFake;
  let hub: ReturnType<typeof buildTestApp>;
  beforeEach(async () => {
    fake = await new FcmFake().start();
    hub = firebaseHub(fake);
  });
  afterEach(() => fake.stop());

  it("with the same webhook id replaces its notification on Android and iOS: the devices show what one send left", async () => {
    expect((await executeAs(hub.app, "firebase", ALERT, "wh-alert-1")).looker.success).to.equal(true);
    const once = snapshot(fake.trays);
    expect(Object.values(once).map((tray: any) => tray.length)).to.deep.equal([1, 1, 1]);
    expect((await executeAs(hub.app, "firebase", ALERT, "wh-alert-1")).looker.success).to.equal(true);
    expect(fake.messages, "FCM itself sends both").to.have.length(6);
    expect(snapshot(fake.trays)).to.deep.equal(once);
    const m = fake.messages.find((x) => x.token === "dev-token-bbbbbb222222");
    const key = collapseId("wh-alert-1", "42");
    expect(m.apns.headers["apns-collapse-id"]).to.equal(key);
    expect(m.android).to.deep.include({ collapse_key: key, notification: { tag: key } });
    expect(Buffer.byteLength(key!)).to.be.at.most(64);
  });

  it("with another webhook id is another notification, beside the first", async () => {
    await executeAs(hub.app, "firebase", ALERT, "wh-alert-1");
    await executeAs(hub.app, "firebase", ALERT, "wh-alert-2");
    for (const tray of fake.trays.values()) {
      expect(tray).to.have.length(2);
      expect(tray[0].key).to.not.equal(tray[1].key);
      expect(tray[0].data.id).to.not.equal(tray[1].data.id);
    }
  });

  it("without a webhook id carries no collapse id: each send is its own notification, as before", async () => {
    await executeAs(hub.app, "firebase", ALERT, "");
    await executeAs(hub.app, "firebase", ALERT, "");
    expect(fake.messages.every((m) => !m.apns.headers["apns-collapse-id"] && !m.android.collapse_key)).to.equal(true);
    for (const tray of fake.trays.values()) { expect(tray).to.have.length(2); }
    expect(collapseId("wh-1", "42"), "another alert, another id").to.not.equal(collapseId("wh-1", "43"));
  });
});
