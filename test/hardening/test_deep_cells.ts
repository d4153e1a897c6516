// A json_detail cell holding JSON nested 20,000 levels deep (what a hostile or broken query can
// send) gets a clear answer from every row destination that serialises values, not an "internal
// error" from JSON.stringify's stack: HubSpot, mParticle, Segment (both senders), through the
// real app against their fakes, which receive nothing.
import { expect } from "chai";
import { CrmSettings } from "../../src/config/crm";
import { HubspotContactsIntegration } from "../../src/integrations/hubspot/hubspot";
import { MparticleIntegration } from "../../src/integrations/mparticle/mparticle";
import { HttpClient } from "../../src/lib/http_client";
import { FakeHubspot, HUBSPOT_TOKEN } from "../fakes/hubspot_api";
import { FakeMparticle, MPARTICLE_KEY } from "../fakes/mparticle_api";
import { FakeSegmentApi } from "../fakes/segment_api";
import { crmApp, execute as crmExecute } from "../integrations/crm/helpers";
import { execute as segmentExecute, forEachSender, segmentApp, WRITE_KEY } from "../integrations/segment/helpers";

const DEPTH = 20_000;

/** The json_detail text by hand: JSON.stringify itself could not write the deep value. */
function deepDetail(tag: string): string {
  const deep = "[".repeat(DEPTH) + "1" + "]".repeat(DEPTH);
  return `{"ran_at":"2026-12-01T08:00:00+00:00","fields":{"dimensions":[{"name":"users.email","tags":["${tag}"]},` +
    `{"name":"users.id","tags":["user_id","hubspot_contact_id","mp_customer_id"]},{"name":"users.blob"}],` +
    `"measures":[],"table_calculations":[]},"data":[{"users.email":{"value":"ada@example.com"},` +
    `"users.id":{"value":"u1"},"users.blob":{"value":${deep}}}]}`;
}

function body(data: Record<string, string>, formParams: Record<string, string>, tag: string) {
  return {
    type: "query", data, form_params: formParams,
    scheduled_plan: { scheduled_plan_id: 7, title: "Users", type: "Look", url: "https://looker.example.test/looks/1",
      query: { fields: [], vis_config: {} } },
    attachment: { mimetype: "application/json", extension: "json", data: deepDetail(tag) },
  };
}

function expectClearAnswer(answer: { success: boolean; message?: string }): void {
  expect(answer.success).to.equal(false);
  expect(answer.message).to.match(/nested more than 64 levels deep/);
  expect(answer.message).to.not.match(/internal error/i);
}

describe("a cell nested 20,000 levels deep", () => {
  it("HubSpot answers clearly and sends nothing", async () => {
    const fake = await new FakeHubspot().start();
    try {
      const app = crmApp((http: HttpClient, s: CrmSettings) => [new HubspotContactsIntegration(http, s)],
        { HUBSPOT_API_URL: fake.url });
      expectClearAnswer(await crmExecute(app, "hubspot_contacts",
        body({ hubspot_access_token: HUBSPOT_TOKEN }, {}, "email")));
      expect(fake.to(/batch/)).to.have.length(0);
    } finally { await fake.stop(); }
  });

  it("mParticle answers clearly and sends nothing", async () => {
    const fake = await new FakeMparticle().start();
    try {
      const app = crmApp((http: HttpClient, s: CrmSettings) => [new MparticleIntegration(http, s)],
        { MPARTICLE_API_URL: fake.url });
      expectClearAnswer(await crmExecute(app, "mparticle", body({ apiKey: MPARTICLE_KEY.key,
        apiSecret: MPARTICLE_KEY.secret }, { data_type: "user_data", environment: "production" }, "mp_email")));
      expect(fake.to(/bulkevents/)).to.have.length(0);
    } finally { await fake.stop(); }
  });

  forEachSender("Segment", (kind) => {
    it("answers clearly and sends nothing", async () => {
      const fake = await new FakeSegmentApi().start();
      try {
        const answer = await segmentExecute(segmentApp(fake, kind), "segment_event",
          body({ segment_write_key: WRITE_KEY }, {}, "email"));
        expect(answer.status).to.equal(200);
        expectClearAnswer(answer.looker);
        expect(fake.batches).to.have.length(0);
      } finally { await fake.stop(); }
    });
  });
});
