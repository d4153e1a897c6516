// The console as a person uses it, in headless Chromium against a running hub: paste the key,
// see the list, fill Slack's form against the fake Slack and pick a channel, send the built-in
// samples to debug (pushed and on a one-time URL) and to a webhook receiver, see a validation
// error on a missing field, send a cell action. Screenshots: test-artifacts/console/.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Browser, Page } from "playwright-core";
import { sampleBytes } from "../../src/console/samples";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { SlackIntegration } from "../../src/integrations/slack/slack";
import { WebhookIntegration } from "../../src/integrations/webhook/webhook";
import { HttpReceiver } from "../fakes/http_receiver";
import { FakeSlack } from "../fakes/slack_api";
import { launchChromium, screenshot } from "../helpers/browser";
import { ConsoleHub, startConsoleHub } from "../helpers/console_hub";
import { testHttpClient } from "../helpers/http";

describe("console in a browser", function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let hub: ConsoleHub;
  let slack: FakeSlack;
  let receiver: HttpReceiver;
  let tmpDir: string;
  const shot = (name: string) => screenshot(page, "console", name);

  before(async () => {
    slack = await new FakeSlack().start();
    slack.channels = [
      { id: "C0GENERAL", name: "general" }, { id: "C0SALES", name: "sales" }, { id: "C0OPS", name: "ops" },
    ];
    receiver = await new HttpReceiver().start();
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "console-browser-"));
    const http = testHttpClient();
    hub = await startConsoleHub([
      new DebugIntegration(),
      new SlackIntegration({ apiUrl: slack.apiUrl, minRetryMs: 5, tmpDir, http }),
      new WebhookIntegration(http),
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await hub?.close();
    await slack?.stop();
    await receiver?.stop();
    if (tmpDir) { fs.rmSync(tmpDir, { recursive: true, force: true }); }
  });

  async function open(name: string): Promise<void> {
    await page.click(`tr[data-integration=${name}] button.open`);
    // A selector, not a function: the page's Content-Security-Policy forbids evaluating strings.
    await page.waitForSelector(`#panel-title:has-text("(${name})")`);
    await page.waitForSelector("#form[data-ready]");
  }

  /** Clicks Send and waits for the answer and the log lines. */
  async function send(): Promise<{ status: string; message: string; logs: string }> {
    await page.click("#send");
    await page.waitForSelector("#answer-box[data-done]");
    return {
      status: (await page.textContent("#answer-status")) ?? "",
      message: (await page.textContent("#answer-message")) ?? "",
      logs: (await page.textContent("#logs")) ?? "",
    };
  }

  it("takes the pasted key and lists the hub's integrations with their action types and formats", async () => {
    await page.goto(`${hub.url}/console`);
    await page.fill("#key", "not-a-key");
    await page.click("#connect");
    await page.waitForSelector("#connect-status.error");
    expect(await page.textContent("#connect-status")).to.include("Invalid 'Authorization' header.");
    await page.fill("#key", hub.key);
    await page.click("#connect");
    await page.waitForSelector("tr[data-integration=slack]");
    const names = await page.$$eval("#integrations tbody tr",
      (rows) => rows.map((r) => r.getAttribute("data-integration")));
    expect(names).to.deep.equal(["debug", "slack", "webhook"]);
    expect(await page.textContent("tr[data-integration=slack]")).to.include("query, dashboard, cell");
    // The key stays in this tab only.
    // Functions, not strings: the page's Content-Security-Policy forbids evaluating strings.
    const storage = await page.evaluate(() => {
      const w = globalThis as any;
      return { key: JSON.parse(w.sessionStorage.getItem("console.key")), local: w.localStorage.length };
    });
    expect(storage).to.deep.equal({ key: hub.key, local: 0 });
    await shot("01-list");
  });

  it("sends the json_detail sample to debug, pushed, with the hub's log lines of the request", async () => {
    await open("debug");
    const answer = await send();
    expect(answer.status).to.equal("Success");
    const bytes = sampleBytes("users", "json_detail")!.length;
    expect(answer.message).to.equal(`received ${bytes} bytes, 5 rows`);
    expect(answer.logs).to.include("delivery finished");
    expect(answer.logs).to.include("/actions/debug/execute");
    await shot("02-debug-push");
  });

  it("sends a sample to debug on a one-time URL the hub serves itself", async () => {
    await page.selectOption("#format", "csv");
    await page.selectOption("#download", "url");
    const answer = await send();
    expect(answer.status).to.equal("Success");
    expect(answer.message).to.equal(`received ${sampleBytes("users", "csv")!.length} bytes, 5 rows`);
    expect(await page.textContent("#request-json")).to.include("/console/download/");
    await shot("03-debug-url");
  });

  it("renders Slack's form against the fake Slack: the token masked, the channel picked from a select", async () => {
    await open("slack");
    expect(await page.getAttribute("#param-slack_api_token", "type")).to.equal("password");
    await page.fill("#param-slack_api_token", slack.token);
    await page.dispatchEvent("#param-slack_api_token", "change");
    await page.waitForSelector("#form-channelType");
    await page.selectOption("#form-channelType", "channels");
    // channelType is interactive: the form is asked again and lists every page of channels.
    await page.waitForSelector("#form-channel option[value=C0SALES]", { state: "attached" });
    const options = await page.$$eval("#form-channel option", (list) => list.map((o) => o.textContent));
    expect(options).to.include.members(["#general", "#ops", "#sales"]);
    await page.selectOption("#form-channel", "C0SALES");
    // Typed once no form request is in flight: an answer still on its way re-renders the form.
    await page.waitForSelector("#form[data-ready]:not([aria-busy])");
    await page.fill("#form-initial_comment", "From the console");
    await page.selectOption("#format", "csv");
    await page.waitForSelector("#form[data-ready]:not([aria-busy])");
    expect(await page.inputValue("#form-initial_comment")).to.equal("From the console");
    await shot("04-slack-form");
    const answer = await send();
    expect(answer.status, answer.message).to.equal("Success");
    expect(slack.callsOf("conversations.list").length).to.be.greaterThan(1);
    const complete = slack.callsOf("files.completeUploadExternal").pop()!;
    expect(complete.args.channel_id).to.equal("C0SALES");
    // What the page sent, to tell a page that lost the value from an integration that dropped it.
    // The comment follows the file as a message of its own, as the official hub sends it.
    const sent = await page.textContent("#request-json");
    expect(slack.callsOf("chat.postMessage").pop()?.args, `form_params sent: ${sent?.slice(0, 600)}`)
      .to.include({ channel: "C0SALES", text: "From the console" });
    expect(slack.uploads.pop()!.body!.equals(sampleBytes("users", "csv")!)).to.equal(true);
    await shot("05-slack-sent");
  });

  it("sends a cell action to Slack with the clicked value", async () => {
    await page.selectOption("#type", "cell");
    await page.waitForSelector("#cell-value");
    await page.fill("#cell-value", "acme-corp-1042");
    await page.waitForSelector("#form-channel option[value=C0SALES]", { state: "attached" });
    await page.selectOption("#form-channel", "C0SALES");
    const answer = await send();
    expect(answer.status, answer.message).to.equal("Success");
    const post = slack.callsOf("chat.postMessage").pop()!;
    expect(post.args.channel).to.equal("C0SALES");
    expect(post.args.text ?? post.args.blocks).to.include("acme-corp-1042");
    await shot("06-slack-cell");
  });

  it("shows the validation error on the webhook form's missing URL", async () => {
    await open("webhook");
    const answer = await send();
    expect(answer.status).to.equal("Failed");
    expect(answer.message).to.match(/Webhook URL/);
    expect(await page.textContent("#error-url")).to.match(/Webhook URL is required/);
    expect(receiver.received).to.have.length(0);
    await shot("07-webhook-missing-url");
  });

  it("sends the PNG dashboard sample to a webhook receiver, which gets the bytes", async () => {
    await page.selectOption("#type", "dashboard");
    await page.selectOption("#sample", "dashboard_png");
    await page.waitForSelector("#form-url");
    await page.fill("#form-url", receiver.url("/hook"));
    const answer = await send();
    expect(answer.status, answer.message).to.equal("Success");
    expect(await page.textContent("#error-url")).to.equal("");
    const got = receiver.received.pop()!;
    expect(got.path).to.equal("/hook");
    expect(got.headers["content-type"]).to.match(/^image\/png/);
    expect(got.body.equals(sampleBytes("dashboard_png", "wysiwyg_png")!)).to.equal(true);
    await shot("08-webhook-sent");
  });

  it("sends a file the person chooses, in the format they name, on a one-time URL", async () => {
    const csv = Buffer.from("region,revenue\nEMEA,1204.50\nAPAC,980.00\n");
    await page.selectOption("#type", "query");
    await page.selectOption("#sample", "file");
    await page.setInputFiles("#file", { name: "revenue.csv", mimeType: "text/csv", buffer: csv });
    await page.selectOption("#format", "csv");
    await page.selectOption("#download", "url");
    const answer = await send();
    expect(answer.status, answer.message).to.equal("Success");
    const got = receiver.received.pop()!;
    expect(got.body.equals(csv)).to.equal(true);
    expect(got.headers["x-looker-format"]).to.equal("csv");
    await shot("09-webhook-file");
  });
});
