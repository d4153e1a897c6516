// What only the default sender (SEGMENT_SENDER=batch) does: batches cut at Segment's 500 KB,
// messages over 32 KB refused before sending, Retry-After honoured through the HTTP client.
import { expect } from "chai";
import { FakeSegmentApi } from "../../fakes/segment_api";
import { detail, execute, executeBody, segmentApp } from "./helpers";

function wideRows(n: number, textBytes: number) {
  return detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }, { name: "u.note" }] },
    Array.from({ length: n }, (_, i) => ({
      "u.id": { value: `user-${i}` }, "u.note": { value: "x".repeat(textBytes) },
    })));
}

describe("Segment batch sender", () => {
  let fake: FakeSegmentApi;
  beforeEach(async () => { fake = await new FakeSegmentApi().start(); });
  afterEach(async () => { await fake.stop(); });

  it("fills each request up to Segment's 500 KB and no further, every row once", async () => {
    const answer = await execute(segmentApp(fake, "batch"), "segment_event", executeBody(wideRows(1000, 1500)));
    expect(answer.looker).to.include({ success: true, message: "Sent 1,000 rows to Segment as identify calls." });
    const sizes = fake.batches.map((b) => b.bytes);
    expect(sizes.length).to.be.within(3, 4);
    expect(Math.max(...sizes)).to.be.at.most(500_000);
    // A full batch leaves less room than one more message (about 1.7 KB here).
    const bySize = [...sizes].sort((a, b) => b - a);
    for (const size of bySize.slice(0, -1)) { expect(size).to.be.above(500_000 - 2000); }
    expect(new Set(fake.accepted.map((m) => m.userId)).size).to.equal(1000);
    for (const batch of fake.batches) {
      const numbers = batch.body.batch.map((m) => Number(m.messageId.split("-").pop()));
      expect(numbers).to.deep.equal(numbers.map((_, k) => numbers[0] + k));
    }
  });

  it("writes later requests into the bodies of requests that are over, every message intact", async () => {
    // Seven messages a request, three requests in flight, the second refused once and retried:
    // each body is written again once its request is over (answered, or failed for good).
    fake.script.push({ status: 200, delayMs: 20 }, { status: 503, body: { message: "busy" } }, { status: 200, delayMs: 10 });
    const app = segmentApp(fake, "batch", { batchSize: 7, maxPendingBatches: 3 });
    const answer = await execute(app, "segment_event", executeBody(wideRows(100, 30)));
    expect(answer.looker).to.include({ success: true, message: "Sent 100 rows to Segment as identify calls." });
    expect(fake.batches.map((b) => b.status).filter((s) => s !== 200)).to.deep.equal([503]);
    expect(fake.batches).to.have.length(16);
    const retried = fake.batches.find((b) => b.status === 503)!;
    expect(fake.batches.filter((b) => JSON.stringify(b.body) === JSON.stringify(retried.body))).to.have.length(2);
    const messages = fake.batches.filter((b) => b.status === 200).flatMap((b) => b.body.batch);
    expect(messages).to.have.length(100);
    for (const m of messages) {
      const i = Number(m.messageId.split("-").pop()) - 1;
      expect(m).to.deep.include({ userId: `user-${i}` });
      expect(m.traits).to.deep.equal({ "u.note": "x".repeat(30) });
    }
    expect(new Set(messages.map((m) => m.userId)).size).to.equal(100);
  });

  it("refuses a row over Segment's 32 KB per call before sending it, naming the row", async () => {
    const payload = wideRows(3, 10);
    (payload.data[2] as any)["u.note"] = { value: "y".repeat(40_000) };
    const answer = await execute(segmentApp(fake, "batch"), "segment_event", executeBody(payload));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^Segment would not accept row 3: it makes a message of 39\.\d KB, /);
    expect(answer.looker.message).to.include("Segment takes at most 32.0 KB per call.");
    expect(answer.looker.message).to.include("0 rows had been sent before it");
    expect(JSON.stringify(fake.batches)).to.not.include("yyyy");
  });

  it("waits as long as Segment's Retry-After asks before trying again", async () => {
    fake.script.push({ status: 429, headers: { "retry-after": "1" }, body: { message: "slow down" } });
    const answer = await execute(segmentApp(fake, "batch"), "segment_event", executeBody(wideRows(2, 10)));
    expect(answer.looker.success).to.equal(true);
    expect(fake.batches.map((b) => b.status)).to.deep.equal([429, 200]);
    expect(fake.batches[1].at - fake.batches[0].at).to.be.at.least(950);
    expect(fake.batches[1].body).to.deep.equal(fake.batches[0].body);
  });
});
