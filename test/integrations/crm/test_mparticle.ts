// mparticle through the real app against a local mParticle bulk endpoint.
import { expect } from "chai";
import { CrmSettings } from "../../../src/config/crm";
import { MparticleIntegration } from "../../../src/integrations/mparticle/mparticle";
import { HttpClient } from "../../../src/lib/http_client";
import { FakeMparticle, MPARTICLE_KEY } from "../../fakes/mparticle_api";
import { cells, crmApp, detail, execute, executeBody, form, servedDetail } from "./helpers";

const build = (http: HttpClient, settings: CrmSettings) => [new MparticleIntegration(http, settings)];
const PARAMS = { apiKey: MPARTICLE_KEY.key, apiSecret: MPARTICLE_KEY.secret };

const IDENTITY_FIELDS = ["mp_customer_id", "mp_email", "mp_facebook", "mp_google", "mp_microsoft", "mp_twitter",
  "mp_yahoo", "mp_other", "mp_other2", "mp_other3", "mp_other4"].map((tag) => ({ name: `ids.${tag}`, tags: [tag] }));

const EVENT_FIELDS = { dimensions: [
  { name: "users.id", tags: ["mp_customer_id"] }, { name: "users.email", tags: ["mp_email"] },
  { name: "events.name", tags: ["mp_event_name"] }, { name: "events.kind", tags: ["mp_custom_event_type"] },
  { name: "events.id", tags: ["mp_event_id"] }, { name: "events.at", tags: ["mp_timestamp_unixtime_ms"] },
  { name: "events.session", tags: ["mp_session_id"] }, { name: "events.session_uuid", tags: ["mp_session_uuid"] },
  { name: "devices.platform", tags: ["mp_device_info"] }, { name: "users.tier", tags: ["mp_user_attribute"] },
  { name: "events.amount", tags: ["mp_custom_attribute"] }, { name: "events.channel" },
] };

function eventRows(n: number) {
  return detail(EVENT_FIELDS, cells(Array.from({ length: n }, (_, i) => ({
    "users.id": `c${i}`, "users.email": `p${i}@example.com`, "events.name": "Renewal", "events.kind": "transaction",
    "events.id": 9000 + i, "events.at": 1764547200000 + i, "events.session": 5, "events.session_uuid": "s-uuid",
    "devices.platform": "iOS", "users.tier": "gold", "events.amount": 12.5, "events.channel": "email",
  }))));
}

