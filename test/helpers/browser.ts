// Debian's Chromium driven by playwright-core, with a fresh profile directory that is removed
// afterwards. `.ci/run` installs the package when it is missing. Two ways to use it: one shared
// context per test run (`browser()`), or one browser per test file (`launchChromium()` in
// `before`, closed in `after`), with screenshots kept under test-artifacts/ (gitignored).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Browser, BrowserContext, chromium, Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
export const ARTIFACTS = path.join(__dirname, "..", "..", "test-artifacts");

let context: Promise<BrowserContext> | undefined;
let profile: string | undefined;

function checkChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  }
}

/** The shared browser context, started on first use. */
export function browser(): Promise<BrowserContext> {
  if (!context) {
    checkChromium();
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "lis-chromium-"));
    context = chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  }
  return context;
}

/** Closes the browser and removes its profile; safe to call when it never started. */
export async function closeBrowser(): Promise<void> {
  const started = context;
  context = undefined;
  try {
    if (started) { await (await started).close(); }
  } finally {
    if (profile) { fs.rmSync(profile, { recursive: true, force: true }); }
    profile = undefined;
  }
}

/** A browser of the test file's own (playwright-core gives it a temporary profile it removes on close). */
export async function launchChromium(): Promise<Browser> {
  checkChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, "--disable-dev-shm-usage"] });
}

/** Saves a full-page screenshot as test-artifacts/<folder>/<name>.png and answers its path. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const dir = path.join(ARTIFACTS, folder);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
