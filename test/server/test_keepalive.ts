import { expect } from "chai";
import { withoutRef } from "../helpers/execute";
import request from "supertest";
import { authHeader, buildTestApp } from "../helpers/app";
import { FailingIntegration } from "../helpers/integrations";

describe("keep-alive", () => {
  const { app } = buildTestApp([new FailingIntegration()], { KEEPALIVE_INTERVAL_SECONDS: "0.05" });

  it("writes newlines while a delivery runs, then the JSON answer", async () => {
    const res = await request(app).post("/actions/failing/execute").set("Authorization", authHeader())
      .send({ type: "query", form_params: { mode: "sleep" } }).buffer(true).parse((r, done) => {
        let received = "";
        r.on("data", (c: Buffer) => { received += c.toString(); });
        r.on("end", () => done(null, received));
      }).expect(200);
    const text = res.body as string;
    expect(text).to.match(/^\n{2,}\{/);
    expect(JSON.parse(text)).to.deep.equal({ looker: { success: true, refresh_query: false, message: "slept" } });
  });

  it("still answers a failure as JSON once the status is committed", async () => {
    const app2 = buildTestApp([new FailingIntegration()], { KEEPALIVE_INTERVAL_SECONDS: "0.01" }).app;
    const res = await request(app2).post("/actions/failing/execute").set("Authorization", authHeader())
      .send({ type: "query", form_params: { mode: "slow-user" } }).expect(200);
    expect(res.text).to.match(/^\n+\{/);
    expect(withoutRef(JSON.parse(res.text)).looker).to.include({ success: false, message: "Slow failure." });
  });

  it("writes nothing extra when the answer is quick", async () => {
    const quick = buildTestApp([new FailingIntegration()]).app;
    const res = await request(quick).post("/actions/failing/execute").set("Authorization", authHeader())
      .send({ type: "query", form_params: { mode: "user" } }).expect(200);
    expect(res.text.startsWith("{")).to.equal(true);
  });
});
