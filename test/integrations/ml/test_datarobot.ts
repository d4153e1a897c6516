// datarobot through the real app against a fake DataRobot: the project is created from Looker's
// download URL (DataRobot reads it, the hub never does), and a refused token or a Looker DataRobot
// cannot reach is told clearly. The official hub's test_datarobot.ts cases are named where matched.
import { expect } from "chai";
import request from "supertest";
import { DataRobotIntegration } from "../../../src/integrations/datarobot/datarobot";
import { DATAROBOT_TOKEN, FakeDataRobot } from "../../fakes/datarobot_api";
import { DownloadServer, startDownloadServer } from "../../fakes/download_server";
import { authHeader, buildTestApp, TestApp, testConfig } from "../../helpers/app";
import { LOOKER_HEADERS, PLAN, withoutRef } from "../../helpers/execute";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";

const CSV = "Users Email,Orders Total\nada@example.com,12\nbob@example.com,7\n";

describe("datarobot", () => {
  let datarobot: FakeDataRobot;
  let looker: DownloadServer;
  let hub: TestApp;
  let env: Record<string, string>;

  before(async () => {
    datarobot = await new FakeDataRobot().start();
    looker = await startDownloadServer((req, res) => {
      if (req.url === "/gone") { return void res.writeHead(404).end("expired"); }
      res.writeHead(200, { "content-type": "text/csv" }).end(CSV);
    });
    env = { ...FAST_HTTP_ENV, DATAROBOT_URL: datarobot.url, DATAROBOT_WAIT_SECONDS: "2",
      DATAROBOT_POLL_SECONDS: "0.02" };
    hub = build(env);
  });
  after(async () => { await datarobot.stop(); await looker.close(); });
  beforeEach(() => { datarobot.downloadDelayMs = 0; datarobot.unavailable = 0; });

  function build(settings: Record<string, string>): TestApp {
    const config = testConfig(settings);
    return buildTestApp([new DataRobotIntegration(testHttpClient(settings), { url: config.ml.dataRobotUrl,
      waitMs: config.ml.dataRobotWaitMs, pollMs: config.ml.dataRobotPollMs })], settings);
  }
  const post = (app: TestApp, path: string, body: unknown) =>
    request(app.app).post(path).set("Authorization", authHeader()).set(LOOKER_HEADERS).send(body as object);
  const execute = (data: Record<string, string>, form: Record<string, string> = {}, url = `${looker.url}/data`) =>
    post(hub, "/actions/datarobot/execute", { type: "query", data, form_params: { format: "csv", ...form },
      scheduled_plan: { ...PLAN, download_url: url } });

  it("is declared as the official hub's: its params, csv at a download URL, Looker 5.24 and later", async () => {
    const list = await post(hub, "/", {}).set("User-Agent", "LookerOutgoingWebhook/5.24.0");
    const def = list.body.integrations.find((i: any) => i.name === "datarobot");
    expect(def).to.include({ label: "DataRobot - Create New Project",
      form_url: "https://hub.example.test/actions/datarobot/form" });
    expect(def.params.map((p: any) => [p.name, p.required, p.sensitive])).to.deep.equal(
      [["datarobot_api_token", true, true], ["datarobot_url", false, false]]);
    expect(def).to.deep.include({ supported_formats: ["csv"], supported_download_settings: ["url"],
      supported_action_types: ["query"], supported_formattings: ["unformatted"],
      supported_visualization_formattings: ["noapply"] });
    const older = await post(hub, "/", {}).set("User-Agent", "LookerOutgoingWebhook/5.22.0");
    expect(older.body.integrations).to.deep.equal([]);
  });

  // Official: "has form with projectName param".
  it("form: the project name, once DataRobot accepts the token", async () => {
    const res = await post(hub, "/actions/datarobot/form", { data: { datarobot_api_token: DATAROBOT_TOKEN } })
      .expect(200);
    expect(res.body.fields).to.deep.equal([{ name: "projectName", label: "The name of the project to be created",
      type: "string", required: false, description: "Empty: the schedule's title." }]);
    const asked = datarobot.requests[datarobot.requests.length - 1];
    expect(asked).to.include({ method: "GET", path: "/api/v2/projects/", authorization: `Token ${DATAROBOT_TOKEN}` });
  });

  it("form: no token, a refused token, a URL that is not DataRobot's or not a URL, each a clear error", async () => {
    const none = await post(hub, "/actions/datarobot/form", { data: {} });
    expect(none.body.error).to.match(/No DataRobot API token is set for you/);
    const wrong = await post(hub, "/actions/datarobot/form", { data: { datarobot_api_token: "stale" } });
    expect(wrong.body.error).to.match(/^DataRobot refused the API token \(HTTP 401\) while checking the API token/);
    const notDr = await post(hub, "/actions/datarobot/form", { data: { datarobot_api_token: DATAROBOT_TOKEN,
      datarobot_url: `${looker.url}/somewhere` } });
    expect(notDr.body.error).to.match(/^The DataRobot URL does not lead to DataRobot.s API/);
    const garbage = await post(hub, "/actions/datarobot/form", { data: { datarobot_api_token: DATAROBOT_TOKEN,
      datarobot_url: "ftp://x y" } });
    expect(garbage.body.error).to.match(/is not a web address/);
  });

  it("form: the admin's datarobot_url is a typed URL, checked by the private-address guard", async () => {
    const guarded = build({ ...env, ALLOW_PRIVATE_URLS: "false" });
    const res = await post(guarded, "/actions/datarobot/form", { data: { datarobot_api_token: DATAROBOT_TOKEN,
      datarobot_url: datarobot.url } });
    expect(res.body.error).to.match(/private|not allowed|internal/i);
    // The operator's DATAROBOT_URL is trusted.
    const own = await post(guarded, "/actions/datarobot/form", { data: { datarobot_api_token: DATAROBOT_TOKEN } });
    expect(own.body.fields).to.have.length(1);
  });

  // Official: "sends the right body with URL".
  it("creates the project from Looker's download URL: token header, {projectName, url}; DataRobot reads the data",
    async () => {
      const before = looker.requests.length;
      const res = await execute({ datarobot_api_token: DATAROBOT_TOKEN }, { projectName: "DR Project from Looker" })
        .expect(200);
      expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
      const sent = datarobot.creations.pop()!;
      expect(sent.authorization).to.equal(`Token ${DATAROBOT_TOKEN}`);
      expect(sent.body).to.deep.equal({ projectName: "DR Project from Looker", url: `${looker.url}/data` });
      const project = [...datarobot.projects.values()].find((p) => p.projectName === "DR Project from Looker")!;
      expect(project.data!.toString()).to.equal(CSV);
      expect(res.body.looker.message).to.equal(`Created DataRobot project "DR Project from Looker" (${project.id}) ` +
        "from Looker's data.");
      // Only DataRobot read the one-time link.
      expect(looker.requests.length - before).to.equal(1);
    });

  it("names the project after the schedule when the form leaves it empty; the admin's URL is followed", async () => {
    const res = await execute({ datarobot_api_token: DATAROBOT_TOKEN, datarobot_url: `${datarobot.url}/some/page` })
      .expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(datarobot.creations.pop()!.body.projectName).to.equal("Weekly revenue");
  });

  it("a refused token: success false, saying what to check, and nothing created", async () => {
    const before = datarobot.projects.size;
    const res = await execute({ datarobot_api_token: "revoked" }).expect(200);
    expect(withoutRef(res.body).looker).to.include({ success: false });
    expect(res.body.looker.message).to.match(
      /^DataRobot refused the API token \(HTTP 401\) while creating the project\. Check the DataRobot API token/);
    expect(datarobot.projects.size).to.equal(before);
  });

  it("a Looker DataRobot cannot reach, or a link already used: success false with DataRobot's reason", async () => {
    const far = await execute({ datarobot_api_token: DATAROBOT_TOKEN }, {},
      "https://looker.internal.example/api/internal/download/abc").expect(200);
    expect(far.body.looker.success).to.equal(false);
    expect(far.body.looker.message).to.match(new RegExp("^DataRobot could not create the project: \"Unable to " +
      "retrieve data from url: could not connect to looker\\.internal\\.example\"\\. .*must reach your Looker"));
    const used = await execute({ datarobot_api_token: DATAROBOT_TOKEN }, {}, `${looker.url}/gone`).expect(200);
    expect(used.body.looker.message).to.match(/HTTP 404/);
  });

  it("a DataRobot still reading after the wait: success, saying the project comes when it is done", async () => {
    datarobot.downloadDelayMs = 3000;
    const res = await execute({ datarobot_api_token: DATAROBOT_TOKEN }, { projectName: "Slow" }).expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(res.body.looker.message).to.equal(
      "DataRobot accepted the data for project \"Slow\" and is still reading it after 2 s; the project appears in " +
      "DataRobot when it is done.");
  });

  it("a DataRobot briefly down is asked again; one that stays down is a clear failure", async () => {
    datarobot.unavailable = 1;
    expect((await execute({ datarobot_api_token: DATAROBOT_TOKEN }).expect(200)).body.looker.success).to.equal(true);
    datarobot.unavailable = 5;
    const res = await execute({ datarobot_api_token: DATAROBOT_TOKEN }).expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.match(
      /^DataRobot could not be reached or kept failing while creating the project/);
  });

  it("a delivery without a download link (a push) is refused clearly, DataRobot not called", async () => {
    const before = datarobot.requests.length;
    const res = await post(hub, "/actions/datarobot/execute", { type: "query", data: {
      datarobot_api_token: DATAROBOT_TOKEN }, attachment: { mimetype: "text/csv", extension: "csv", data: CSV } });
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.match(/reads the data from Looker's download link/);
    expect(datarobot.requests.length).to.equal(before);
  });

  it("without the token param: Looker's admin is asked to set it, DataRobot not called", async () => {
    const res = await execute({}).expect(200);
    expect(res.body.looker.message).to.match(/is not set up: "Authentication User Attribute" is missing/);
  });
});
