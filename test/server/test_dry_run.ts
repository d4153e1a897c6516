// Dry runs (X-Hub-Dry-Run: true) in detail: a file destination reports Looker's data, a row
// destination maps every row and reports what would go and what would be rejected, and the
// shared HTTP client refuses any call that may write while a dry run is under way.
import { expect } from "chai";
import request from "supertest";
import { BrazeIntegration } from "../../src/integrations/braze/braze";
import { WebhookIntegration } from "../../src/integrations/webhook/webhook";
import { DiscordIntegration } from "../../src/integrations/discord/discord";
import { WEBHOOK_DRY_RUN_CHECKS } from "../../src/families/webhook/webhook_preflight";
import { closedPort } from "../fakes/closed_port";
import { DiscordFake } from "../fakes/discord_api";
import { HttpClient } from "../../src/lib/http_client";
import { CrmSettings } from "../../src/config/crm";
import { DryRunWriteError, masked, readOnlySql, withDryRun } from "../../src/lib/dry_run";
import { BRAZE_KEY, FakeBraze } from "../fakes/braze_api";
import { HttpReceiver, loopbackLookup } from "../fakes/http_receiver";
import { authHeader, buildTestApp } from "../helpers/app";
import { LOOKER_HEADERS, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";
import { cells, crmApp, detail, executeBody } from "../integrations/crm/helpers";
import { segmentIntegrations } from "../../src/integrations/segment/segment";
import { FakeSegmentApi } from "../fakes/segment_api";
import { lookerAttachment } from "../helpers/looker_payloads";

async function dryRun(app: any, name: string, body: unknown) {
  const res = await request(app).post(`/actions/${name}/execute`).set("Authorization", authHeader())
    .set(LOOKER_HEADERS).set("X-Hub-Dry-Run", "true").send(body as object);
  expect(res.status).to.equal(200);
  return res.body.looker;
}

describe("dry runs", () => {
  describe("a file destination (webhook)", () => {
    let receiver: HttpReceiver;
    beforeEach(async () => { receiver = await new HttpReceiver().start(); });
    afterEach(async () => { await receiver.stop(); });

    it("tries the URL with HEAD and reads Looker's data, reported masked; the receiver gets no POST", async () => {
      const { app } = buildTestApp([new WebhookIntegration(testHttpClient({}, loopbackLookup()))]);
      const looker = await dryRun(app, "webhook", { type: "query", form_params: { url: receiver.url("/in") },
        attachment: { mimetype: "text/csv", extension: "csv", data: "name,city\nZoë,Zürich\nBob,Berlin\n" } });
      expect(looker.success).to.equal(true);
      expect(looker.message).to.equal("Dry run, nothing was sent to Webhook: the URL's server (127.0.0.1) answered a " +
        "HEAD request with 200: the address is reachable and the URL exists (a HEAD writes nothing; that it takes the " +
        "delivery's POST is not proven); it would get Looker's csv data, 34 bytes, " +
        "2 rows. First row (values masked): {\"name\":\"Z•• (3 characters)\",\"city\":\"Z••••• (6 characters)\"}. " +
        `Checked: ${WEBHOOK_DRY_RUN_CHECKS}; the form as Looker would show it with these settings (where it lists the ` +
        "vendor's channels, buckets or lists, the settings work and every choice is among them).");
      expect(looker.dry_run).to.deep.include({ integration: "webhook", format: "csv", bytes: 34, rows: 2 });
      expect(receiver.received.map((r) => `${r.method} ${r.path}`)).to.deep.equal(["HEAD /in"]);
      // Counted apart from deliveries.
      const metrics = (await request(app).get("/metrics")).text;
      expect(metrics).to.include("hub_deliveries_total{integration=\"webhook\",outcome=\"dry_run\"} 1");
      expect(metrics).not.to.include("hub_deliveries_total{integration=\"webhook\",outcome=\"success\"}");
    });

    it("says plainly when the receiver refuses HEAD (POST only): reachable, the URL itself not proven", async () => {
      receiver.reply({ status: 405, body: "Method Not Allowed" });
      const { app } = buildTestApp([new WebhookIntegration(testHttpClient({}, loopbackLookup()))]);
      const looker = await dryRun(app, "webhook", { type: "query", form_params: { url: receiver.url("/hooks/abc") },
        attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n" } });
      expect(looker.success, looker.message).to.equal(true);
      expect(looker.message).to.include("answered a HEAD request with 405: the address is reachable, but receivers " +
        "that take only POST refuse a HEAD, so the URL itself (its path or token) is not proven; only the delivery's " +
        "POST would prove it, and a POST may write, so the dry run sends none");
      expect(receiver.received.map((r) => r.method)).to.deep.equal(["HEAD"]);
    });

    it("fails as the delivery would when the URL's server cannot be reached", async () => {
      const port = await closedPort();
      const { app } = buildTestApp([new WebhookIntegration(testHttpClient({ HTTP_MAX_ATTEMPTS: "1" }, loopbackLookup()))]);
      const looker = await dryRun(app, "webhook", { type: "query", form_params: { url: `http://127.0.0.1:${port}/in` },
        attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n" } });
      expect(looker.success).to.equal(false);
      expect(looker.message).to.match(/refused|connect/i);
    });

    it("still refuses what a delivery would refuse (the form's URL missing)", async () => {
      const { app } = buildTestApp([new WebhookIntegration(testHttpClient({}, loopbackLookup()))]);
      const looker = await dryRun(app, "webhook", { type: "query", form_params: {},
        attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n" } });
      expect(looker.success).to.equal(false);
      expect(looker.validation_errors).to.have.property("url");
    });
  });

  describe("Discord: its documented read of the webhook URL", () => {
    let discord: DiscordFake;
    beforeEach(async () => { discord = await new DiscordFake().start(); });
    afterEach(async () => { await discord.stop(); });
    const app = () => buildTestApp([new DiscordIntegration(testHttpClient(),
      { domains: ["discord.com"], maxFileBytes: 1024 })]).app;
    const body = (url: string) => ({ type: "query", scheduled_plan: PLAN, form_params: { url },
      attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n" } });

    it("reads the webhook with Get Webhook with Token (a GET); a wrong token fails as the delivery would", async () => {
      const ok = await dryRun(app(), "discord", body(discord.webhookUrl("discord.com")));
      expect(ok.success, ok.message).to.equal(true);
      expect(ok.message).to.match(/^Dry run, nothing was sent to Discord: Discord knows the webhook: its "Get Webhook with Token" \(a GET\) answered 200; it would get/);
      const wrong = await dryRun(app(), "discord", body(discord.webhookUrl("discord.com").replace(/[^/]+$/, "nope")));
      expect(wrong.success).to.equal(false);
      expect(wrong.message).to.match(/^Dry run: Discord answered "Get Webhook with Token" \(a GET of the URL, which writes nothing\) with 401: the webhook's id or token in the URL is wrong/);
      expect(wrong.validation_errors).to.have.property("url");
      expect(discord.received.map((r) => r.method)).to.deep.equal(["GET", "GET"]);
      expect(discord.messages).to.have.length(0);
    });
  });

  describe("a row destination (Braze)", () => {
    let fake: FakeBraze;
    beforeEach(async () => { fake = await new FakeBraze().start(); });
    afterEach(async () => { await fake.stop(); });

    it("maps every row: what would be sent, what would be rejected and why, the first record masked", async () => {
      const app = crmApp((http: HttpClient, settings: CrmSettings) => [new BrazeIntegration(http, settings)],
        { BRAZE_ENDPOINT_DOMAINS: "braze.com" });
      const fields = { dimensions: [{ name: "users.id", tags: ["braze_id"] }, { name: "users.plan", tags: ["braze[plan]"] }] };
      const rows = cells([{ "users.id": "u-1", "users.plan": "pro" }, { "users.id": null, "users.plan": "free" },
        { "users.id": "u-3", "users.plan": "pro" }]);
      const looker = await dryRun(app.app, "braze", executeBody(detail(fields, rows), {
        params: { braze_api_key: BRAZE_KEY, braze_api_endpoint: `http://rest.iad-01.braze.com:${new URL(fake.url).port}` },
        formParams: { braze_key: "braze_id", braze_segment: "SPRING" } }));
      expect(looker.success, looker.message).to.equal(true);
      expect(looker.message).to.match(/^Dry run, nothing was sent to Braze: 3 rows read; 2 would be sent to Braze as users; 1 rejected: /);
      expect(looker.dry_run).to.deep.include({ integration: "braze", rows: 3, would_send: 2, would_reject: 1 });
      expect(JSON.stringify(looker.dry_run.first_record)).not.to.include("u-1").and.not.to.include("pro\"");
      expect(fake.tracked).to.have.length(0);
    });
  });

  describe("Segment", () => {
    let segment: FakeSegmentApi;
    beforeEach(async () => { segment = await new FakeSegmentApi().start(); });
    afterEach(async () => { await segment.stop(); });

    it("maps every row to its message as a delivery would, sends nothing (a wrong write key is not tried)", async () => {
      const { app } = buildTestApp(segmentIntegrations({ apiHost: segment.url, appName: "hub", appVersion: "1",
        senderKind: "batch", http: testHttpClient() }));
      const looker = await dryRun(app, "segment_event", { type: "query", data: { segment_write_key: "wrong-key" },
        attachment: lookerAttachment("json_detail_lite_stream", { fields: { dimensions: [
          { name: "users.id", tags: ["user_id"] }, { name: "users.city" }] },
        data: [{ "users.id": { value: "u1" }, "users.city": { value: "Leeds" } },
          { "users.id": { value: null }, "users.city": { value: "Oslo" } }] }) });
      expect(looker.success, looker.message).to.equal(true);
      expect(looker.message, looker.message).to.match(/^Dry run, nothing was sent to Segment: 2 rows read; 2 rows would be sent as identify calls\. First message/);
      expect(looker.dry_run).to.deep.include({ integration: "segment_event", rows: 2, would_send: 2, would_reject: 0 });
      expect(looker.dry_run.first_record).to.deep.include({ userId: "u• (2 characters)", timestamp: "<date>",
        traits: { "users.city": "L•••• (5 characters)" } });
      expect(segment.batches).to.have.length(0);
    });
  });

  describe("the shared HTTP client", () => {
    it("refuses a call that may write during a dry run, and lets reads and read-only calls through", async () => {
      const receiver = await new HttpReceiver().start();
      try {
        const http = testHttpClient({}, loopbackLookup());
        await withDryRun(async () => {
          let refused: unknown;
          await http.request({ url: receiver.url("/x"), method: "POST", body: "{}" }).catch((err) => { refused = err; });
          expect(refused).to.be.instanceOf(DryRunWriteError);
          expect((refused as Error).message).to.match(/^Dry run: this integration was about to call 127\.0\.0\.1 with POST/);
          await http.request({ url: receiver.url("/read"), method: "GET" });
          await http.request({ url: receiver.url("/search"), method: "POST", body: "{}", readOnly: true });
        });
        expect(receiver.received.map((r) => `${r.method} ${r.path}`)).to.deep.equal(["GET /read", "POST /search"]);
        // Outside a dry run, a POST goes as always.
        await http.request({ url: receiver.url("/after"), method: "POST", body: "{}" });
        expect(receiver.received).to.have.length(3);
      } finally {
        await receiver.stop();
      }
    });
  });

  it("lets through a POST-only SQL API only SELECT 1 and DESCRIBE TABLE of one name, alone (the SQL exception)", () => {
    for (const reads of ["SELECT 1", "select 1", "DESCRIBE TABLE ORDERS", "DESCRIBE TABLE DB.PUBLIC.ORDERS",
      "describe table \"My \"\"odd\"\"; table\"", "DESCRIBE TABLE \"A\".B.\"c.d\""]) {
      expect(readOnlySql(reads), reads).to.equal(true);
    }
    for (const writes of ["SELECT 1; DROP TABLE X", "DESCRIBE TABLE X; DROP TABLE X", "DESCRIBE TABLE \"a\"; DROP TABLE \"b\"",
      "DESCRIBE TABLE X\nDROP TABLE X", "DESCRIBE TABLE A.B.C.D", "SELECT 2", "SELECT * FROM T", "INSERT INTO T VALUES (1)",
      "CREATE TABLE T (A INT)", "DESCRIBE TABLE X -- c", "CALL P()", " SELECT 1", "SELECT 1\n"]) {
      expect(readOnlySql(writes), writes).to.equal(false);
    }
  });

  it("masks values: keys kept, each value's first character and length, numbers and booleans by kind", () => {
    expect(masked({ email: "ann@example.com", n: 5, ok: true, none: null, list: ["ab"], nested: { x: "y" } }))
      .to.deep.equal({ email: "a•••••••• (15 characters)", n: "<number>", ok: "<boolean>", none: null,
        list: ["a• (2 characters)"], nested: { x: "•" } });
  });
});
