// Webex through the real app against a fake of its REST API on 127.0.0.1: the spaces listed in the
// form, the message and file Webex received, its limits and refusals.
import { expect } from "chai";
import { WebexIntegration } from "../../src/integrations/webex/webex";
import { BOT_TOKEN, ROOMS, WebexFake, webexError } from "../fakes/webex_api";
import { buildTestApp } from "../helpers/app";
import { execute, form, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

const CSV = "Orders ID,Orders Total\n1,10.50\n2,7.00\n";

describe("webex integration", () => {
  let webex: WebexFake;
  beforeEach(async () => { webex = await new WebexFake().start(); });
  afterEach(async () => { await webex.stop(); });

  const hub = () => buildTestApp([new WebexIntegration(testHttpClient(), webex.url("/"))]).app;

  function body(fields: Record<string, string | undefined> = {}, data = CSV, token = BOT_TOKEN): any {
    return {
      type: "query", scheduled_plan: PLAN, data: { bot_token: token },
      form_params: { room_id: ROOMS[0].id, message: "**Weekly** orders", ...fields },
      attachment: { mimetype: "text/csv", extension: "csv", data },
    };
  }

  it("lists the bot's spaces in the form, following Webex's Link paging", async () => {
    webex.pageSize = 2;
    const f = await form(hub(), "webex", { data: { bot_token: BOT_TOKEN } });
    expect(f.fields.map((x: { name: string }) => x.name)).to.deep.equal(["room_id", "message"]);
    expect(f.fields[0].options).to.deep.equal([
      { name: ROOMS[0].id, label: "Reports 0" }, { name: ROOMS[1].id, label: "Reports 1" },
      { name: ROOMS[2].id, label: "Dana Smith (direct)" }]);
    expect(webex.received.map((r) => r.path)).to.deep.equal(["/v1/rooms?max=100&sortBy=lastactivity",
      "/v1/rooms?max=2&sortBy=lastactivity&cursor=2"]);
    expect(webex.received[0].headers.authorization).to.equal(`Bearer ${BOT_TOKEN}`);
  });

  it("says in the form when the bot is in no space, the answer is no list, or the token is refused", async () => {
    webex.rooms = [];
    expect((await form(hub(), "webex", { data: { bot_token: BOT_TOKEN } })).error).to.include("in no space yet");
    webex.reply({ status: 200, headers: { "content-type": "text/html" }, body: "<html>captive portal</html>" });
    expect((await form(hub(), "webex", { data: { bot_token: BOT_TOKEN } })).error).to.include("with something else");
    const refused = await form(hub(), "webex", { data: { bot_token: "wrong" } });
    expect(refused.error).to.include("Webex refused the bot token (HTTP 401");
  });

  it("posts the message with the delivery as its file (multipart roomId, markdown, files)", async () => {
    const answer = await execute(hub(), "webex", body());
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(answer.looker.message).to.match(/^Posted "Weekly revenue.*\.csv" \(\d+ bytes\) to Webex\.$/);
    expect(webex.received[0].path).to.equal("/v1/messages");
    expect(webex.received[0].headers.authorization).to.equal(`Bearer ${BOT_TOKEN}`);
    const [message] = webex.messages;
    expect(message.fields).to.deep.equal({ roomId: ROOMS[0].id, markdown: "**Weekly** orders" });
    expect(message.file!.fileName).to.match(/\.csv$/);
    expect(message.file!.data.toString()).to.equal(CSV);
  });

  it("posts a clicked cell as a Markdown message", async () => {
    const answer = await execute(hub(), "webex", {
      type: "cell", scheduled_plan: { url: "https://looker.example.com/explore/x" },
      data: { bot_token: BOT_TOKEN, value: "1050", rendered: "$1,050.00", field_label: "Orders Total" },
      form_params: { room_id: ROOMS[1].id },
    });
    expect(answer.looker.message).to.equal("Posted the value to Webex.");
    expect(webex.messages[0].fields).to.deep.equal({ roomId: ROOMS[1].id,
      markdown: "Orders Total: $1,050.00\n\nhttps://looker.example.com/explore/x" });
  });

  it("refuses before any call: no token, no space, a message over 7,439 characters", async () => {
    expect((await execute(hub(), "webex", body({}, CSV, ""))).looker.success).to.equal(false);
    expect((await execute(hub(), "webex", body({ room_id: "" }))).looker.validation_errors).to.have.property("room_id");
    const long = await execute(hub(), "webex", body({ message: "x".repeat(7440) }));
    expect(long.looker.validation_errors.message).to.include("at most 7,439 characters");
    expect(webex.received).to.have.length(0);
  });

  it("words Webex's refusals: the token, a space the bot is not in", async () => {
    const token = await execute(hub(), "webex", body({}, CSV, "revoked"));
    expect(token.looker.message).to.match(/^Webex refused the bot token \(HTTP 401: "The request requires a valid access token/);
    const room = await execute(hub(), "webex", body({ room_id: "Y2lzY29zcGFyazovL3VzL1JPT00vgone" }));
    expect(room.looker.message).to.equal("Webex will not let the bot post in this space (HTTP 404: \"Could not find a " +
      "room with provided ID.\"). Add the bot to the space, then pick it again in the schedule.");
    expect(room.looker.validation_errors).to.have.property("room_id");
  });

  it("retries Webex's 429 as its Retry-After asks, then fails clearly when it keeps on", async () => {
    webex.reply({ ...webexError(429, "Too Many Requests"), headers: { "retry-after": "0", "content-type": "application/json" } });
    expect((await execute(hub(), "webex", body())).looker.success).to.equal(true);
    const limited = { ...webexError(429, "Too Many Requests"), headers: { "retry-after": "0" } };
    webex.reply(limited, limited, limited);
    expect((await execute(hub(), "webex", body())).looker.message).to.include("Webex kept answering 429");
  });

  it("streams a large delivery through whole", async () => {
    const big = `a,b\n${"12345678,abcdefgh\n".repeat(200_000)}`;
    const answer = await execute(hub(), "webex", body({}, big));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(webex.messages[0].file!.data.equals(Buffer.from(big))).to.equal(true);
  });
});
