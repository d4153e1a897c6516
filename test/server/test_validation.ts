import { expect } from "chai";
import request from "supertest";
import { authHeader, buildTestApp } from "../helpers/app";
import { withoutRef } from "../helpers/execute";
import { FailingIntegration, ParamsIntegration } from "../helpers/integrations";

describe("validation and failures", () => {
  const params = new ParamsIntegration();
  const { app, logs } = buildTestApp([params, new FailingIntegration()]);
  const post = (path: string) => request(app).post(path).set("Authorization", authHeader());

  it("refuses an unsupported action type before the integration runs", async () => {
    params.received = [];
    const res = await post("/actions/with_params/execute")
      .send({ type: "cell", data: { api_key: "k" }, form_params: { destination: "x" } }).expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(withoutRef(res.body).looker.message).to.equal(
      "With Params cannot deliver cell actions; it supports query. Choose another destination.");
    expect(params.received).to.have.length(0);
  });

  it("names the label of a missing required param", async () => {
    params.received = [];
    const res = await post("/actions/with_params/execute")
      .send({ type: "query", data: { region: "eu", api_key: "  " }, form_params: { destination: "x" } }).expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.include("\"API Key\" is missing");
    expect(res.body.looker.message).to.include("Looker admin");
    expect(params.received).to.have.length(0);
  });

  it("points at missing required form fields with validation_errors", async () => {
    params.received = [];
    const res = await post("/actions/with_params/execute")
      .send({ type: "query", data: { api_key: "k" }, form_params: { note: "n" } }).expect(200);
    expect(withoutRef(res.body).looker).to.deep.include({
      success: false, refresh_query: false,
      message: "Please fill in \"Destination\" before sending.",
      validation_errors: { destination: "Destination is required." },
    });
    expect(params.received).to.have.length(0);
  });

  it("answers an integration's user error as success:false with its message and fields", async () => {
    const res = await post("/actions/failing/execute").send({ type: "query", form_params: { mode: "user" } })
      .expect(200);
    expect(withoutRef(res.body).looker).to.deep.include({ success: false, refresh_query: false,
      message: "Bot is not in #sales: invite it.", validation_errors: { channel: "Invite the bot." } });
  });

  it("answers an internal error 500 with a generic message and the request id, details only in the log", async () => {
    for (const mode of ["internal", "reject"]) {
      const res = await post("/actions/failing/execute").send({ type: "query", form_params: { mode } }).expect(500);
      expect(res.body.looker.success).to.equal(false);
      expect(res.body.looker.message).to.include(res.headers["x-request-id"]);
      expect(res.body.request_id).to.equal(res.headers["x-request-id"]);
      expect(res.text).not.to.include("secret-internal-detail");
      expect(res.text).not.to.include("at ");
    }
    expect(logs()).to.include("secret-internal-detail");
  });

  it("answers a form's user error as a form error, and an internal one as 500 JSON", async () => {
    const user = await post("/actions/failing/form").send({ form_params: { form_mode: "user" } }).expect(200);
    expect(user.body).to.deep.equal({ fields: [], error: "The vendor refused the token; ask your admin." });
    const internal = await post("/actions/failing/form").send({ form_params: { form_mode: "internal" } }).expect(500);
    expect(internal.body.error).to.include(internal.headers["x-request-id"]);
    expect(internal.text).not.to.include("secret-internal-detail");
  });

  it("answers malformed JSON with 400 JSON", async () => {
    for (const path of ["/", "/actions/failing/execute", "/actions/failing/form"]) {
      const res = await post(path).set("Content-Type", "application/json").send("{\"type\": \"query\",").expect(400);
      expect(res.body.success, path).to.equal(false);
      expect(res.body.error, path).to.match(/^The request body is not valid JSON/);
    }
  });

  it("answers bodies of the wrong shape with 400 JSON naming the problem", async () => {
    const cases: Array<[unknown, string]> = [
      [[1, 2], "The request body must be a JSON object."],
      ["\"text\"", "The request body must be a JSON object."],
      [{ type: "bogus" }, "\"type\" must be one of cell, query, dashboard."],
      [{ type: "query", data: [1] }, "\"data\" must be a JSON object."],
      [{ type: "query", form_params: "x" }, "\"form_params\" must be a JSON object."],
      [{ type: "query", scheduled_plan: 5 }, "\"scheduled_plan\" must be a JSON object."],
      [{ type: "query", attachment: "x" }, "\"attachment\" must be a JSON object."],
    ];
    for (const [body, error] of cases) {
      const res = await post("/actions/failing/execute").set("Content-Type", "application/json")
        .send(typeof body === "string" ? body : JSON.stringify(body)).expect(400);
      expect(res.body.error, JSON.stringify(body)).to.equal(error);
    }
  });

  it("treats an empty body as an empty request", async () => {
    const res = await post("/actions/with_params/form").expect(200);
    expect(res.body.fields).to.have.length(2);
  });
});
