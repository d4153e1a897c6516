// Telegram through the real app against a fake Bot API on 127.0.0.1: what Telegram received, its
// limits and refusals, and the bot token (part of every API path) never in the log.
import { expect } from "chai";
import { TelegramIntegration } from "../../src/integrations/telegram/telegram";
import {
  BOT_TOKEN, CHAT, failure, KICKED_FROM, OLD_GROUP, TelegramFake, tooManyRequests,
} from "../fakes/telegram_api";
import request from "supertest";
import { authHeader, buildTestApp } from "../helpers/app";
import { execute, form, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

const CSV = "Orders ID,Orders Total\n1,10.50\n2,7.00\n";

describe("telegram integration", () => {
  let telegram: TelegramFake;
  beforeEach(async () => { telegram = await new TelegramFake().start(); });
  afterEach(async () => { await telegram.stop(); });

  const build = (maxFileBytes = 50 * 1024 * 1024, apiUrl = telegram.url("/")) =>
    buildTestApp([new TelegramIntegration(testHttpClient(), { apiUrl, maxFileBytes })]);
  const hub = (maxFileBytes?: number) => build(maxFileBytes).app;

  function body(fields: Record<string, string | undefined> = {}, data = CSV, token = BOT_TOKEN): any {
    return {
      type: "query", scheduled_plan: PLAN, data: { bot_token: token },
      form_params: { chat_id: CHAT, message: "Weekly orders", ...fields },
      attachment: { mimetype: "text/csv", extension: "csv", data },
    };
  }

  const cell = (fields: Record<string, string> = {}) => ({
    type: "cell", scheduled_plan: { url: "https://looker.example.com/explore/x" },
    data: { bot_token: BOT_TOKEN, value: "1050", rendered: "$1,050.00", field_label: "Orders Total" },
    form_params: { chat_id: CHAT, ...fields },
  });

  it("sends the delivery with sendDocument: chat_id, caption and the document part", async () => {
    const answer = await execute(hub(), "telegram", body());
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(answer.looker.message).to.match(/^Sent "Weekly revenue.*\.csv" \(\d+ bytes\) to Telegram\.$/);
    expect(telegram.received[0].path).to.equal(`/bot${BOT_TOKEN}/sendDocument`);
    expect(telegram.received[0].headers["content-type"]).to.match(/^multipart\/form-data; boundary=/);
    const [call] = telegram.calls;
    expect(call.fields).to.deep.equal({ chat_id: CHAT, caption: "Weekly orders" });
    expect(call.document!.fileName).to.match(/\.csv$/);
    expect(call.document!.data.toString()).to.equal(CSV);
  });

  it("takes a public channel's @username, and the schedule's title as the caption when none is typed", async () => {
    const answer = await execute(hub(), "telegram", body({ chat_id: "@looker_reports", message: undefined }));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(telegram.calls[0].fields).to.deep.equal({ chat_id: "@looker_reports", caption: "Weekly revenue" });
  });

  it("sends a clicked cell with sendMessage", async () => {
    const answer = await execute(hub(), "telegram", cell({ message: "Look" }));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(telegram.received[0].path).to.equal(`/bot${BOT_TOKEN}/sendMessage`);
    expect(telegram.calls[0].fields).to.deep.equal({ chat_id: CHAT,
      text: "Look\nOrders Total: $1,050.00\nhttps://looker.example.com/explore/x",
      link_preview_options: { is_disabled: true } });
  });

  it("refuses an empty chat id or one with spaces, and a caption over 1024, before any call", async () => {
    for (const fields of [{ chat_id: "reports channel" }, { chat_id: "" }, { message: "x".repeat(1025) }]) {
      const answer = await execute(hub(), "telegram", body(fields));
      expect(answer.looker.success, JSON.stringify(fields)).to.equal(false);
    }
    const long = await execute(hub(), "telegram", body({ message: "x".repeat(1025) }));
    expect(long.looker.validation_errors.message).to.include("at most 1,024 characters");
    expect(telegram.received).to.have.length(0);
  });

  it("refuses a missing or malformed bot token before any call", async () => {
    for (const token of ["", "12345:abc/../../other", "has space"]) {
      const answer = await execute(hub(), "telegram", body({}, CSV, token));
      expect(answer.looker.success, token).to.equal(false);
      if (token) { expect(answer.looker.message).to.include("is not a token @BotFather issued"); }
    }
    expect(telegram.received).to.have.length(0);
  });

  it("says the token was refused on 401 Unauthorized and 404 Not Found", async () => {
    for (const token of ["123456789:AAHthis-token-was-revoked-long-enough", "123:short"]) {
      const answer = await execute(hub(), "telegram", body({}, CSV, token));
      expect(answer.looker.message).to.match(/^Telegram refused the bot token \(HTTP (401: "Unauthorized"|404: "Not Found")\)/);
    }
  });

  it("words Telegram's refusals of the chat: not found, bot kicked, group upgraded", async () => {
    const notFound = await execute(hub(), "telegram", body({ chat_id: "-100777" }));
    expect(notFound.looker.message).to.include("Telegram cannot find this chat for the bot (HTTP 400: \"Bad Request: chat not found\")");
    expect(notFound.looker.validation_errors).to.have.property("chat_id");
    const kicked = await execute(hub(), "telegram", body({ chat_id: KICKED_FROM }));
    expect(kicked.looker.message).to.include("Telegram will not let the bot post in this chat (HTTP 403: \"Forbidden: bot was kicked");
    const upgraded = await execute(hub(), "telegram", body({ chat_id: OLD_GROUP }));
    expect(upgraded.looker.message).to.equal("This Telegram group became a supergroup with the chat id -1009990001; " +
      "put that id in the schedule's Chat ID.");
  });

  it("refuses a document over the limit before sending anything, and words Telegram's 413", async () => {
    const over = await execute(hub(1000), "telegram", body({}, `a,b\n${"1,2\n".repeat(1000)}`));
    expect(over.looker.message).to.include("larger than 1000 bytes, the largest document a bot may send");
    expect(telegram.received).to.have.length(0);
    telegram.maxFileBytes = 10;
    const refused = await execute(hub(), "telegram", body());
    expect(refused.looker.message).to.include("Telegram refused the file as too large (HTTP 413: \"Request Entity Too Large\")");
  });

  it("waits as Telegram's 429 asks (parameters.retry_after) and sends once; says so when it keeps refusing", async () => {
    telegram.reply(tooManyRequests(0));
    const answer = await execute(hub(), "telegram", body());
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(telegram.calls).to.have.length(1);
    telegram.reply(tooManyRequests(3600));
    const refused = await execute(hub(), "telegram", body());
    expect(refused.looker.message).to.include("Telegram kept answering 429");
    expect(telegram.calls).to.have.length(1);
  });

  it("reports another refusal with Telegram's own description", async () => {
    telegram.reply(failure(400, "Bad Request: wrong file identifier/HTTP URL specified"));
    const answer = await execute(hub(), "telegram", body());
    expect(answer.looker.message).to.equal("Telegram refused the message (HTTP 400: \"Bad Request: wrong file " +
      "identifier/HTTP URL specified\"). Check the chat id and the message, then send again.");
  });

  // docs/dry_run.md: the token and the chat are read with getChat (a GET); nothing is posted.
  it("a dry run reads the chat with getChat; a wrong token, an unknown chat or a kicked bot fail it", async () => {
    const dry = (fields: Record<string, string> = {}, token = BOT_TOKEN) => request(hub()).post("/actions/telegram/execute")
      .set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true").send(body(fields, CSV, token))
      .then((res) => res.body.looker);
    const ok = await dry();
    expect(ok.success, ok.message).to.equal(true);
    expect(ok.message).to.match(/^Dry run, nothing was sent to Telegram: Telegram's bot sees the chat \(getChat\); it would get/);
    expect((await dry({}, `${BOT_TOKEN.split(":")[0]}:${"x".repeat(35)}`)).message).to.match(/Telegram refused the bot token/);
    expect((await dry({ chat_id: "-1000000000001" })).message).to.match(/Telegram cannot find this chat for the bot/);
    expect((await dry({ chat_id: KICKED_FROM })).message).to.match(/Telegram will not let the bot post in this chat/);
    expect(telegram.received.map((r) => r.method)).to.deep.equal(["GET", "GET", "GET", "GET"]);
    expect(telegram.received[0].path).to.equal(`/bot${BOT_TOKEN}/getChat?chat_id=${encodeURIComponent(CHAT)}`);
  });

  it("never logs the bot token: success, refusals, a vendor down and a connection refused", async () => {
    const app = build();
    await execute(app.app, "telegram", body());
    await execute(app.app, "telegram", body({ chat_id: "-100777" }));
    telegram.reply({ status: 502, body: "bad gateway" }, { status: 502 }, { status: 502 });
    await execute(app.app, "telegram", body());
    const closed = build(undefined, "http://127.0.0.1:1/");
    const refused = await execute(closed.app, "telegram", body());
    expect(refused.looker.success).to.equal(false);
    for (const logs of [app.logs(), closed.logs()]) {
      expect(logs).to.include("outbound request");
      expect(logs).not.to.include(BOT_TOKEN);
      expect(logs).not.to.include(BOT_TOKEN.split(":")[1]);
    }
    expect(JSON.stringify(refused)).not.to.include(BOT_TOKEN.split(":")[1]);
  });

  it("streams a large delivery through whole", async () => {
    const big = `a,b\n${"12345678,abcdefgh\n".repeat(200_000)}`;
    const answer = await execute(hub(), "telegram", body({}, big));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(telegram.calls[0].document!.data.equals(Buffer.from(big))).to.equal(true);
  });

  it("offers its form; the token is a sensitive param", async () => {
    const f = await form(hub(), "telegram");
    expect(f.fields.map((x: { name: string }) => x.name)).to.deep.equal(["chat_id", "message"]);
    const definition = build().registry.integrations[0];
    expect(definition.params).to.deep.equal([{ name: "bot_token", label: "Bot token", required: true, sensitive: true,
      description: definition.params[0].description }]);
    expect(definition.supportedActionTypes).to.deep.equal(["query", "dashboard", "cell"]);
  });
});
