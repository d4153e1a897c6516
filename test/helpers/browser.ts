// Debian's Chromium driven by playwright-core, one instance per test run, with a fresh profile
// directory that is removed afterwards. `.ci/run` installs the package when it is missing.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

let context: Promise<BrowserContext> | undefined;
let profile: string | undefined;

/** The shared browser context, started on first use. */
export function browser(): Promise<BrowserContext> {
  if (!context) {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
    }
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "lis-chromium-"));
    context = chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
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
