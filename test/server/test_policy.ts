// The delivery policy (POLICY_FILE) through the real app: each rule kind and action, against a
// webhook receiver (files as Looker made them) and Segment (rows), both on 127.0.0.1.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import request from "supertest";
import { WebhookIntegration } from "../../src/integrations/webhook/webhook";
import { segmentIntegrations } from "../../src/integrations/segment/segment";
import { hashedValue } from "../../src/data/rows/policed_delivery";
import { HttpReceiver, loopbackLookup } from "../fakes/http_receiver";
import { FakeSegmentApi } from "../fakes/segment_api";
import { authHeader, buildTestApp, TestApp } from "../helpers/app";
import { execute, form, LOOKER_HEADERS } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";
import { lookerAttachment, urlBody } from "../helpers/looker_payloads";
import { startDownloadServer } from "../fakes/download_server";

const FIELDS = {
  dimensions: [
    { name: "users.id", tags: ["user_id"] },
    { name: "users.email", tags: ["email", "PII"] },
    { name: "users.city", tags: [] },
  ],
  measures: [{ name: "orders.count", tags: [] }],
};
const ROWS = [
  { "users.id": { value: 1 }, "users.email": { value: " Ann@Example.com", rendered: "Ann@Example.com" },
    "users.city": { value: "Leeds" }, "orders.count": { value: 5 } },
  { "users.id": { value: 2 }, "users.email": { value: null }, "users.city": { value: "Oslo" }, "orders.count": { value: 2 } },
];
const DETAIL = { ran_at: "2026-12-07T10:00:00Z", fields: FIELDS, data: ROWS };

function policyFile(policy: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-")), "policy.json");
  fs.writeFileSync(file, typeof policy === "string" ? policy : JSON.stringify(policy, null, 2));
  return file;
}

