// Segment Identify through the real app: each mapping rule of the official hub, checked in
// what the local Segment API received.
import { expect } from "chai";
import { FakeSegmentApi } from "../../fakes/segment_api";
import { detail, execute, executeBody, expectedLibrary, forEachSender, segmentApp, WRITE_KEY } from "./helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

forEachSender("segment_event (Segment Identify)", (kind) => {
  let fake: FakeSegmentApi;
  beforeEach(async () => { fake = await new FakeSegmentApi().start(); });
  afterEach(async () => { await fake.stop(); });

  async function identify(payload: unknown, options = {}) {
    const answer = await execute(segmentApp(fake, kind), "segment_event", executeBody(payload, options));
    expect(answer.status).to.equal(200);
    return answer.looker;
  }

  // official test_segment.ts: "works with user_id"
  it("sends one identify per row with Basic auth, user id, traits and context.app", async () => {
    const looker = await identify(detail(
      {
        dimensions: [{ name: "users.id", tags: ["user_id"] }, { name: "users.city" }],
        measures: [{ name: "orders.count" }],
      },
      [{ "users.id": { value: 1 }, "users.city": { value: "Leeds" }, "orders.count": { value: 5 } },
       { "users.id": { value: "u2" }, "users.city": { value: "Oslo" }, "orders.count": { value: 2 } }]));
    expect(looker).to.include({ success: true, message: "Sent 2 rows to Segment as identify calls." });
    const batch = fake.batches[0];
    expect(batch.authorization).to.equal(`Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}`);
    expect(batch.contentType).to.match(/^application\/json/);
    expect(batch.userAgent).to.match(expectedLibrary(kind).userAgent);
    expect(Date.parse(batch.body.sentAt!)).to.be.closeTo(Date.now(), 60_000);
    const [first, second] = fake.accepted;
    expect(first.context.library.name).to.equal(expectedLibrary(kind).libraryName);
    expect(first).to.deep.include({
      type: "identify", userId: "1", anonymousId: null,
      traits: { "users.city": "Leeds", "orders.count": 5 },
    });
    expect(first.context.app).to.deep.equal({ name: "looker-integration-service", version: "9.9.9" });
    expect(first.messageId).to.equal("looker-wh-1-1");
    expect(second).to.deep.include({ userId: "u2", traits: { "users.city": "Oslo", "orders.count": 2 } });
    expect(first).to.not.have.property("groupId");
    expect(first).to.not.have.property("event");
  });

  // official test_segment.ts: "works with ran_at"
  it("uses ran_at as every row's timestamp when Looker sends it before the rows", async () => {
    const rows = [{ "u.id": { value: "a" } }, { "u.id": { value: "b" } }];
    await identify(detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }] }, rows, "2024-05-01T10:00:00+00:00"));
    expect(fake.accepted.map((m) => m.timestamp)).to.deep.equal(Array(2).fill("2024-05-01T10:00:00.000Z"));
    expect(fake.accepted.map((m) => m.messageId)).to.deep.equal(["looker-wh-1-1", "looker-wh-1-2"]);
  });

  it("without ran_at, stamps rows with the time the delivery started", async () => {
    const started = Date.now();
    await identify(detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }] }, [{ "u.id": { value: "a" } }]));
    expect(Date.parse(fake.accepted[0].timestamp)).to.be.within(started - 1000, Date.now());
  });

  // official test_segment.ts: "works with email"
  it("with only an email, sends it as the email trait and generates an anonymous id", async () => {
    await identify(detail({ dimensions: [{ name: "users.email", tags: ["email"] }] },
      [{ "users.email": { value: "ann@example.com" } }, { "users.email": { value: "bob@example.com" } }]));
    const [a, b] = fake.accepted;
    expect(a.userId).to.equal(null);
    expect(a.anonymousId).to.match(UUID);
    expect(b.anonymousId).to.match(UUID).and.not.equal(a.anonymousId);
    expect(a.traits).to.deep.equal({ email: "ann@example.com" });
  });

  // official test_segment.ts: "works with email, user id and anonymous id" and
  // "works with email, user id and anonymous id and trait"
  it("with user id, anonymous id and email, sends all three and the other fields as traits", async () => {
    await identify(detail({ dimensions: [
      { name: "u.email", tags: ["email"] }, { name: "u.id", tags: ["user_id"] },
      { name: "u.anon", tags: ["segment_anonymous_id"] }, { name: "u.plan", tags: [] },
    ] }, [{
      "u.email": { value: "e@x.io" }, "u.id": { value: "id" }, "u.anon": { value: "anon" }, "u.plan": { value: "pro" },
    }]));
    expect(fake.accepted[0]).to.deep.include({
      userId: "id", anonymousId: "anon", traits: { email: "e@x.io", "u.plan": "pro" },
    });
  });

  // official test_segment.ts: "works with email and user id"
  it("with user id and email, sends no anonymous id", async () => {
    await identify(detail({ dimensions: [{ name: "u.email", tags: ["email"] }, { name: "u.id", tags: ["user_id"] }] },
      [{ "u.email": { value: "e@x.io" }, "u.id": { value: "id" } }]));
    expect(fake.accepted[0]).to.deep.include({ userId: "id", anonymousId: null, traits: { email: "e@x.io" } });
  });

  // official test_segment.ts: "works with user id and anonymous id"
  it("with user id and anonymous id, sends both and no traits", async () => {
    await identify(detail({ dimensions: [{ name: "u.id", tags: ["user_id"] },
      { name: "u.anon", tags: ["segment_anonymous_id"] }] },
    [{ "u.id": { value: "id" }, "u.anon": { value: "anon_id" } }]));
    expect(fake.accepted[0]).to.deep.include({ userId: "id", anonymousId: "anon_id", traits: {} });
  });

  // official test_segment.ts: "works with anonymous id"
  it("with only an anonymous id, uses it as the user id too, as the official hub does", async () => {
    await identify(detail({ dimensions: [{ name: "u.anon", tags: ["segment_anonymous_id"] }] },
      [{ "u.anon": { value: "anon_id" } }]));
    expect(fake.accepted[0]).to.deep.include({ userId: "anon_id", anonymousId: "anon_id", traits: {} });
  });

  // official test_segment.ts: "doesn't send hidden fields"
  it("leaves out fields hidden in the visualization", async () => {
    const dimensions = [{ name: "u.email", tags: ["email"] }, { name: "u.secret" }, { name: "u.shown" }];
    await identify(detail({ dimensions },
      [{ "u.email": { value: "e@x.io" }, "u.secret": { value: "hide me" }, "u.shown": { value: "show me" } }]),
      { hiddenFields: ["u.secret"] });
    expect(fake.accepted[0].traits).to.deep.equal({ email: "e@x.io", "u.shown": "show me" });
    expect(JSON.stringify(fake.batches)).to.not.include("hide me");
  });

  // official test_segment.ts: "works with null user_ids"
  it("generates an anonymous id for a row whose user id is null", async () => {
    await identify(detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }] }, [{ "u.id": { value: null } }]));
    expect(fake.accepted[0].userId).to.equal(null);
    expect(fake.accepted[0].anonymousId).to.match(UUID);
  });

  // official test_segment.ts: "works with pivoted values"
  it("sends a pivoted measure as a list of {pivot: value}, keeping nulls and zeros", async () => {
    await identify(detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }], measures: [{ name: "users.count" }] },
      [{ "u.id": { value: "funvalue" }, "users.count": { f: { value: 1 }, z: { value: 0 }, n: { value: null } } }]));
    expect(fake.accepted[0].traits).to.deep.equal({ "users.count": [{ f: 1 }, { z: 0 }, { n: null }] });
  });

  it("keeps nulls, zeros, false and empty strings as they are", async () => {
    await identify(detail({
      dimensions: [{ name: "u.id", tags: ["user_id"] }, { name: "a" }, { name: "b" }, { name: "c" }],
      table_calculations: [{ name: "d" }] },
      [{ "u.id": { value: "x" }, "a": { value: null }, "b": { value: 0 }, "c": { value: false }, "d": { value: "" } }],
    ));
    expect(fake.accepted[0].traits).to.deep.equal({ a: null, b: 0, c: false, d: "" });
  });

  // official test_segment.ts: "errors if there is no tagged field"
  it("fails before sending anything when no field is tagged, naming the tags to add", async () => {
    const payload = detail({ dimensions: [{ name: "u.name", tags: [] }] }, [{ "u.name": { value: "Ann" } }]);
    const looker = await identify(payload);
    expect(looker.success).to.equal(false);
    expect(looker.message).to.include("\"email\", \"user_id\" or \"segment_anonymous_id\"");
    expect(fake.batches).to.have.length(0);
  });

  // official test_segment.ts: "errors if the query response has no fields"
  it("fails before sending when the delivery has no fields at all", async () => {
    const looker = await identify({ data: [{ x: { value: 1 } }] });
    expect(looker.success).to.equal(false);
    expect(looker.message).to.include("user_id");
    expect(fake.batches).to.have.length(0);
  });

  // official test_segment.ts: "errors if there is no write key"
  it("answers that the write key is missing without calling Segment", async () => {
    const payload = detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }] }, []);
    const looker = await identify(payload, { writeKey: null });
    expect(looker).to.include({ success: false });
    expect(looker.message).to.include("\"Segment Write Key\" is missing");
    expect(fake.batches).to.have.length(0);
  });

  it("refuses a delivery in another format", async () => {
    const looker = await identify("a,b\n1,2\n", { format: "csv" });
    expect(looker.success).to.equal(false);
    expect(looker.message).to.include("json_detail");
    expect(fake.batches).to.have.length(0);
  });

  // official test_segment.ts: "errors if the input has no attachment"
  it("answers clearly when Looker sent no data", async () => {
    const body = { ...executeBody(null), attachment: null };
    const answer = await execute(segmentApp(fake, kind), "segment_event", body);
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.include("no query results");
  });

  it("sends a query with no rows as zero calls", async () => {
    const looker = await identify(detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }] }, []));
    expect(looker).to.include({ success: true, message: "Sent 0 rows to Segment as identify calls." });
    expect(fake.batches).to.have.length(0);
  });
});
