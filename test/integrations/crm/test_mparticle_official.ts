// The official hub's mParticle cases (looker-open-source/actions src/actions/mparticle/test_mparticle.ts),
// replayed through the real app against the local mParticle bulk endpoint. Each `it` names the
// official one.
import { expect } from "chai";
import request from "supertest";
import { CrmSettings } from "../../../src/config/crm";
import { MparticleIntegration } from "../../../src/integrations/mparticle/mparticle";
import { HttpClient } from "../../../src/lib/http_client";
import { authHeader } from "../../helpers/app";
import { FakeMparticle, MPARTICLE_KEY } from "../../fakes/mparticle_api";
import { cells, crmApp, detail, execute, executeBody } from "./helpers";

const build = (http: HttpClient, settings: CrmSettings) => [new MparticleIntegration(http, settings)];
const PARAMS = { apiKey: MPARTICLE_KEY.key, apiSecret: MPARTICLE_KEY.secret };
const SAMPLE = detail({ dimensions: [{ name: "some.field", tags: ["sometag"] }] }, cells([{ "some.field": "value" }]));

// The official "field mappings" data: a device_info field mParticle knows and one it does not, a
// custom attribute, and a field with no tag.
const MAPPINGS = detail({ dimensions: [
  { name: "user.customerid", tags: ["mp_customer_id"] },
  { name: "user.brand", tags: ["mp_device_info"] },
  { name: "user.bad_device_info_field", tags: ["mp_device_info"] },
  { name: "user.good_custom", tags: ["mp_custom_attribute"] },
  { name: "user.bad_custom", tags: [] },
] }, cells([{ "user.customerid": "value", "user.brand": "foo", "user.bad_device_info_field": "bar",
  "user.good_custom": "good", "user.bad_custom": "bad" }]));

describe("mParticle: the official hub's test cases", () => {
  let fake: FakeMparticle;
  let app: ReturnType<typeof crmApp>;
  const run = (payload: unknown, params: Record<string, string>, formParams: Record<string, string>) =>
    execute(app, "mparticle", executeBody(payload, { params, formParams }));
  beforeEach(async () => {
    fake = await new FakeMparticle().start();
    app = crmApp(build, { MPARTICLE_API_URL: fake.url });
  });
  afterEach(async () => { await fake.stop(); });

  describe("refused before any call", () => {
    afterEach(() => { expect(fake.requests).to.have.length(0); });

    // official: "errors if there is no apiKey"
    it("no API key", async () => {
      const answer = await run(SAMPLE, { apiSecret: PARAMS.apiSecret }, { data_type: "user_data" });
      expect(answer.success).to.equal(false);
      expect(answer.message).to.include('"API Key" is missing');
    });

    // official: "errors if there is no apiSecret"
    it("no API secret", async () => {
      const answer = await run(SAMPLE, { apiKey: PARAMS.apiKey }, { data_type: "user_data" });
      expect(answer.success).to.equal(false);
      expect(answer.message).to.include('"API Secret" is missing');
    });

    // official: "errors if there is no data_type"
    it("no data type", async () => {
      const answer = await run(SAMPLE, PARAMS, { environment: "production" });
      expect(answer).to.deep.include({ success: false, validation_errors: { data_type: "Data Type is required." } });
    });

    // official: "errors if there is not at least one userIdentity"
    it("no identity tag", async () => {
      const answer = await run(SAMPLE, PARAMS, { data_type: "user_data", environment: "production" });
      expect(answer.success).to.equal(false);
      expect(answer.message).to.include('needs a field tagged "mp_customer_id", "mp_email" or "mp_facebook"');
    });
  });

  // official (asJSON): "supported format is json_detail_lite_stream on lookerVersion 6.2 and above"
  it("declares json_detail_lite_stream to Looker 6.2", async () => {
    const res = await request(app.app).post("/actions/mparticle").set("Authorization", authHeader())
      .set("User-Agent", "LookerOutgoingWebhook/6.2.0").send({});
    expect(res.body.supported_formats).to.deep.equal(["json_detail_lite_stream"]);
  });

  describe("field mappings (event_data)", () => {
    let batch: Record<string, any>;
    beforeEach(async () => {
      const answer = await run(MAPPINGS, PARAMS, { data_type: "event_data", environment: "production" });
      expect(answer.success).to.equal(true);
      [batch] = fake.received;
    });

    // official: "sets custom_event_type to 'other'"
    it("custom_event_type is 'other' without an mp_custom_event_type field", () => {
      expect(batch.events[0].data.custom_event_type).to.equal("other");
      expect(batch.events[0].data.event_name).to.equal("looker_custom_event");
    });

    // official: "only includes whitelisted device_info fields"
    it("device_info holds only the keys mParticle knows; the other field is dropped, not fatal", () => {
      expect(batch.device_info).to.deep.equal({ brand: "foo" });
    });

    // official: "only captures custom attributes with the mp_custom_attribute tag"
    it("custom attributes come only from mp_custom_attribute fields", () => {
      expect(batch.events[0].data.custom_attributes).to.deep.equal({ "looker_user.good_custom": "good" });
      expect(JSON.stringify(batch)).to.not.include("bad_custom");
      expect(batch.user_attributes).to.deep.equal({});
    });
  });

  // The official hub's user mode: the event name field is no user attribute.
  it("user_data: an mp_event_name field is not sent as a user attribute", async () => {
    const payload = detail({ dimensions: [{ name: "u.id", tags: ["mp_customer_id"] },
      { name: "e.name", tags: ["mp_event_name"] }, { name: "u.city" }] },
    cells([{ "u.id": "c1", "e.name": "Signup", "u.city": "Oslo" }]));
    const answer = await run(payload, PARAMS, { data_type: "user_data", environment: "production" });
    expect(answer.success).to.equal(true);
    expect(fake.received[0].user_attributes).to.deep.equal({ "looker_u.city": "Oslo" });
    expect(fake.received[0]).to.not.have.property("events");
  });
});