describe("delivery policy (POLICY_FILE)", () => {
  let receiver: HttpReceiver;
  let segment: FakeSegmentApi;
  beforeEach(async () => {
    receiver = await new HttpReceiver().start();
    segment = await new FakeSegmentApi().start();
  });
  afterEach(async () => {
    await receiver.stop();
    await segment.stop();
  });

  function hub(policy: unknown): TestApp {
    const http = testHttpClient({}, loopbackLookup());
    return buildTestApp([
      new WebhookIntegration(http),
      ...segmentIntegrations({ apiHost: segment.url, appName: "hub", appVersion: "1", senderKind: "batch",
        http: testHttpClient({ HTTP_MAX_ATTEMPTS: "2" }), sender: { retryDelay: () => 5 } }),
    ], { POLICY_FILE: policyFile(policy) });
  }

  const toWebhook = (format: "json_detail_lite_stream" | "csv" = "json_detail_lite_stream", data: unknown = DETAIL) => ({
    type: "query", form_params: { url: receiver.url("/in") },
    attachment: lookerAttachment(format, data),
  });
  const toSegment = (params: Record<string, string> = {}) => ({
    type: "query", data: { segment_write_key: "test-write-key", ...params },
    attachment: lookerAttachment("json_detail_lite_stream", DETAIL),
  });

  describe("fields", () => {
    it("refuses a delivery with a field carrying the tag: nothing sent, the field, tag and rule named, counted", async () => {
      const app = hub({ fields: [{ tag: "pii", integrations: ["webhook"], action: "refuse" }] });
      const answer = await execute(app.app, "webhook", toWebhook());
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.equal("This hub's policy keeps fields tagged \"pii\" from Webhook: the field " +
        "\"users.email\" carries that tag, so nothing was sent (rule fields[0], line 3 of the hub's policy file). " +
        "Remove the field from the query, or ask the hub's admin.");
      expect(receiver.received).to.have.length(0);
      expect(app.logs()).to.include("\"policy refused\"").and.include("\"rule\":\"fields[0]\"");
      expect(app.logs()).not.to.include("Ann@Example.com");
      const metrics = await request(app.app).get("/metrics");
      expect(metrics.text).to.include(
        "hub_policy_refusals_total{integration=\"webhook\",kind=\"fields\",rule=\"fields[0]\"} 1");
    });

    it("leaves other integrations alone, and \"*\" names them all", async () => {
      const only = hub({ fields: [{ tag: "pii", integrations: ["webhook"], action: "refuse" }] });
      expect((await execute(only.app, "segment_event", toSegment())).looker.success).to.equal(true);
      const all = hub({ fields: [{ tag: "pii", integrations: ["*"], action: "refuse" }] });
      expect((await execute(all.app, "segment_event", toSegment())).looker.success).to.equal(false);
      expect(segment.accepted).to.have.length(2);
    });

    it("drops the field from the file: its column and every value gone, the rest as Looker sent it", async () => {
      const app = hub({ fields: [{ tag: "email", integrations: ["webhook"], action: "drop" }] });
      const answer = await execute(app.app, "webhook", toWebhook());
      expect(answer.looker.success).to.equal(true);
      const sent = receiver.received[0].body.toString("utf8");
      expect(sent).not.to.include("users.email").and.not.to.include("Ann@Example.com");
      const document = JSON.parse(sent);
      expect(document.ran_at).to.equal(DETAIL.ran_at);
      expect(document.fields.dimensions.map((f: any) => f.name)).to.deep.equal(["users.id", "users.city"]);
      expect(document.data[1]).to.deep.equal({ "users.id": { value: 2 }, "users.city": { value: "Oslo" },
        "orders.count": { value: 2 } });
    });

    it("drops the field from a download URL's 50,000 rows, streamed (rows before the fields wait their turn)", async () => {
      const rows = 50_000;
      const download = await startDownloadServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        // Rows first, fields last: the hub must still apply the rule to every row.
        res.write("{\"data\":[");
        for (let i = 0; i < rows; i++) {
          res.write(`${i ? "," : ""}{"users.id":{"value":${i}},"users.email":{"value":"u${i}@example.com"},` +
            "\"users.city\":{\"value\":\"Leeds\"},\"orders.count\":{\"value\":1}}");
        }
        res.end(`],"fields":${JSON.stringify(FIELDS)}}`);
      });
      try {
        const app = hub({ fields: [{ tag: "pii", integrations: ["webhook"], action: "drop" }] });
        const answer = await execute(app.app, "webhook", urlBody("json_detail_lite_stream", `${download.url}/d`,
          { form_params: { url: receiver.url("/in") } }));
        expect(answer.looker.success, answer.looker.message).to.equal(true);
        const document = JSON.parse(receiver.received[0].body.toString("utf8"));
        expect(document.data).to.have.length(rows);
        expect(document.data[rows - 1]).to.deep.equal({ "users.id": { value: rows - 1 }, "users.city": { value: "Leeds" },
          "orders.count": { value: 1 } });
        expect(receiver.received[0].body.includes("@example.com")).to.equal(false);
      } finally {
        await download.close();
      }
    });

    it("drops the field from rows: Segment gets no trait of it", async () => {
      const app = hub({ fields: [{ tag: "pii", integrations: ["segment_event"], action: "drop" }] });
      expect((await execute(app.app, "segment_event", toSegment())).looker.success).to.equal(true);
      expect(segment.accepted.map((m: any) => m.traits)).to.deep.equal([
        { "users.city": "Leeds", "orders.count": 5 }, { "users.city": "Oslo", "orders.count": 2 }]);
    });

    it("hashes the field's values (SHA-256 of the trimmed, lower-case text); null stays null", async () => {
      const app = hub({ fields: [{ tag: "email", integrations: ["segment_event"], action: "hash" }] });
      expect((await execute(app.app, "segment_event", toSegment())).looker.success).to.equal(true);
      // Segment puts the email-tagged field in traits.email.
      const [first, second] = segment.accepted.map((m: any) => m.traits.email);
      expect(first).to.equal(hashedValue("ann@example.com")).and.to.match(/^[0-9a-f]{64}$/);
      expect(second ?? null).to.equal(null);
      expect(JSON.stringify(segment.accepted)).not.to.include("Ann@Example.com");
    });

    it("refuses the stronger action when two rules match one field (refuse over drop over hash)", async () => {
      const app = hub({ fields: [
        { tag: "email", integrations: ["webhook"], action: "hash" },
        { tag: "pii", integrations: ["webhook"], action: "refuse" }] });
      expect((await execute(app.app, "webhook", toWebhook())).looker.message).to.include("rule fields[1]");
    });

    it("refuses a format without field tags (CSV) by default, and lets it through with without_tags: allow", async () => {
      const strict = hub({ fields: [{ tag: "pii", integrations: ["webhook"], action: "drop" }] });
      const refused = await execute(strict.app, "webhook", toWebhook("csv", "a,b\n1,2\n"));
      expect(refused.looker.success).to.equal(false);
      expect(refused.looker.message).to.match(/^This hub's policy keeps fields tagged "pii" from Webhook, and a CSV delivery carries no field tags/);
      const relaxed = hub({ fields: [{ tag: "pii", integrations: ["webhook"], action: "drop", without_tags: "allow" }] });
      expect((await execute(relaxed.app, "webhook", toWebhook("csv", "a,b\n1,2\n"))).looker.success).to.equal(true);
      expect(receiver.received.map((r) => r.body.toString())).to.deep.equal(["a,b\n1,2\n"]);
    });
  });

  describe("users", () => {
    const policy = { users: [{ integrations: ["segment_event"], user_attribute: "can_export", allow: ["yes"] }] };

    it("adds a param bound to the user attribute to the integration's definition, and no other", async () => {
      const app = hub(policy);
      const list = await request(app.app).post("/").set("Authorization", authHeader()).set(LOOKER_HEADERS).send({});
      const byName = new Map(list.body.integrations.map((i: any) => [i.name, i]));
      expect((byName.get("segment_event") as any).params.at(-1)).to.deep.include({
        name: "policy_can_export", user_attribute_name: "can_export", required: false, sensitive: false });
      expect((byName.get("webhook") as any).params.map((p: any) => p.name)).not.to.include("policy_can_export");
    });

    it("delivers for an allowed value, refuses another value or none, naming the attribute and not the value", async () => {
      const app = hub(policy);
      expect((await execute(app.app, "segment_event", toSegment({ policy_can_export: "yes" }))).looker.success).to.equal(true);
      const other = await execute(app.app, "segment_event", toSegment({ policy_can_export: "maybe-later" }));
      expect(other.looker.message).to.equal("This hub's policy lets only some users deliver to Segment Identify, and " +
        "your Looker user's \"can_export\" user attribute is not one it allows (rule users[0], line 3 of the hub's " +
        "policy file). Ask your Looker admin.");
      const none = await execute(app.app, "segment_event", toSegment());
      expect(none.looker.message).to.include("has no value for the user attribute \"can_export\"");
      expect(segment.accepted).to.have.length(2);
      expect(app.logs()).not.to.include("maybe-later");
    });
  });

  describe("instances", () => {
    const policy = { instances: [{ instance: "looker-a.example.com", integrations: ["webhook"] }] };
    const asInstance = (instance: string) => ({ ...LOOKER_HEADERS, "X-Looker-Instance": instance });

    it("offers the named instance only the listed integrations; others see them all", async () => {
      const app = hub(policy);
      const names = async (instance: string) => (await request(app.app).post("/").set("Authorization", authHeader())
        .set(asInstance(instance)).send({})).body.integrations.map((i: any) => i.name);
      expect(await names("looker-a.example.com")).to.deep.equal(["webhook"]);
      expect(await names("LOOKER-A.example.com")).to.deep.equal(["webhook"]);
      expect(await names("another")).to.include.members(["webhook", "segment_event", "segment_track"]);
    });

    it("refuses the others' definition, form and execute for that instance, without reading the delivery", async () => {
      const app = hub(policy);
      const headers = asInstance("looker-a.example.com");
      const definition = await request(app.app).post("/actions/segment_event").set("Authorization", authHeader())
        .set(headers).send({});
      expect(definition.status).to.equal(404);
      const f = await request(app.app).post("/actions/segment_event/form").set("Authorization", authHeader())
        .set(headers).send({});
      expect(f.body.error ?? f.body).to.satisfy((e: unknown) => JSON.stringify(e).includes("rule instances[0]"));
      const res = await request(app.app).post("/actions/segment_event/execute").set("Authorization", authHeader())
        .set(headers).send(toSegment());
      expect(res.status).to.equal(200);
      expect(res.body.looker.success).to.equal(false);
      expect(res.body.looker.message).to.match(/^This hub's policy does not offer Segment Identify to this Looker instance/)
        .and.to.match(/ \(ref [0-9a-f]{8}\)$/);
      expect(segment.accepted).to.have.length(0);
      expect((await execute(app.app, "webhook", toWebhook())).looker.success).to.equal(true);
    });
  });

  it("leaves forms of allowed users and instances as they were", async () => {
    const app = hub({ users: [{ integrations: ["webhook"], user_attribute: "team", allow: ["data"] }] });
    const ok = await form(app.app, "webhook", { data: { policy_team: "data" } });
    expect(ok.fields.map((f: any) => f.name)).to.include("url");
    const refused = await form(app.app, "webhook", { data: { policy_team: "sales" } });
    expect(JSON.stringify(refused)).to.include("rule users[0]");
  });
});
