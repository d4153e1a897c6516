// What the console offers an admin, in headless Chromium against a running hub with a POLICY_FILE:
// the delivery policy's rules for the integration a person opens, and the Dry run button.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Browser, Page } from "playwright-core";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { WebhookIntegration } from "../../src/integrations/webhook/webhook";
import { launchChromium, screenshot } from "../helpers/browser";
import { ConsoleHub, startConsoleHub } from "../helpers/console_hub";
import { testHttpClient } from "../helpers/http";

describe("console: the delivery policy and dry runs", function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let hub: ConsoleHub;

  before(async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "console-policy-")), "policy.json");
    fs.writeFileSync(file, JSON.stringify({
      fields: [{ tag: "pii", integrations: ["webhook"], action: "refuse" }],
      users: [{ integrations: ["webhook"], user_attribute: "can_export", allow: ["yes"] }],
      instances: [{ instance: "looker-b", integrations: ["debug"] }],
    }, null, 2));
    hub = await startConsoleHub([new DebugIntegration(), new WebhookIntegration(testHttpClient())],
      { POLICY_FILE: file });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${hub.url}/console`);
    await page.fill("#key", hub.key);
    await page.click("#connect");
    await page.waitForSelector("tr[data-integration=webhook]");
  });

  after(async () => {
    await browser?.close();
    await hub?.close();
  });

  async function policyOf(name: string): Promise<string[]> {
    await page.click(`tr[data-integration=${name}] button.open`);
    await page.waitForSelector(`#panel-title:has-text("(${name})")`);
    await page.waitForSelector("#policy li");
    return page.$$eval("#policy li", (items) => items.map((li) => li.textContent ?? ""));
  }

  it("lists each rule that applies, by its place and line, with the param Looker fills", async () => {
    expect(await policyOf("webhook")).to.deep.equal([
      "fields[0] (line 3): refuses a delivery with a field tagged \"pii\"; refuses formats without field tags (CSV, PDF) " +
        "and single values",
      "users[0] (line 12): delivers only for users whose \"can_export\" user attribute it allows (Looker fills the " +
        "param policy_can_export)",
      "instances[0] (line 23): not offered to the Looker instance looker-b",
    ]);
    // The admin sees the param among the settings.
    expect(await page.textContent("#params")).to.include("Policy: can_export");
    await screenshot(page, "console", "policy-webhook");
  });

  it("says when no rule applies", async () => {
    expect(await policyOf("debug")).to.deep.equal(["No rule of the policy applies to this integration."]);
  });

  it("dry-runs the chosen delivery: the answer says nothing was sent and what would have been", async () => {
    await policyOf("debug");
    await page.waitForSelector("#form[data-ready]");
    await page.click("#dry-run");
    await page.waitForSelector("#answer-box[data-done]");
    expect(await page.textContent("#answer-status")).to.equal("Dry run: nothing sent");
    expect(await page.textContent("#answer-message")).to.match(/^Dry run, nothing was sent to Debug: it would get Looker's json_detail data, [\d,]+ bytes, 5 rows\./);
    await screenshot(page, "console", "dry-run-debug");
  });
});
