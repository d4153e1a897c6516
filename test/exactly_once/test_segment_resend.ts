// Segment: the same delivery sent twice (same X-Looker-Webhook-Id) stores what one send stored, as
// Segment deduplicates on messageId (`looker-<webhookId>-<row>`); another delivery's rows are kept
// beside them (docs/exactly_once.md).
import { expect } from "chai";
import { FakeSegmentApi } from "../fakes/segment_api";
import { detail, execute, executeBody, forEachSender, segmentApp } from "../integrations/segment/helpers";
import { snapshot } from "./resend";

const FIELDS = { dimensions: [{ name: "users.id", tags: ["user_id"] }], measures: [{ name: "orders.count" }] };
const ROWS = [{ "users.id": { value: "u1" }, "orders.count": { value: 5 } },
  { "users.id": { value: "u2" }, "orders.count": { value: 2 } }];

forEachSender("segment: a re-sent delivery", (kind) => {
  let fake: FakeSegmentApi;
  beforeEach(async () => { fake = await new FakeSegmentApi().start(); });
  afterEach(async () => { await fake.stop(); });
  const send = (webhookId: string) =>
    execute(segmentApp(fake, kind), "segment_event", executeBody(detail(FIELDS, ROWS)), webhookId);

  it("with the same webhook id leaves Segment as one send did", async () => {
    expect((await send("wh-resend-1")).looker.success).to.equal(true);
    const once = snapshot(fake.stored.map((m) => [m.messageId, m.userId, m.traits]));
    expect((await send("wh-resend-1")).looker.success).to.equal(true);
    expect(fake.accepted, "both sends reached Segment").to.have.length(4);
    expect(fake.stored.map((m) => [m.messageId, m.userId, m.traits])).to.deep.equal(once);
    expect(once.map((m) => m[0])).to.deep.equal(["looker-wh-resend-1-1", "looker-wh-resend-1-2"]);
  });

  it("with another webhook id is kept beside the first", async () => {
    await send("wh-resend-1");
    await send("wh-resend-2");
    expect(fake.stored).to.have.length(4);
  });
});
