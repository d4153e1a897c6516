// The official hub's Airtable cases (looker-open-source/actions src/actions/airtable/test_airtable.ts),
// replayed through the real app against the local Airtable. Each `it` names the official one.
// Its cases type "mybase"/"mytable"; Airtable's bases are ids (app…), so one is used here.
import { expect } from "chai";
import request from "supertest";
import { crmSettings } from "../../../src/config/crm";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { AirtableIntegration } from "../../../src/integrations/airtable/airtable";
import { RateGate } from "../../../src/lib/rate_gate";
import { BASE_ID, FakeAirtable, table } from "../../fakes/airtable_api";
import { authHeader, buildTestApp, TEST_SECRET, TestApp } from "../../helpers/app";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";
import { cells, detail, execute, executeBody, form } from "./helpers";

const COOL = { dimensions: [{ name: "coolview.coolfield", tags: ["user_id"] }] };
const COOL_LABELLED = { dimensions: [{ name: "coolview.coolfield", label_short: "cool field",
  label: "coolview coolfield", tags: ["user_id"] }] };
const ROWS = cells([{ "coolview.coolfield": "funvalue" }]);

describe("Airtable: the official hub's test cases", () => {
  let at: FakeAirtable;
  let app: TestApp;
  let state: string;
  beforeEach(async () => {
    at = await new FakeAirtable().start();
    at.tables.set(BASE_ID, [table("tblMyTable0000001", "mytable", ["coolview.coolfield", "cool field"])]);
    const env = { ...FAST_HTTP_ENV, AIRTABLE_CLIENT_ID: at.clientId, AIRTABLE_CLIENT_SECRET: at.clientSecret,
      AIRTABLE_API_URL: at.url, AIRTABLE_OAUTH_URL: at.oauthUrl };
    app = buildTestApp([new AirtableIntegration(testHttpClient(env), crmSettings(env).airtable, 5,
      { rateLimitWaitMs: 5, gate: new RateGate(1000) })], env);
    const tokens = at.issue();
    state = storedStateFor(new Sealer(TEST_SECRET), "airtable", { accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3_600_000 });
  });
  afterEach(async () => { await at.stop(); });
  const run = (payload: unknown, formParams: Record<string, string>) =>
    execute(app, "airtable", executeBody(payload, { params: { state_json: state }, formParams }));
  const creates = () => at.api.filter((r) => r.method === "POST");

  // "errors if the input has no attachment"
  it("no data: refused, nothing created", async () => {
    const body = executeBody(null, { params: { state_json: state }, formParams: { base: BASE_ID, table: "mytable" } });
    const answer = await execute(app, "airtable", { ...body, attachment: null });
    expect(answer.success).to.equal(false);
    expect(creates()).to.have.length(0);
  });

  // "errors if there is no url" (no base or table)
  it("no base or table: refused, nothing created", async () => {
    const answer = await run(detail(COOL_LABELLED, ROWS), {});
    expect(answer.success).to.equal(false);
    expect(answer.validation_errors).to.have.keys(["base", "table"]);
    expect(creates()).to.have.length(0);
  });

  // "sends right body"
  it("a field without labels is named by its name", async () => {
    const answer = await run(detail(COOL, ROWS), { base: BASE_ID, table: "mytable" });
    expect(answer.success).to.equal(true);
    expect(creates()[0].path).to.equal(`${BASE_ID}/mytable`);
    expect(at.batches[0]).to.deep.equal([{ fields: { "coolview.coolfield": "funvalue" } }]);
  });

  // "sends right body with label_short if present"
  it("a field with a short label is named by it", async () => {
    const answer = await run(detail(COOL_LABELLED, ROWS), { base: BASE_ID, table: "mytable" });
    expect(answer.success).to.equal(true);
    expect(at.batches[0]).to.deep.equal([{ fields: { "cool field": "funvalue" } }]);
  });

  // "returns failure on airtable create error" (Airtable: the table is not found)
  it("a table the base does not have: a failure naming it", async () => {
    const answer = await run(detail(COOL, ROWS), { base: BASE_ID, table: "Contacts123" });
    expect(answer.success).to.equal(false);
    expect(answer.message).to.include('The Airtable base has no table "Contacts123"');
    expect(creates()).to.have.length(0);
  });

  // form: "has form with base and table param"
  it("the form has the required base and table", async () => {
    const shown = await form(app, "airtable", { data: { state_json: state } });
    expect(shown.fields.map((f: any) => [f.name, f.required])).to.deep.equal([["base", true], ["table", true]]);
  });

  // Schedules saved with the official hub carry json_detail, the one format it declares.
  it("declares json_detail to every Looker, and delivers it", async () => {
    for (const version of ["6.0.0", "7.20.0", "25.10.0"]) {
      const res = await request(app.app).post("/actions/airtable").set("Authorization", authHeader())
        .set("User-Agent", `LookerOutgoingWebhook/${version}`).send({});
      expect(res.body.supported_formats).to.include("json_detail");
    }
    const body = executeBody(detail(COOL, ROWS), { params: { state_json: state },
      formParams: { base: BASE_ID, table: "mytable", format: "json_detail" } });
    expect((await execute(app, "airtable", body)).success).to.equal(true);
  });
});
