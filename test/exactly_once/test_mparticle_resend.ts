// mParticle: the same delivery sent twice (same X-Looker-Webhook-Id) stores what one send stored, as
// mParticle deduplicates batches on source_request_id (`looker-<webhookId>-<row>`); another delivery's
// batches are kept beside them (docs/exactly_once.md).
import { expect } from "chai";
import { CrmSettings } from "../../src/config/crm";
import { MparticleIntegration } from "../../src/integrations/mparticle/mparticle";
import { HttpClient } from "../../src/lib/http_client";
import { FakeMparticle, MPARTICLE_KEY } from "../fakes/mparticle_api";
import { cells, crmApp, detail, executeBody } from "../integrations/crm/helpers";
import { executeAs, snapshot } from "./resend";

const build = (http: HttpClient, settings: CrmSettings) => [new MparticleIntegration(http, settings)];
const BODY = executeBody(detail({ dimensions: [{ name: "users.id", tags: ["mp_customer_id"] }, { name: "users.city" }] },
  cells([{ "users.id": "c1", "users.city": "Paris" }, { "users.id": "c2", "users.city": "Oslo" }])),
{ params: { apiKey: MPARTICLE_KEY.key, apiSecret: MPARTICLE_KEY.secret },
  formParams: { data_type: "user_data", environment: "production" } });

describe("mparticle: a re-sent delivery", () => {
  let fake: FakeMparticle;
  let app: ReturnType<typeof crmApp>;
  beforeEach(async () => {
    fake = await new FakeMparticle().start();
    app = crmApp(build, { MPARTICLE_API_URL: fake.url });
  });
  afterEach(async () => { await fake.stop(); });

  it("with the same webhook id leaves mParticle as one send did", async () => {
    expect((await executeAs(app.app, "mparticle", BODY, "wh-mp-1")).looker.success).to.equal(true);
    const once = snapshot(fake.stored);
    expect(once.map((b) => b.source_request_id)).to.deep.equal(["looker-wh-mp-1-1", "looker-wh-mp-1-2"]);
    expect((await executeAs(app.app, "mparticle", BODY, "wh-mp-1")).looker.success).to.equal(true);
    expect(fake.received, "both sends reached mParticle").to.have.length(4);
    expect(fake.stored).to.deep.equal(once);
  });

  it("with another webhook id is kept beside the first", async () => {
    await executeAs(app.app, "mparticle", BODY, "wh-mp-1");
    await executeAs(app.app, "mparticle", BODY, "wh-mp-2");
    expect(fake.stored).to.have.length(4);
  });
});
