// ACTION_WHITELIST, the official hub's name: only the integrations it names are listed, defined,
// shown a form, executed or logged in to; a name the hub does not know stops the start.
import { expect } from "chai";
import request from "supertest";
import { ConfigError } from "../../../src/config";
import { allIntegrations } from "../../../src/integrations";
import { authHeader, buildTestApp, testConfig } from "../../helpers/app";
import { startHubProcess } from "../../helpers/process";

const GOOGLE = { GOOGLE_DRIVE_CLIENT_ID: "drive-client", GOOGLE_DRIVE_CLIENT_SECRET: "drive-secret" };

describe("ACTION_WHITELIST", function() {
  this.timeout(120_000);
  const env = { ...GOOGLE, DEBUG_INTEGRATION: "true", ACTION_WHITELIST: " debug, webhook ,debug" };
  const { app } = buildTestApp(allIntegrations(testConfig(env)), env);

  it("lists only the named integrations", async () => {
    const res = await request(app).post("/").set("Authorization", authHeader()).expect(200);
    expect(res.body.integrations.map((i: any) => i.name).sort()).to.deep.equal(["debug", "webhook"]);
  });

  it("runs the named ones", async () => {
    const res = await request(app).post("/actions/debug/execute").set("Authorization", authHeader())
      .send({ type: "query", attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n" } }).expect(200);
    expect(res.body.looker.success).to.equal(true);
  });

  it("answers every route of another integration as the official hub does: not found", async () => {
    for (const path of ["/actions/slack", "/actions/slack/form", "/actions/slack/execute",
      "/actions/google_drive/form", "/actions/google_drive/oauth_check"]) {
      const res = await request(app).post(path).set("Authorization", authHeader())
        .send({ type: "query", data: {}, form_params: {} });
      expect(res.status, path).to.equal(404);
      expect(res.body.error, path).to.match(/No integration named/);
    }
    const login = await request(app).get("/actions/google_drive/oauth?state=x");
    expect(login.status).to.equal(404);
  });

  it("unset, every integration is offered", () => {
    const every = allIntegrations(testConfig({ ...GOOGLE, DEBUG_INTEGRATION: "true" }));
    expect(every.length).to.be.greaterThan(30);
  });

  it("accepts names registered only with settings (debug, firebase) and retired names", () => {
    const names = allIntegrations(testConfig({ ACTION_WHITELIST: "firebase,debug,kloudio,slack" })).map((i) => i.name);
    expect(names.sort()).to.deep.equal(["kloudio", "slack"]);
  });

  it("refuses names the hub does not have, in one line naming them", () => {
    expect(() => allIntegrations(testConfig({ ACTION_WHITELIST: "slack,slak,queue_action" }))).to.throw(ConfigError,
      /^ACTION_WHITELIST names integrations this hub does not have: slak, queue_action\. Known names: .*slack.*\.$/);
    expect(() => testConfig({ ACTION_WHITELIST: " , " })).to.throw(ConfigError, /ACTION_WHITELIST must list/);
  });

  it("stops a start with an unknown name with one clear line", async () => {
    const hub = startHubProcess([], { PORT: "0", INTEGRATION_SERVICE_SECRET: "prod-secret-0123456789abcdef",
      BASE_URL: "https://hub.example.com", ACTION_WHITELIST: "slack,slak" });
    expect(await hub.exited).to.equal(1);
    const lines = hub.stderr().trim().split("\n");
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^ACTION_WHITELIST names an integration this hub does not have: slak\./);
  });
});
