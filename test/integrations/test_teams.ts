// Microsoft Teams through the full path to a local receiver playing the webhook endpoint.
import { expect } from "chai";
import { TeamsIntegration } from "../../src/integrations/teams/teams";
import { closedPort } from "../fakes/closed_port";
import { HttpReceiver } from "../fakes/http_receiver";
import { buildTestApp } from "../helpers/app";
import { execute, form, Payload, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

const CSV = "Created Month,Count\n2017-07,773\n2017-06,922\n";

describe("teams_incomingwebhook integration", () => {
  let receiver: HttpReceiver;
  beforeEach(async () => {
    receiver = await new HttpReceiver().start();
    receiver.defaultReply = { status: 200, body: "1" };
  });
  afterEach(async () => { await receiver.stop(); });
  const app = () => buildTestApp([new TeamsIntegration(testHttpClient())]).app;
  const payload = (formParams: Record<string, string>): Payload => ({
    type: "query", scheduled_plan: PLAN, attachment: { mimetype: "text/csv", extension: "csv", data: CSV },
    form_params: { webhookUrl: receiver.url("/webhookb2/abc"), title: "Revenue", ...formParams },
  });
  const card = (i = 0) => JSON.parse(receiver.received[i].body.toString("utf8")).attachments[0].content;

  it("has the official hub's form fields", async () => {
    const f = await form(app(), "teams_incomingwebhook");
    expect(f.fields.map((x: any) => [x.name, x.type, x.required])).to.deep.equal([
      ["webhookUrl", "string", true], ["title", "string", true], ["text", "textarea", false],
      ["isAttached", "select", false],
    ]);
  });

  // Official (src/actions/teams/test_teams.ts): "Success : Query" (there a MessageCard with the title and an
  // OpenUri action to the Look; here an Adaptive Card, see the README's differences).
  it("sends an Adaptive Card with title, text, details, first rows and a link", async () => {
    const answer = await execute(app(), "teams_incomingwebhook", payload({
      text: "Weekly numbers", isAttached: "true",
    }));
    expect(answer.looker).to.deep.include({ success: true, message: "Sent the message to Microsoft Teams." });
    const got = receiver.received[0];
    expect(got.headers["content-type"]).to.equal("application/json");
    const message = JSON.parse(got.body.toString("utf8"));
    expect(message.type).to.equal("message");
    expect(message.attachments[0].contentType).to.equal("application/vnd.microsoft.card.adaptive");
    const c = message.attachments[0].content;
    expect(c).to.deep.include({ type: "AdaptiveCard", version: "1.4" });
    expect(c.body[0]).to.deep.include({ type: "TextBlock", text: "Revenue" });
    expect(c.body[1]).to.deep.include({ type: "TextBlock", text: "Weekly numbers" });
    expect(c.body[2].facts).to.deep.include({ title: "Model", value: "ecommerce" });
    const rows = c.body.filter((b: any) => b.type === "ColumnSet")
      .map((b: any) => b.columns.map((col: any) => col.items[0].text));
    expect(rows).to.deep.equal([["Created Month", "Count"], ["2017-07", "773"], ["2017-06", "922"]]);
    expect(c.actions).to.deep.equal([{ type: "Action.OpenUrl", title: "View in Looker", url: PLAN.url }]);
  });

  it("leaves details and rows out unless isAttached is true", async () => {
    await execute(app(), "teams_incomingwebhook", payload({}));
    expect(card().body.map((b: any) => b.type)).to.deep.equal(["TextBlock"]);
  });

  it("accepts a Workflows 202 with an empty body", async () => {
    receiver.reply({ status: 202, body: "" });
    const answer = await execute(app(), "teams_incomingwebhook", payload({}));
    expect(answer.looker.success).to.equal(true);
  });

  // Official: "Fail: cause of teams request" (an answer other than 1 is a failure with its words).
  it("reports a connector's 200 that is not \"1\" as a failure with its words", async () => {
    receiver.reply({ status: 200, body: "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 413" });
    const answer = await execute(app(), "teams_incomingwebhook", payload({}));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.contain("Microsoft Teams did not post the message: \"Webhook message delivery failed");
  });

  it("retries a 429 that names Retry-After, then succeeds", async () => {
    receiver.reply({ status: 429, headers: { "Retry-After": "0" }, body: "throttled" });
    const answer = await execute(app(), "teams_incomingwebhook", payload({}));
    expect(answer.looker.success).to.equal(true);
    expect(receiver.received).to.have.length(2);
    expect(receiver.received[1].body.equals(receiver.received[0].body)).to.equal(true);
  });

  it("reports a 400 with its status", async () => {
    receiver.reply({ status: 400, body: "Bad payload received by generic incoming webhook." });
    const answer = await execute(app(), "teams_incomingwebhook", payload({}));
    expect(answer.looker.message).to.equal(
      "Microsoft Teams answered HTTP 400: \"Bad payload received by generic incoming webhook.\".");
  });

  // Official: "Fail: missing formparams webhookurl", "Fail: missing formparams title".
  it("asks for the required fields", async () => {
    const answer = await execute(app(), "teams_incomingwebhook", { type: "query", form_params: {} });
    expect(Object.keys(answer.looker.validation_errors)).to.deep.equal(["webhookUrl", "title"]);
    expect(receiver.received).to.have.length(0);
  });

  // Official: "Success : Dashboard".
  it("posts a dashboard's card with the link to the dashboard", async () => {
    const answer = await execute(app(), "teams_incomingwebhook", { ...payload({ isAttached: "true" }),
      type: "dashboard", scheduled_plan: { ...PLAN, type: "Dashboard", url: "https://looker.example.com/dashboards/8" },
      attachment: { mimetype: "image/png;base64", extension: "png", data: "iVBORw0KGgo=" } });
    expect(answer.looker.success).to.equal(true);
    expect(card().actions[0]).to.deep.include({ url: "https://looker.example.com/dashboards/8" });
  });

  // Official: "Fail: cause of httpRequest" (the POST itself failed: success false with a message).
  it("a webhook that cannot be reached is a failure with a message", async () => {
    const body = payload({ webhookUrl: `http://127.0.0.1:${await closedPort()}/webhookb2/abc` });
    const answer = await execute(app(), "teams_incomingwebhook", body);
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^Microsoft Teams could not be reached: the connection was refused/);
  });

  // Official: "Fail: missing formparams isAttached" and "Fail: missing scheduledPlan" (there failures; here
  // isAttached defaults to false and a card without a schedule has no link: see the README's differences).
  it("without isAttached or a schedule, still posts the card", async () => {
    const answer = await execute(app(), "teams_incomingwebhook", { type: "query", scheduled_plan: null,
      form_params: { webhookUrl: receiver.url("/webhookb2/abc"), title: "testtitle" } });
    expect(answer.looker.success).to.equal(true);
    expect(card().body[0]).to.deep.include({ text: "testtitle" });
    expect(card().actions).to.equal(undefined);
  });
});
