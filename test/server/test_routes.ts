import { expect } from "chai";
import request from "supertest";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { authHeader, buildTestApp } from "../helpers/app";
import { FailingIntegration, NewLookerIntegration, ParamsIntegration } from "../helpers/integrations";

describe("Action API routes", () => {
  const params = new ParamsIntegration();
  const { app, logs } = buildTestApp([new DebugIntegration(), params, new NewLookerIntegration(),
    new FailingIntegration()]);
  const post = (path: string) => request(app).post(path).set("Authorization", authHeader());

  it("POST / lists every integration with absolute URLs", async () => {
    const res = await post("/").expect(200).expect("content-type", /application\/json/);
    expect(res.body.label).to.equal("Test Hub");
    const byName = Object.fromEntries(res.body.integrations.map((i: any) => [i.name, i]));
    expect(Object.keys(byName)).to.deep.equal(["debug", "with_params", "new_looker_only", "failing"]);
    expect(byName.debug.url).to.equal("https://hub.example.test/actions/debug/execute");
    expect(byName.debug.form_url).to.equal("https://hub.example.test/actions/debug/form");
    expect(byName.new_looker_only.form_url).to.equal(null);
    expect(byName.with_params.params[0]).to.deep.equal(
      { name: "api_key", label: "API Key", description: "The vendor key.", required: true, sensitive: true });
    expect(byName.debug.icon_data_uri).to.match(/^data:image\/svg\+xml;base64,/);
    expect(byName.debug.supported_download_settings).to.deep.equal(["push", "url"]);
  });

  it("keeps the action list small", async () => {
    const res = await post("/").expect(200);
    expect(res.text.length).to.be.below(20_000);
  });

  it("POST /actions/:name and /integrations/:name answer the same definition", async () => {
    const a = await post("/actions/with_params").expect(200);
    const b = await post("/integrations/with_params").expect(200);
    expect(a.body).to.deep.equal(b.body);
    expect(a.body.name).to.equal("with_params");
    expect(a.body.form_url).to.equal("https://hub.example.test/actions/with_params/form");
  });

  it("answers 404 JSON for an unknown integration on every route", async () => {
    for (const path of ["/actions/nope", "/actions/nope/form", "/actions/nope/execute",
      "/integrations/nope", "/integrations/nope/form", "/integrations/nope/action"]) {
      const res = await post(path).send({}).expect(404);
      expect(res.body, path).to.deep.equal({ success: false, error: "No integration named \"nope\" on this hub." });
    }
  });

  it("answers 404 JSON for unknown paths, never an HTML page", async () => {
    const get = await request(app).get("/no/such/page").expect(404);
    expect(get.body.success).to.equal(false);
    const postRes = await post("/no/such/route").expect(404);
    expect(postRes.headers["content-type"]).to.match(/application\/json/);
  });

  it("execute via /actions/:name/execute and /integrations/:name/action", async () => {
    const body = { type: "query", attachment: { mimetype: "text/csv", extension: "csv", data: "a,b\n1,2\n3,4\n" } };
    for (const path of ["/actions/debug/execute", "/integrations/debug/action"]) {
      const res = await post(path).send(body).expect(200);
      expect(res.body).to.deep.equal({ looker: { success: true, refresh_query: false,
        message: "received 12 bytes, 2 rows" } });
    }
  });

  it("decodes base64 attachments", async () => {
    const data = Buffer.from("x,y\n1,2\n").toString("base64");
    const res = await post("/actions/debug/execute")
      .send({ type: "query", attachment: { mimetype: "text/csv;base64", extension: "csv", data } }).expect(200);
    expect(res.body.looker.message).to.equal("received 8 bytes, 1 rows");
  });

  it("answers clearly when there is no data at all", async () => {
    const res = await post("/actions/debug/execute")
      .send({ type: "query", scheduled_plan: null, attachment: null }).expect(200);
    expect(res.body.looker).to.include({ success: true, message: "received 0 bytes, 0 rows" });
  });

  it("form via /actions/:name/form and /integrations/:name/form", async () => {
    for (const path of ["/actions/with_params/form", "/integrations/with_params/form"]) {
      const res = await post(path).send({}).expect(200);
      expect(res.body.fields.map((f: any) => f.name)).to.deep.equal(["destination", "note"]);
    }
  });

  it("passes params, form values, plan and headers to the integration as a typed request", async () => {
    params.received = [];
    await post("/actions/with_params/execute")
      .set("X-Looker-Instance", "inst-1").set("X-Looker-Webhook-Id", "hook-9")
      .set("User-Agent", "LookerOutgoingWebhook/7.20.0")
      .send({
        type: "query",
        data: { api_key: "k", region: "eu", state_json: "{\"t\":1}", test: "true" },
        form_params: { destination: "d1", note: 5 },
        scheduled_plan: { scheduled_plan_id: 12, title: "Weekly", query_id: "55", type: "Look",
          url: "https://looker.example.com/looks/4", query: { vis_config: { hidden_fields: ["a"] } } },
      }).expect(200);
    const r = params.received[0];
    expect(r.params).to.deep.equal({ api_key: "k", region: "eu" });
    expect(r.formParams).to.deep.equal({ destination: "d1", note: "5" });
    expect(r.state).to.equal("{\"t\":1}");
    expect(r.isTest).to.equal(true);
    expect(r.scheduledPlan).to.include({ scheduledPlanId: "12", title: "Weekly", queryId: "55", type: "Look" });
    expect(r.scheduledPlan!.query).to.deep.equal({ vis_config: { hidden_fields: ["a"] } });
    expect(r.instanceId).to.equal("inst-1");
    expect(r.webhookId).to.equal("hook-9");
    expect(r.lookerVersion).to.deep.equal([7, 20, 0]);
  });

  it("gives a cell action's value to the integration", async () => {
    const res = await post("/actions/debug/execute").send({ type: "cell", data: { value: "héllo" } }).expect(200);
    expect(res.body.looker.message).to.equal("received cell value of 6 bytes");
  });

  it("GET / is a page for people listing the integrations", async () => {
    const res = await request(app).get("/").expect(200).expect("content-type", /text\/html/);
    expect(res.text).to.include("<h1>Test Hub</h1>");
    expect(res.text).to.include("With Params");
    expect(res.text).to.include("Add Action Hub");
    expect(res.text).to.include("https://hub.example.test");
    expect(res.text).to.include("data:image/svg+xml;base64,");
  });

  it("GET /status answers health without a token and without secrets", async () => {
    const res = await request(app).get("/status").expect(200);
    expect(res.body).to.include({ ok: true, integrations: 4 });
    expect(res.body.version).to.match(/^\d+\.\d+\.\d+/);
    expect(res.body.uptime_seconds).to.be.a("number");
    expect(res.body).to.have.property("commit");
    expect(res.text).not.to.include("test-secret");
  });

  it("logs one access line per request with its ids, and no values", async () => {
    await post("/actions/with_params/execute").set("X-Looker-Webhook-Id", "hook-logged")
      .set("X-Looker-Instance", "inst-logged")
      .send({ type: "query", data: { api_key: "sentinel-key-value" }, form_params: { destination: "sentinel-dest" } })
      .expect(200);
    const lines = logs().trim().split("\n").map((l) => JSON.parse(l))
      .filter((l) => l.webhookId === "hook-logged");
    const access = lines.filter((l) => l.message === "request");
    expect(access).to.have.length(1);
    expect(access[0]).to.include({ status: 200, method: "POST", integration: "with_params" });
    expect(access[0].instanceId).to.equal("inst-logged");
    expect(access[0].requestId).to.match(/^[0-9a-f-]{36}$/);
    expect(logs()).not.to.include("sentinel");
    expect(logs()).not.to.match(/Token token/i);
  });
});
