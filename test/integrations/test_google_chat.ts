// Google Chat through the full path to a local receiver playing the space's webhook.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { GoogleChatIntegration } from "../../src/integrations/google_chat/google_chat";
import { HttpReceiver } from "../fakes/http_receiver";
import { buildTestApp } from "../helpers/app";
import { execute, form, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

const DETAIL = fs.readFileSync(path.join(__dirname, "../fixtures/json_detail_example.json"), "utf8");

describe("google_chat integration", () => {
  let receiver: HttpReceiver;
  beforeEach(async () => {
    receiver = await new HttpReceiver().start();
    receiver.defaultReply = { status: 200, headers: { "content-type": "application/json" }, body: "{\"name\":\"spaces/A/messages/B\"}" };
  });
  afterEach(async () => { await receiver.stop(); });
  const app = () => buildTestApp([new GoogleChatIntegration(testHttpClient())]).app;
  const url = () => receiver.url("/v1/spaces/AAA/messages?key=k&token=t", "chat.googleapis.com");

  it("offers url, title, text and the number of rows", async () => {
    const f = await form(app(), "google_chat");
    expect(f.fields.map((x: any) => x.name)).to.deep.equal(["url", "title", "text", "rows"]);
  });

  it("posts a card with title, escaped text, first rows and a link", async () => {
    const answer = await execute(app(), "google_chat", {
      type: "query", scheduled_plan: PLAN,
      attachment: { mimetype: "application/json", extension: "json", data: DETAIL },
      form_params: { url: url(), title: "Orders", text: "Up <b>5%</b> & more", rows: "5" },
    });
    expect(answer.looker).to.deep.include({ success: true, message: "Posted the card to Google Chat." });
    const got = receiver.received[0];
    expect(got.path).to.equal("/v1/spaces/AAA/messages?key=k&token=t");
    expect(got.headers["content-type"]).to.equal("application/json; charset=UTF-8");
    const card = JSON.parse(got.body.toString("utf8")).cardsV2[0].card;
    expect(card.header).to.deep.equal({ title: "Orders", subtitle: "Weekly revenue" });
    expect(card.sections[0].widgets[0].textParagraph.text).to.equal("Up &lt;b&gt;5%&lt;/b&gt; &amp; more");
    const rows = card.sections[1].widgets[0].textParagraph.text.split("<br>");
    expect(rows[0]).to.equal("<b>Created Month | Count</b>");
    expect(rows[1]).to.equal("2017-07 | 773");
    expect(rows).to.have.length(7);
    expect(rows[6]).to.equal("<i>(first 5 rows shown)</i>");
    expect(card.sections[2].widgets[0].buttonList.buttons[0].onClick.openLink.url).to.equal(PLAN.url);
  });

  it("titles the card with the schedule when no title is given, and skips rows for images", async () => {
    await execute(app(), "google_chat", {
      type: "dashboard", scheduled_plan: PLAN,
      attachment: { mimetype: "image/png;base64", extension: "png", data: "iVBORw0KGgo=" },
      form_params: { url: url() },
    });
    const card = JSON.parse(receiver.received[0].body.toString("utf8")).cardsV2[0].card;
    expect(card.header).to.deep.equal({ title: "Weekly revenue" });
    expect(card.sections).to.have.length(1);
  });

  it("reports Chat's error message with the status", async () => {
    const error = { code: 400, message: "Invalid JSON payload received.", status: "INVALID_ARGUMENT" };
    receiver.reply({ status: 400, headers: { "content-type": "application/json" }, body: JSON.stringify({ error }) });
    const answer = await execute(app(), "google_chat", {
      type: "query", scheduled_plan: PLAN, form_params: { url: url() },
    });
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal("Google Chat answered HTTP 400: \"Invalid JSON payload received.\".");
  });

  it("retries when Chat rate-limits the space", async () => {
    receiver.reply({ status: 429, body: "{\"error\":{\"message\":\"Resource has been exhausted\"}}" });
    const answer = await execute(app(), "google_chat", {
      type: "query", scheduled_plan: PLAN, form_params: { url: url() },
    });
    expect(answer.looker.success).to.equal(true);
    expect(receiver.received).to.have.length(2);
  });
});
