import { expect } from "chai";
import request from "supertest";
import { loadConfig } from "../../src/config";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { authHeader, buildTestApp } from "../helpers/app";
import { startConsoleHub } from "../helpers/console_hub";
import { ParamsIntegration } from "../helpers/integrations";

const SECRET_VALUE = "sentinel-secret-value-7c1f";

describe("console routes", () => {
  describe("CONSOLE_ENABLED", () => {
    const base = { INTEGRATION_SERVICE_SECRET: "0123456789abcdef0123", BASE_URL: "https://hub.example.test" };
    it("is on in development and off in production and tests unless set", () => {
      expect(loadConfig({ ...base, NODE_ENV: "development" }).console.enabled).to.equal(true);
      expect(loadConfig({ ...base, NODE_ENV: "production" }).console.enabled).to.equal(false);
      expect(loadConfig({ ...base, NODE_ENV: "test" }).console.enabled).to.equal(false);
      expect(loadConfig({ ...base, NODE_ENV: "production", CONSOLE_ENABLED: "true" }).console.enabled).to.equal(true);
      const off = loadConfig({ ...base, NODE_ENV: "development", CONSOLE_ENABLED: "false" });
      expect(off.console.enabled).to.equal(false);
      expect(() => loadConfig({ ...base, CONSOLE_ENABLED: "maybe" })).to.throw(/CONSOLE_ENABLED/);
    });

    it("when off, every console path answers 404 saying how to turn it on, and nothing is kept", async () => {
      const hub = buildTestApp([new DebugIntegration()]);
      const page = await request(hub.app).get("/console").expect(404);
      expect(page.body.error).to.match(/CONSOLE_ENABLED=true/);
      await request(hub.app).post("/console/api/samples").set("Authorization", authHeader()).expect(404);
      await request(hub.app).get("/console/download/abc").expect(404);
    });
  });

  describe("when on", () => {
    const hub = () => buildTestApp([new DebugIntegration(), new ParamsIntegration()], { CONSOLE_ENABLED: "true" });

    it("serves the page and its files with a strict content security policy, no key needed", async () => {
      const { app } = hub();
      const page = await request(app).get("/console").expect(200).expect("content-type", /text\/html/);
      expect(page.text).to.include("<title>Console");
      expect(page.headers["content-security-policy"]).to.include("script-src 'self'");
      await request(app).get("/console/page/app.js").expect(200).expect("content-type", /javascript/);
      await request(app).get("/console/page/style.css").expect(200).expect("content-type", /css/);
      await request(app).get("/console/page/..%2Fsamples.ts").expect(404);
      await request(app).get("/console/page/nothing.js").expect(404);
    });

    it("never weakens the token check: every console POST needs the key", async () => {
      const { app } = hub();
      for (const path of ["/console/api/samples", "/console/api/body", "/console/api/logs/x"]) {
        const res = await request(app).post(path).send({}).expect(403);
        expect(res.body).to.deep.equal({ success: false, error: "Invalid 'Authorization' header." });
      }
    });

    it("lists the samples and the formats", async () => {
      const res = await request(hub().app).post("/console/api/samples").set("Authorization", authHeader()).expect(200);
      expect(res.body.samples.map((s: any) => s.id)).to.deep.equal(["users", "dashboard_pdf", "dashboard_png"]);
      expect(res.body.formats).to.include("json_detail");
    });

    it("builds a json_detail push as Looker sends it (extension json, a JSON string), chosen tags", async () => {
      const res = await request(hub().app).post("/console/api/body").set("Authorization", authHeader()).send({
        type: "query", sample: "users", format: "json_detail", tags: { "users.email": "email, crm_email" },
        params: { api_key: "k" }, formParams: { destination: "x" },
      }).expect(200);
      const body = res.body.body;
      expect(body.type).to.equal("query");
      expect(body.attachment.extension).to.equal("json");
      expect(body.attachment.mimetype).to.equal("application/json");
      const detail = JSON.parse(body.attachment.data);
      const email = detail.fields.dimensions.find((f: any) => f.name === "users.email");
      expect(email.tags).to.deep.equal(["email", "crm_email"]);
      expect(detail.data).to.have.length(5);
      expect(body.data).to.deep.equal({ api_key: "k" });
      expect(body.form_params).to.deep.equal({ destination: "x" });
      expect(body.scheduled_plan.query.fields).to.include("users.email");
    });

    it("builds dashboards as base64 PDF and PNG, and cells with their value", async () => {
      const { app } = hub();
      const pdf = await request(app).post("/console/api/body").set("Authorization", authHeader())
        .send({ type: "dashboard", sample: "dashboard_pdf", format: "wysiwyg_pdf" }).expect(200);
      expect(pdf.body.body.attachment.mimetype).to.equal("application/pdf;base64");
      expect(Buffer.from(pdf.body.body.attachment.data, "base64").subarray(0, 5).toString()).to.equal("%PDF-");
      const png = await request(app).post("/console/api/body").set("Authorization", authHeader())
        .send({ type: "dashboard", sample: "dashboard_png" }).expect(200);
      expect(png.body.body.attachment.extension).to.equal("png");
      expect(Buffer.from(png.body.body.attachment.data, "base64").subarray(1, 4).toString()).to.equal("PNG");
      const cell = await request(app).post("/console/api/body").set("Authorization", authHeader())
        .send({ type: "cell", value: "acme-1042", rendered: "Acme" }).expect(200);
      expect(cell.body.body).to.deep.include({ type: "cell", attachment: null, scheduled_plan: null });
      expect(cell.body.body.data).to.deep.equal({ value: "acme-1042", rendered: "Acme" });
    });

    it("answers a choice that makes no sense with a 400 in words", async () => {
      const { app } = hub();
      const cases: Array<[unknown, RegExp]> = [
        [{ type: "query", sample: "nope" }, /no sample named "nope"/],
        [{ type: "query", sample: "users", format: "wysiwyg_png" }, /comes in .*not "wysiwyg_png"/],
        [{ type: "query", file: { base64: "YQ==" } }, /which Looker format/],
        [{ type: "sideways" }, /"type" must be one of/],
        [[1, 2], /JSON object/],
      ];
      for (const [choice, message] of cases) {
        const res = await request(app).post("/console/api/body").set("Authorization", authHeader())
          .send(choice as object);
        expect(res.status, JSON.stringify(choice)).to.equal(400);
        expect(res.body.error).to.match(message);
      }
    });

    it("delivers every row format of the users sample: the hub's row readers find 5 rows", async () => {
      const { app } = hub();
      const formats = ["json_detail", "json_detail_lite_stream", "csv", "json", "json_label", "inline_json", "txt"];
      for (const format of formats) {
        const built = await request(app).post("/console/api/body").set("Authorization", authHeader())
          .send({ type: "query", sample: "users", format }).expect(200);
        const res = await request(app).post("/actions/debug/execute").set("Authorization", authHeader())
          .send(built.body.body).expect(200);
        expect(res.body.looker.message, format).to.match(/, 5 rows$/);
      }
    });

    it("uses the version selector's header for the list only while the console is on", async () => {
      const on = buildTestApp([new ParamsIntegration()], { CONSOLE_ENABLED: "true" });
      const off = buildTestApp([new ParamsIntegration()]);
      const formats = async (app: any) => (await request(app).post("/").set("Authorization", authHeader())
        .set("X-Console-Looker-Version", "6.0.0").expect(200)).body.integrations[0].supported_formats;
      expect(await formats(on.app)).to.deep.equal(["json_detail"]);
      expect(await formats(off.app)).to.deep.equal(["json_detail_lite_stream"]);
      // Looker's own User-Agent always wins.
      const looker = await request(on.app).post("/").set("Authorization", authHeader())
        .set("User-Agent", "LookerOutgoingWebhook/25.10.0").set("X-Console-Looker-Version", "6.0.0").expect(200);
      expect(looker.body.integrations[0].supported_formats).to.deep.equal(["json_detail_lite_stream"]);
    });

    it("keeps the log lines of a request by its id, as logged, without param or form values", async () => {
      const { app, logs } = hub();
      const res = await request(app).post("/actions/with_params/execute").set("Authorization", authHeader())
        .send({ type: "query", data: { api_key: SECRET_VALUE }, form_params: { destination: SECRET_VALUE } })
        .expect(200);
      const id = res.headers["x-request-id"];
      const ring = await request(app).post(`/console/api/logs/${id}`).set("Authorization", authHeader()).expect(200);
      expect(ring.body.lines.length).to.be.greaterThan(0);
      expect(ring.body.lines.join("\n")).to.include("delivery finished");
      for (const line of ring.body.lines) { expect(logs()).to.include(line); }
      expect(JSON.stringify(ring.body)).not.to.include(SECRET_VALUE);
      const unknown = await request(app).post("/console/api/logs/unknown").set("Authorization", authHeader())
        .expect(200);
      expect(unknown.body).to.deep.equal({ lines: [], dropped: 0 });
    });
  });

  describe("logins (the console as Looker's state_url and state_redir_url)", () => {
    const hub = () => buildTestApp([new DebugIntegration()], { CONSOLE_ENABLED: "true" });

    it("hands out one-time slots; what the hub POSTs to a slot's state_url is taken once, with the key", async () => {
      const { app } = hub();
      const opened = await request(app).post("/console/api/oauth-slot").set("Authorization", authHeader()).expect(200);
      const { slot, state_url: stateUrl, state_redir_url: redirUrl } = opened.body;
      expect(stateUrl).to.equal(`https://hub.example.test/console/oauth/state/${slot}`);
      expect(redirUrl).to.equal(`https://hub.example.test/console/oauth/redirect/${slot}`);
      const take = () => request(app).post(`/console/api/oauth/${slot}`).set("Authorization", authHeader()).expect(200);
      expect((await take()).body).to.deep.equal({ status: "pending" });
      // The hub's login flow posts here without a key: the slot is the credential.
      await request(app).post(new URL(stateUrl).pathname).send({ sealed: "lis1.x.y" }).expect(200);
      await request(app).post(new URL(stateUrl).pathname).send({ sealed: "again" }).expect(404);
      expect((await take()).body).to.deep.equal({ status: "state", state: "{\"sealed\":\"lis1.x.y\"}" });
      expect((await take()).body).to.deep.equal({ status: "unknown" });
      await request(app).post(`/console/api/oauth/${slot}`).expect(403);
    });

    it("takes a v2 sealed code at state_redir_url with a page for the browser; refuses unknown slots", async () => {
      const { app } = hub();
      const { slot } = (await request(app).post("/console/api/oauth-slot").set("Authorization", authHeader())).body;
      const landed = await request(app).get(`/console/oauth/redirect/${slot}?state=lis1.code`).expect(200);
      expect(landed.text).to.include("Login received");
      expect(landed.headers["cache-control"]).to.equal("no-store");
      const taken = await request(app).post(`/console/api/oauth/${slot}`).set("Authorization", authHeader());
      expect(taken.body).to.deep.equal({ status: "code", code: "lis1.code" });
      await request(app).get(`/console/oauth/redirect/${slot}?state=lis1.code`).expect(404);
      await request(app).post("/console/oauth/state/never-opened").send({ sealed: "x" }).expect(404);
      await request(app).post("/console/oauth/state/x/y").send({}).expect(403);
    });

    it("refuses a state far larger than the 32 KB Looker keeps", async () => {
      const { app } = hub();
      const { slot } = (await request(app).post("/console/api/oauth-slot").set("Authorization", authHeader())).body;
      await request(app).post(`/console/oauth/state/${slot}`).send({ sealed: "x".repeat(70 * 1024) }).expect(413);
    });

    it("is not there while the console is off: the state_url path needs the key like every POST", async () => {
      const off = buildTestApp([new DebugIntegration()]);
      await request(off.app).post("/console/oauth/state/abc").send({}).expect(403);
    });
  });

  describe("url deliveries", () => {
    it("serves the sample on a one-time URL of the hub itself, which the hub then downloads", async () => {
      const hub = await startConsoleHub([new DebugIntegration()]);
      try {
        const auth = `Token token="${hub.key}"`;
        const built = await request(hub.url).post("/console/api/body").set("Authorization", auth)
          .send({ type: "query", sample: "users", format: "csv", download: "url" }).expect(200);
        const body = built.body.body;
        expect(body.attachment).to.equal(null);
        expect(body.form_params.format).to.equal("csv");
        expect(body.scheduled_plan.download_url).to.equal(built.body.download_url);
        expect(built.body.download_url.startsWith(`${hub.url}/console/download/`)).to.equal(true);
        const res = await request(hub.url).post("/actions/debug/execute").set("Authorization", auth).send(body)
          .expect(200);
        expect(res.body.looker).to.deep.include({ success: true });
        expect(res.body.looker.message).to.match(/, 5 rows$/);
        // Used once: a second download is refused.
        const again = await request(hub.url).get(new URL(built.body.download_url).pathname).expect(404);
        expect(again.body.error).to.match(/used already/);
      } finally {
        await hub.close();
      }
    });
  });
});
