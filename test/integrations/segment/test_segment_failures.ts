// What Segment's refusals and outages do to a delivery, batching, and backpressure.
import { expect } from "chai";
import { closedPort } from "../../fakes/closed_port";
import { FakeSegmentApi } from "../../fakes/segment_api";
import { detail, execute, executeBody, forEachSender, newSender, segmentApp } from "./helpers";

function rows(n: number) {
  return detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }, { name: "u.n" }] },
    Array.from({ length: n }, (_, i) => ({ "u.id": { value: `user-${i}` }, "u.n": { value: i } })));
}

const message = (i: number) => ({
  userId: `u${i}`, anonymousId: null, traits: {}, timestamp: new Date(), messageId: `m${i}`,
  context: { app: { name: "t", version: "1" } },
});

forEachSender("Segment failures, batching and backpressure", (kind) => {
  let fake: FakeSegmentApi;
  beforeEach(async () => { fake = await new FakeSegmentApi().start(); });
  afterEach(async () => { await fake.stop(); });

  it("batches rows and sends each exactly once", async () => {
    const answer = await execute(segmentApp(fake, kind, { batchSize: 50 }), "segment_event", executeBody(rows(1234)));
    expect(answer.looker).to.include({ success: true, message: "Sent 1,234 rows to Segment as identify calls." });
    // Ours fills every batch; analytics-node also flushes on its timer, so a slow machine may split one.
    if (kind === "batch") { expect(fake.batches.length).to.equal(25); } else { expect(fake.batches.length).to.be.at.least(25); }
    expect(Math.max(...fake.batches.map((b) => b.body.batch.length))).to.equal(50);
    const ids = fake.accepted.map((m) => m.userId);
    expect(new Set(ids).size).to.equal(1234);
    expect(fake.batches.every((b) => b.writeKey === "test-write-key")).to.equal(true);
  });

  it("a bad write key fails the delivery, saying so and that no rows were sent", async () => {
    const answer = await execute(segmentApp(fake, kind), "segment_event", executeBody(rows(30), { writeKey: "wrong" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.include("Segment refused the write key (HTTP 401: Invalid write key)");
    expect(answer.looker.message).to.include("0 rows were sent before it");
  });

  it("a rejected batch stops the delivery and reports the rows sent before it", async () => {
    let n = 0;
    fake.answer = () => (++n === 4 ? { status: 400, body: { success: false, message: "Payload too large" } }
      : { status: 200 });
    const app = segmentApp(fake, kind, { batchSize: 10, maxPendingBatches: 2 });
    const answer = await execute(app, "segment_event", executeBody(rows(200)));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.include("Segment rejected a batch of rows (HTTP 400: Payload too large)");
    // analytics-node sends its first call at once, alone; then batches of 10, as the batch sender does throughout.
    const acknowledged = fake.accepted.length;
    expect(answer.looker.message).to.include(`${acknowledged} rows were sent before it`);
    expect(acknowledged).to.be.below(200);
    expect(fake.batches.length).to.be.below(9);
  });

  it("retries a 503 and a 429, then succeeds", async () => {
    fake.script.push({ status: 503 }, { status: 429 });
    const answer = await execute(segmentApp(fake, kind, { batchSize: 100 }), "segment_event", executeBody(rows(5)));
    expect(answer.looker.success).to.equal(true);
    expect(fake.batches.map((b) => b.status).slice(0, 3)).to.deep.equal([503, 429, 200]);
    expect(fake.accepted).to.have.length(5);
  });

  it("gives up after the retries with a message saying it may work later", async () => {
    fake.answer = () => ({ status: 502 });
    const answer = await execute(segmentApp(fake, kind, { retryCount: 2 }), "segment_event", executeBody(rows(3)));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.include("HTTP 502, 3 attempts");
    expect(answer.looker.message).to.include("try again later");
    expect(answer.looker.message).to.include("0 rows were sent");
  });

  it("reports an unreachable Segment API", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const app = segmentApp({ url } as FakeSegmentApi, kind, { retryCount: 1 });
    const answer = await execute(app, "segment_event", executeBody(rows(2)));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.include("ECONNREFUSED");
  });

  it("does not log row values or the write key", async () => {
    const app = segmentApp(fake, kind);
    await execute(app, "segment_event", executeBody(rows(3), { writeKey: "wrong" }));
    expect(app.logs()).to.not.include("user-1");
    expect(app.logs()).to.not.include("wrong");
  });

  it("waits while the window of batches is full (backpressure)", async () => {
    fake.answer = () => ({ status: 200, delayMs: 150 });
    const sender = newSender(kind, { writeKey: "test-write-key", host: fake.url, batchSize: 10, maxPendingBatches: 2 });
    let accepted = 0;
    const sending = (async () => {
      for (let i = 0; i < 100; i++) { await sender.send("identify", message(i)); accepted++; }
    })();
    await new Promise((resolve) => setTimeout(resolve, 60));
    // analytics-node: 2 batches of 10 may be queued or in flight; the 20th call waits for room.
    // batch: 2 requests of 10 may be in flight; the 30th call completes a third batch and waits to post it.
    expect(accepted).to.equal(kind === "batch" ? 29 : 19);
    await sending;
    await sender.finish();
    expect(sender.sent).to.equal(100);
    expect(fake.accepted.map((m) => m.userId)).to.have.members(Array.from({ length: 100 }, (_, i) => `u${i}`));
    expect(fake.maxInFlight).to.be.at.most(kind === "batch" ? 2 : 3);
  });
});
