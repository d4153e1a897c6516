// airtable: records are created, and Airtable takes no idempotency key for a create. A table with a
// text field named looker_row_id makes deliveries exactly-once: the hub fills it with
// looker-<webhook id>-<row> and upserts on it (PATCH with performUpsert), so the same delivery sent
// twice updates the records the first send created; another delivery creates its own. A table
// without that field is written as before: a re-send creates the rows again (docs/exactly_once.md).
import { expect } from "chai";
import { crmSettings } from "../../src/config/crm";
import { Sealer } from "../../src/hub/oauth/sealing";
import { storedStateFor } from "../../src/hub/oauth/stored_state";
import { AirtableIntegration } from "../../src/integrations/airtable/airtable";
import { RateGate } from "../../src/lib/rate_gate";
import { BASE_ID, FakeAirtable, table } from "../fakes/airtable_api";
import { buildTestApp, TEST_SECRET, TestApp } from "../helpers/app";
import { FAST_HTTP_ENV, testHttpClient } from "../helpers/http";
import { cells, detail, executeBody } from "../integrations/crm/helpers";
import { executeAs, snapshot } from "./resend";

const FIELDS = { dimensions: [{ name: "people.email", label: "Email" }], measures: [{ name: "people.score", label: "Score" }] };
const ROWS = detail(FIELDS as any, cells([{ "people.email": "a@example.com", "people.score": 1 },
  { "people.email": "b@example.com", "people.score": 2 }, { "people.email": "c@example.com", "people.score": 3 }]));

describe("airtable: a re-sent delivery", () => {
  let at: FakeAirtable;
  let app: TestApp;
  beforeEach(async () => {
    at = await new FakeAirtable().start();
    at.tables.set(BASE_ID, [table("tblStamped0000001", "Stamped", ["Email", "Score", "looker_row_id"]),
      table("tblPlain000000001", "Plain", ["Email", "Score"])]);
    const env = { ...FAST_HTTP_ENV, AIRTABLE_CLIENT_ID: at.clientId, AIRTABLE_CLIENT_SECRET: at.clientSecret,
      AIRTABLE_API_URL: at.url, AIRTABLE_OAUTH_URL: at.oauthUrl };
    app = buildTestApp([new AirtableIntegration(testHttpClient(env), crmSettings(env).airtable, 5,
      { rateLimitWaitMs: 5, gate: new RateGate(1000) })], env);
  });
  afterEach(async () => { await at.stop(); });

  const send = (webhookId: string, tableId: string) => {
    const tokens = at.issue();
    const state = storedStateFor(new Sealer(TEST_SECRET), "airtable", { accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3_600_000 });
    return executeAs(app.app, "airtable", executeBody(ROWS, { params: { state_json: state },
      formParams: { base: BASE_ID, table: tableId } }) as any, webhookId);
  };
  const records = (tableId: string) => snapshot(at.created.get(tableId) ?? []);

  it("a table with a looker_row_id field: the same webhook id updates the records it created", async () => {
    const first = await send("wh-at-1", "tblStamped0000001");
    expect(first.looker.success, first.looker.message).to.equal(true);
    expect(first.looker.message).to.match(/^Created or updated 3 records in the Airtable table "Stamped" \(matched on its looker_row_id field\)/);
    const once = records("tblStamped0000001");
    expect(once.map((r: any) => r.looker_row_id)).to.deep.equal(["looker-wh-at-1-1", "looker-wh-at-1-2", "looker-wh-at-1-3"]);
    expect((await send("wh-at-1", "tblStamped0000001")).looker.success).to.equal(true);
    expect(records("tblStamped0000001")).to.deep.equal(once);
    expect(at.api.filter((r) => r.method === "PATCH").map((r) => r.body.performUpsert))
      .to.deep.equal([{ fieldsToMergeOn: ["looker_row_id"] }, { fieldsToMergeOn: ["looker_row_id"] }]);
  });

  it("another webhook id creates records of its own", async () => {
    await send("wh-at-1", "tblStamped0000001");
    await send("wh-at-2", "tblStamped0000001");
    expect(records("tblStamped0000001")).to.have.length(6);
  });

  it("a table without the field: records are created, and a re-send creates them again (documented)", async () => {
    await send("wh-at-1", "tblPlain000000001");
    await send("wh-at-1", "tblPlain000000001");
    expect(records("tblPlain000000001")).to.have.length(6);
    expect(at.api.filter((r) => r.method === "PATCH")).to.have.length(0);
  });
});
