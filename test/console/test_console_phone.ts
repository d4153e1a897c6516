// The console on a phone (390 px wide, as an iPhone's screen): the list, an integration's panel
// and its answer fit the screen, with no sideways scrolling. Headless Chromium; screenshots in
// test-artifacts/console-phone/.
import { expect } from "chai";
import { Browser, Page } from "playwright-core";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { WebhookIntegration } from "../../src/integrations/webhook/webhook";
import { launchChromium, screenshot } from "../helpers/browser";
import { ConsoleHub, startConsoleHub } from "../helpers/console_hub";
import { testHttpClient } from "../helpers/http";

const WIDTH = 390;

describe("console on a 390 px phone", function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let hub: ConsoleHub;

  before(async () => {
    hub = await startConsoleHub([new DebugIntegration(), new WebhookIntegration(testHttpClient())]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true });
  });

  after(async () => {
    await browser?.close();
    await hub?.close();
  });

  /** The page's width as laid out, and the widest element that passes the screen's edge. */
  async function overflow(): Promise<{ scrollWidth: number; widest: string }> {
    // A function, not a string: the page's Content-Security-Policy forbids evaluating strings.
    return page.evaluate((width) => {
      const doc = (globalThis as any).document;
      let widest = "";
      for (const node of doc.querySelectorAll("body *")) {
        const box = node.getBoundingClientRect();
        if (box.width > 0 && box.right > width + 0.5) {
          widest = `${node.tagName}#${node.id} ${Math.round(box.right)}px`;
        }
      }
      return { scrollWidth: doc.documentElement.scrollWidth, widest };
    }, WIDTH);
  }

  it("lists the integrations as cards that fit the screen", async () => {
    await page.goto(`${hub.url}/console`);
    await page.fill("#key", hub.key);
    await page.click("#connect");
    await page.waitForSelector("tr[data-integration=webhook]");
    await screenshot(page, "console-phone", "01-list");
    const { scrollWidth, widest } = await overflow();
    expect(widest, "an element past the screen's edge").to.equal("");
    expect(scrollWidth).to.be.at.most(WIDTH);
    // Each cell says what it is (its data-label, shown before it), since the table's head is not shown.
    const labels = await page.$$eval("tr[data-integration=debug] td[data-label]", (cells) =>
      cells.map((c) => c.getAttribute("data-label")));
    expect(labels).to.deep.equal(["Actions", "Formats", "Download", "Required tags"]);
  });

  it("shows an integration's settings, form and answer within the screen", async () => {
    await page.click("tr[data-integration=debug] button.open");
    await page.waitForSelector("#form[data-ready]");
    await screenshot(page, "console-phone", "02-debug-panel");
    await page.click("#send");
    await page.waitForSelector("#answer-box[data-done]");
    expect(await page.textContent("#answer-status")).to.equal("Success");
    await screenshot(page, "console-phone", "03-debug-answer");
    const { scrollWidth, widest } = await overflow();
    expect(widest, "an element past the screen's edge").to.equal("");
    expect(scrollWidth).to.be.at.most(WIDTH);
  });
});
