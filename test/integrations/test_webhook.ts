// The webhook integration through the full path: supertest -> app -> integration -> receiver.
import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { WebhookIntegration } from "../../src/integrations/webhook/webhook";
import { HttpReceiver, loopbackLookup } from "../fakes/http_receiver";
import { buildTestApp } from "../helpers/app";
import { execute, form, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

const SECRET = "whsec_0123456789";
const CSV = "name,city\nZoë,\"Zürich\"\nBob,Berlin\n";
const DETAIL = fs.readFileSync(path.join(__dirname, "../fixtures/json_detail_example.json"), "utf8");

const CSV_ATTACHMENT = { mimetype: "text/csv", extension: "csv", data: CSV };

function pngAttachment(png: Buffer) {
  return { mimetype: "image/png;base64", extension: "png", data: png.toString("base64") };
}

function sign(body: Buffer): string {
  return `sha256=${crypto.createHmac("sha256", SECRET).update(body).digest("hex")}`;
}

describe("webhook integration", () => {
  let receiver: HttpReceiver;
  beforeEach(async () => { receiver = await new HttpReceiver().start(); });
  afterEach(async () => { await receiver.stop(); });

  function app(env: Record<string, string> = {}, lookup = loopbackLookup()) {
    return buildTestApp([new WebhookIntegration(testHttpClient(env, lookup))]);
  }

  it("offers a url field and an envelope choice", async () => {
    const f = await form(app().app, "webhook");
    expect(f.fields.map((x: any) => x.name)).to.deep.equal(["url", "envelope"]);
    expect(f.fields[0].required).to.equal(true);
  });

  it("posts the data with the format's content type, naming headers and a verifiable signature", async () => {
    const { app: a, logs } = app();
    const answer = await execute(a, "webhook", {
      type: "query", scheduled_plan: PLAN, data: { signing_secret: SECRET },
      attachment: { mimetype: "text/csv", extension: "csv", data: CSV },
      form_params: { url: receiver.url("/in?token=abc") },
    });
    expect(answer.looker).to.deep.include({ success: true });
    expect(answer.looker.message).to.equal(`Sent ${Buffer.byteLength(CSV)} bytes to 127.0.0.1 (HTTP 200).`);
    const got = receiver.received[0];
    expect(got.method).to.equal("POST");
    expect(got.path).to.equal("/in?token=abc");
    expect(got.body.toString("utf8")).to.equal(CSV);
    expect(got.headers["content-type"]).to.equal("text/csv; charset=utf-8");
    expect(got.headers["x-looker-webhook-id"]).to.equal("wh-7f3a");
    expect(got.headers["x-looker-scheduled-plan-id"]).to.equal("12");
    expect(got.headers["x-looker-instance"]).to.equal("inst-1234");
    expect(got.headers["x-looker-format"]).to.equal("csv");
    expect(got.headers["x-hub-signature-256"]).to.equal(sign(got.body));
    expect(logs()).not.to.contain(SECRET);
    expect(logs()).not.to.contain("token=abc");
  });

  it("sends no signature header without a signing secret", async () => {
    await execute(app().app, "webhook", {
      type: "query", attachment: CSV_ATTACHMENT, form_params: { url: receiver.url() },
    });
    expect(receiver.received[0].headers).not.to.have.property("x-hub-signature-256");
  });

  it("wraps json_detail in the JSON envelope with the plan's metadata, signed", async () => {
    await execute(app().app, "webhook", {
      type: "query", scheduled_plan: PLAN, data: { signing_secret: SECRET },
      attachment: { mimetype: "application/json", extension: "json", data: DETAIL },
      form_params: { url: receiver.url(), envelope: "json" },
    });
    const got = receiver.received[0];
    expect(got.headers["content-type"]).to.equal("application/json");
    expect(got.headers["x-hub-signature-256"]).to.equal(sign(got.body));
    const envelope = JSON.parse(got.body.toString("utf8"));
    expect(envelope.scheduled_plan).to.deep.include({
      scheduled_plan_id: "12", title: "Weekly revenue", query_id: "55",
    });
    expect(envelope).to.deep.include({
      type: "query", format: "json_detail", webhook_id: "wh-7f3a", data_encoding: "json",
    });
    expect(envelope.data).to.deep.equal(JSON.parse(DETAIL));
  });

  it("embeds text formats as a string and binary formats as base64 in the envelope", async () => {
    const a = app().app;
    await execute(a, "webhook", {
      type: "query", attachment: { mimetype: "text/csv", extension: "csv", data: CSV },
      form_params: { url: receiver.url(), envelope: "json" },
    });
    const png = crypto.randomBytes(1000);
    await execute(a, "webhook", {
      type: "dashboard", attachment: pngAttachment(png),
      form_params: { url: receiver.url(), envelope: "json" },
    });
    const [text, binary] = receiver.received.map((r) => JSON.parse(r.body.toString("utf8")));
    expect(text).to.deep.include({ data_encoding: "text", data: CSV });
    expect(binary.data_encoding).to.equal("base64");
    expect(Buffer.from(binary.data, "base64").equals(png)).to.equal(true);
  });

  it("posts an image as its bytes with its content type", async () => {
    const png = crypto.randomBytes(5000);
    await execute(app().app, "webhook", {
      type: "dashboard", attachment: pngAttachment(png),
      form_params: { url: receiver.url() },
    });
    expect(receiver.received[0].headers["content-type"]).to.equal("image/png");
    expect(receiver.received[0].body.equals(png)).to.equal(true);
  });

  it("posts an empty body when Looker sent no data", async () => {
    const answer = await execute(app().app, "webhook", {
      type: "query", scheduled_plan: PLAN, attachment: null, form_params: { url: receiver.url() },
    });
    expect(answer.looker.message).to.equal("Sent an empty delivery to 127.0.0.1 (HTTP 200).");
    expect(receiver.received[0].body.length).to.equal(0);
  });

  it("retries a 503 with the identical signed body", async () => {
    receiver.reply({ status: 503, body: "warming up" });
    const answer = await execute(app().app, "webhook", {
      type: "query", data: { signing_secret: SECRET }, attachment: CSV_ATTACHMENT,
      form_params: { url: receiver.url() },
    });
    expect(answer.looker.success).to.equal(true);
    const [first, second] = receiver.received;
    expect(second.body.equals(first.body)).to.equal(true);
    expect(second.headers["x-hub-signature-256"]).to.equal(first.headers["x-hub-signature-256"]);
    expect(second.headers["x-hub-signature-256"]).to.equal(sign(second.body));
  });

  it("reports a permanent failure with its status and the receiver's words", async () => {
    receiver.reply({ status: 410, body: "hook deleted" });
    const answer = await execute(app().app, "webhook", {
      type: "query", attachment: CSV_ATTACHMENT, form_params: { url: receiver.url() },
    });
    expect(answer.looker).to.deep.include({ success: false });
    expect(answer.looker.message).to.equal("The server at 127.0.0.1 answered HTTP 410: \"hook deleted\".");
    expect(receiver.received).to.have.length(1);
  });

  it("tells the person the receiver's words but keeps them out of the log, which may be shared", async () => {
    receiver.reply({ status: 422, body: JSON.stringify({ message: "rejected ada@example.com" }),
      headers: { "content-type": "application/json" } });
    const hub = app();
    const answer = await execute(hub.app, "webhook", {
      type: "query", attachment: CSV_ATTACHMENT, form_params: { url: receiver.url() },
    });
    expect(answer.looker.message).to.equal("The server at 127.0.0.1 answered HTTP 422: \"rejected ada@example.com\".");
    const failed = hub.logs().split("\n").find((line) => line.includes("delivery failed"))!;
    expect(JSON.parse(failed).userMessage).to.match(
      /^The server at 127\.0\.0\.1 answered HTTP 422: "\[the vendor's words, not logged\]"\. \(ref [0-9a-f]{8}\)$/);
    expect(hub.logs()).to.not.include("ada@example.com");
    expect(hub.logs()).to.not.include("\u2063");
  });

  it("refuses a private destination before reading or sending anything", async () => {
    const canary = await new HttpReceiver("127.0.0.2").start();
    try {
      const guarded = { ALLOW_PRIVATE_URLS: "false", PRIVATE_URL_ALLOWLIST: "127.0.0.1" };
      const answer = await execute(app(guarded, async () => [{ address: "127.0.0.2", family: 4 }]).app, "webhook", {
        type: "query", attachment: { mimetype: "text/csv", extension: "csv", data: CSV },
        form_params: { url: canary.url("/x", "intranet.example.com") },
      });
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.contain("intranet.example.com resolves to 127.0.0.2, a loopback address");
      expect(answer.looker.validation_errors.url).to.equal(answer.looker.message);
      expect(canary.received).to.have.length(0);
    } finally {
      await canary.stop();
    }
  });

  it("refuses plain http unless configured", async () => {
    const answer = await execute(app({ ALLOW_HTTP_URLS: "false" }).app, "webhook", {
      type: "query", attachment: CSV_ATTACHMENT, form_params: { url: receiver.url() },
    });
    expect(answer.looker.message).to.match(/must start with https:\/\//);
    expect(receiver.received).to.have.length(0);
  });

  it("asks for the URL when it is missing", async () => {
    const answer = await execute(app().app, "webhook", { type: "query", form_params: {} });
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.validation_errors).to.have.property("url");
  });
});