describe("mParticle", () => {
  let fake: FakeMparticle;
  let app: ReturnType<typeof crmApp>;
  beforeEach(async () => {
    fake = await new FakeMparticle().start();
    app = crmApp(build, { MPARTICLE_API_URL: fake.url });
  });
  afterEach(async () => { await fake.stop(); });

  it("user_data: identity tags to user_identities, every other field a looker_ attribute, Basic auth", async () => {
    const payload = detail(
      { dimensions: [...IDENTITY_FIELDS, { name: "users.city" }], measures: [{ name: "o.count" }] },
      cells([Object.fromEntries([...IDENTITY_FIELDS.map((f, i) => [f.name, `v${i}`]), ["users.city", "Paris"],
        ["o.count", 3]])]));
    const answer = await execute(app, "mparticle", executeBody(payload, { params: PARAMS,
      formParams: { data_type: "user_data", environment: "production" } }));
    expect(answer).to.include({ success: true, message: "Sent 1 user to mParticle (production)." });
    const [request] = fake.to(/bulkevents/);
    expect(request.headers.authorization).to.equal(
      `Basic ${Buffer.from(`${MPARTICLE_KEY.key}:${MPARTICLE_KEY.secret}`).toString("base64")}`);
    expect(request.body).to.deep.equal([{
      user_identities: { customerid: "v0", email: "v1", facebook: "v2", google: "v3", microsoft: "v4", twitter: "v5",
        yahoo: "v6", other: "v7", other_id_2: "v8", other_id_3: "v9", other_id_4: "v10" },
      user_attributes: { "looker_users.city": "Paris", "looker_o.count": 3 },
      schema_version: 2, environment: "production", source_request_id: "looker-3f6c2a9e1b7d4e5f-1",
    }]);
  });

  it("event_data: a custom event per row from every event tag, untagged fields not sent, 100 a request", async () => {
    const answer = await execute(app, "mparticle", executeBody(eventRows(250), { params: PARAMS,
      formParams: { data_type: "event_data", environment: "development" } }));
    expect(answer).to.include({ success: true, message: "Sent 250 events to mParticle (development)." });
    expect(fake.requestsSizes.sort()).to.deep.equal([100, 100, 50]);
    const first = fake.received.find((b) => b.user_identities.customerid === "c0")!;
    expect(first).to.deep.equal({
      user_identities: { customerid: "c0", email: "p0@example.com" },
      user_attributes: { "looker_users.tier": "gold" },
      device_info: { platform: "iOS" },
      events: [{ event_type: "custom_event", data: {
        event_name: "Renewal", custom_event_type: "transaction", event_id: 9000, timestamp_unixtime_ms: 1764547200000,
        session_id: 5, session_uuid: "s-uuid", source_message_id: "looker-3f6c2a9e1b7d4e5f-1",
        custom_attributes: { "looker_events.amount": 12.5 } } }],
      schema_version: 2, environment: "development", source_request_id: "looker-3f6c2a9e1b7d4e5f-1",
    });
  });

  it("rows without any identity are rejected and counted; a download URL works the same", async () => {
    const payload = detail({ dimensions: [{ name: "u.id", tags: ["mp_customer_id"] }, { name: "u.n" }] },
      cells(Array.from({ length: 40 }, (_, i) => ({ "u.id": i === 3 ? null : `c${i}`, "u.n": i }))));
    const served = await servedDetail(payload);
    try {
      const answer = await execute(app, "mparticle", executeBody(null, { params: PARAMS, as: served,
        formParams: { data_type: "user_data", environment: "production" } }));
      expect(answer).to.include({ success: true,
        message: "Sent 39 users to mParticle (production); 1 rejected: 1 no user identity (first: row 4)." });
      expect(fake.received).to.have.length(39);
    } finally {
      await served.server.close();
    }
  });

  it("retries a 429 after mParticle's Retry-After, sending the same batches", async () => {
    fake.script.push({ status: 429, headers: { "retry-after": "0" } });
    const answer = await execute(app, "mparticle", executeBody(eventRows(3), { params: PARAMS,
      formParams: { data_type: "event_data", environment: "production" } }));
    expect(answer.success).to.equal(true);
    const [refused, retried] = fake.to(/bulkevents/);
    expect(retried.raw).to.equal(refused.raw);
    expect(fake.received).to.have.length(3);
  });

  it("fails before any call without an identity tag or a data type", async () => {
    const noId = await execute(app, "mparticle", executeBody(detail({ dimensions: [{ name: "u.n" }] },
      cells([{ "u.n": 1 }])), { params: PARAMS, formParams: { data_type: "user_data", environment: "production" } }));
    expect(noId.message).to.include('needs a field tagged "mp_customer_id", "mp_email" or "mp_facebook"');
    const noType = await execute(app, "mparticle", executeBody(eventRows(1), { params: PARAMS,
      formParams: { data_type: "", environment: "production" } }));
    expect(noType).to.deep.include({ success: false, validation_errors: { data_type: "Data Type is required." } });
    expect(fake.requests).to.have.length(0);
    const shown = await form(app, "mparticle");
    expect(shown.fields.map((f: { name: string }) => f.name)).to.deep.equal(["data_type", "environment"]);
  });

  it("a refused key says what to check and that nothing was sent", async () => {
    const answer = await execute(app, "mparticle", executeBody(eventRows(3), { params: { ...PARAMS, apiSecret: "x" },
      formParams: { data_type: "event_data", environment: "production" } }));
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include("mParticle refused the API key and secret (HTTP 401)");
    expect(answer.message).to.include("mParticle had accepted no events before the delivery stopped.");
  });
});
