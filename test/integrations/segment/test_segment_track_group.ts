// Segment Track and Group through the real app, and the definitions Looker lists.
import { expect } from "chai";
import request from "supertest";
import { authHeader } from "../../helpers/app";
import { FakeSegmentApi } from "../../fakes/segment_api";
import { detail, execute, executeBody, forEachSender, segmentApp } from "./helpers";

forEachSender("segment_track and segment_group", (kind) => {
  let fake: FakeSegmentApi;
  beforeEach(async () => { fake = await new FakeSegmentApi().start(); });
  afterEach(async () => { await fake.stop(); });

  // official test_segment_track.ts: "calls track"
  it("Track sends the form's event with the row as properties", async () => {
    const payload = detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }, { name: "u.plan" }] },
      [{ "u.id": { value: "funvalue" }, "u.plan": { value: "pro" } }]);
    const answer = await execute(segmentApp(fake, kind), "segment_track",
      executeBody(payload, { formParams: { event: "Plan Renewed" } }));
    expect(answer.looker).to.include({ success: true, message: "Sent 1 row to Segment as track calls." });
    expect(fake.accepted[0]).to.deep.include({
      type: "track", event: "Plan Renewed", userId: "funvalue", anonymousId: null, properties: { "u.plan": "pro" },
    });
    expect(fake.accepted[0]).to.not.have.property("traits");
  });

  it("Track without an event name points at the form field and sends nothing", async () => {
    const payload = detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }] }, [{ "u.id": { value: "x" } }]);
    const answer = await execute(segmentApp(fake, kind), "segment_track", executeBody(payload));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.validation_errors).to.have.property("event");
    expect(fake.batches).to.have.length(0);
  });

  // official test_segment_group.ts: "works with segment_group_id,
  // user id and email", "... user id and anonymous id", "works with segment_group_id and user_id" and
  // "works with 0 dimension value" (Segment Group keeps a 0 trait)
  it("Group sends group id, user id, anonymous id and traits", async () => {
    const payload = detail({ dimensions: [
      { name: "u.email", tags: ["email"] }, { name: "acct.id", tags: ["segment_group_id"] },
      { name: "u.id", tags: ["user_id"] }, { name: "u.anon", tags: ["segment_anonymous_id"] }, { name: "acct.tier" },
    ] }, [{ "u.email": { value: "e@x.io" }, "acct.id": { value: "g1" }, "u.id": { value: "id" },
            "u.anon": { value: "anon" }, "acct.tier": { value: 0 } }]);
    const answer = await execute(segmentApp(fake, kind), "segment_group", executeBody(payload));
    expect(answer.looker.success).to.equal(true);
    expect(fake.accepted[0]).to.deep.include({
      type: "group", groupId: "g1", userId: "id", anonymousId: "anon", traits: { "email": "e@x.io", "acct.tier": 0 },
    });
  });

  // official test_segment_group.ts:
  // "works with segment_group_id and null user_id": a deliberate difference (README): Segment refuses a group call
  // without userId and anonymousId, so the row is skipped and counted
  it("Group never invents an anonymous id: rows without a user are skipped and counted", async () => {
    const dimensions = [{ name: "acct.id", tags: ["segment_group_id"] }, { name: "u.id", tags: ["user_id"] }];
    const payload = detail({ dimensions },
      [{ "acct.id": { value: "g1" }, "u.id": { value: null } },
       { "acct.id": { value: "g1" }, "u.id": { value: "id" } }]);
    const answer = await execute(segmentApp(fake, kind), "segment_group", executeBody(payload));
    expect(answer.looker.message).to.equal("Sent 1 row to Segment as group calls; 1 row skipped (no user id).");
    expect(fake.accepted).to.have.length(1);
    expect(fake.accepted[0]).to.deep.include({ groupId: "g1", userId: "id", anonymousId: null });
  });

  // official test_segment_group.ts:
  // "works with segment_group_id": a deliberate difference (README), for the same reason
  it("Group with only a group id fails before sending, naming the tags to add", async () => {
    const payload = detail({ dimensions: [{ name: "acct.id", tags: ["segment_group_id"] }] },
      [{ "acct.id": { value: "g1" } }]);
    const answer = await execute(segmentApp(fake, kind), "segment_group", executeBody(payload));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.include("\"user_id\" or \"segment_anonymous_id\"");
    expect(fake.batches).to.have.length(0);
  });

  it("Group without a group id field fails before sending", async () => {
    const payload = detail({ dimensions: [{ name: "u.id", tags: ["user_id"] }] }, [{ "u.id": { value: "id" } }]);
    const answer = await execute(segmentApp(fake, kind), "segment_group", executeBody(payload));
    expect(answer.looker.message).to.include("\"segment_group_id\"");
    expect(fake.batches).to.have.length(0);
  });

  describe("definitions", () => {
    async function list(userAgent: string) {
      const res = await request(segmentApp(fake, kind).app).post("/").set("Authorization", authHeader())
        .set("User-Agent", userAgent).expect(200);
      return Object.fromEntries(res.body.integrations.map((i: any) => [i.name, i]));
    }

    // official test_segment.ts "has no form",
  // test_segment_track.ts "has form", test_segment_group.ts "has no form"
  it("lists the three with the official names, write key, fields and settings", async () => {
      const defs = await list("LookerOutgoingWebhook/7.20.0");
      expect(Object.keys(defs)).to.deep.equal(["segment_event", "segment_track", "segment_group"]);
      expect(defs.segment_event.label).to.equal("Segment Identify");
      expect(defs.segment_track.label).to.equal("Segment Track");
      expect(defs.segment_group.label).to.equal("Segment Group");
      for (const def of Object.values(defs) as any[]) {
        expect(def.params).to.have.length(1);
        expect(def.params[0]).to.include({ name: "segment_write_key", label: "Segment Write Key", required: true,
          sensitive: true });
        expect(def.supported_action_types).to.deep.equal(["query"]);
        expect(def.supported_formats).to.deep.equal(["json_detail_lite_stream"]);
        expect(def.supported_formattings).to.deep.equal(["unformatted"]);
        expect(def.supported_visualization_formattings).to.deep.equal(["noapply"]);
        expect(def.supported_download_settings).to.deep.equal(["push", "url"]);
        expect(def.icon_data_uri).to.match(/^data:image\/svg\+xml;base64,/);
      }
      expect(defs.segment_event.required_fields)
        .to.deep.equal([{ any_tag: ["email", "user_id", "segment_anonymous_id"] }]);
      // One entry with both keys, exactly as the official segment_group.ts declares it.
      expect(defs.segment_group.required_fields).to.deep.equal([
        { tag: "segment_group_id", any_tag: ["email", "user_id", "segment_anonymous_id"] }]);
      expect(defs.segment_event.form_url).to.equal(null);
      expect(defs.segment_track.form_url).to.match(/\/actions\/segment_track\/form$/);
    });

    // official test_segment.ts: "supported format is
  // json_detail on lookerVersion 6.0 and below", "supported format is json_detail_lite_stream on lookerVersion 6.2"
  it("offers json_detail to Lookers before 6.2 and hides Track and Group before 5.5", async () => {
      const old = await list("LookerOutgoingWebhook/6.0.0");
      expect(old.segment_event.supported_formats).to.deep.equal(["json_detail"]);
      expect(old.segment_track.supported_formats).to.deep.equal(["json_detail"]);
      expect((await list("LookerOutgoingWebhook/6.2.0")).segment_event.supported_formats)
        .to.deep.equal(["json_detail_lite_stream"]);
      expect(Object.keys(await list("LookerOutgoingWebhook/5.0.0"))).to.deep.equal(["segment_event"]);
    });

    it("Track's form asks for the event name", async () => {
      const res = await request(segmentApp(fake, kind).app).post("/actions/segment_track/form")
        .set("Authorization", authHeader()).send({}).expect(200);
      const fields = Array.isArray(res.body) ? res.body : res.body.fields;
      expect(fields).to.have.length(1);
      expect(fields[0]).to.include({ name: "event", type: "string", required: true });
    });
  });
});
