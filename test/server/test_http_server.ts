import { expect } from "chai";
import express from "express";
import * as http from "http";
import { AddressInfo } from "net";
import request from "supertest";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { createHubServer } from "../../src/server/http_server";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";

async function listening(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("the hub's HTTP server", () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => {
      s.closeAllConnections();
      s.close(resolve);
    })));
  });

  it("builds requests and answers with the app's prototypes in place, so Express's init changes none", async () => {
    const app = express();
    app.get("/x", (req, answer) => { answer.json({ header: req.get("x-a"), path: req.path }); });
    const server = createHubServer(app, testConfig());
    servers.push(server);
    const seen: boolean[] = [];
    server.prependListener("request", (req: http.IncomingMessage, answer: http.ServerResponse) => {
      seen.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(answer) === app.response &&
        req instanceof http.IncomingMessage && answer instanceof http.ServerResponse);
    });
    const res = await request(await listening(server)).get("/x").set("X-A", "b").expect(200);
    expect(res.body).to.deep.equal({ header: "b", path: "/x" });
    expect(seen).to.deep.equal([true]);
  });

  it("serves the hub's routes: a cell action, a form, the status and a refusal", async () => {
    const { app, config } = buildTestApp([new DebugIntegration()]);
    const server = createHubServer(app, config);
    servers.push(server);
    const url = await listening(server);
    const cell = await request(url).post("/actions/debug/execute").set("Authorization", authHeader())
      .send({ type: "cell", data: { value: "acme" }, form_params: {} }).expect(200);
    expect(cell.body.looker.success).to.equal(true);
    const form = await request(url).post("/actions/debug/form").set("Authorization", authHeader())
      .send({ data: {}, form_params: {} }).expect(200);
    expect(JSON.stringify(form.body)).to.include('"sleep"');
    expect((await request(url).get("/status").expect(200)).body.ok).to.equal(true);
    await request(url).post("/actions/debug/form").set("Authorization", 'Token token="a/b"').expect(403);
  });
});
