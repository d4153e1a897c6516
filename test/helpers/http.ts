// An HttpClient for tests: tiny retry delays and short timeouts, loopback-only DNS by default.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HttpClient } from "../../src/lib/http_client";
import { LookupFunction } from "../../src/lib/url_guard";
import { HttpReceiver, loopbackLookup } from "../fakes/http_receiver";
import { testConfig } from "./app";

export const FAST_HTTP_ENV: Record<string, string> = {
  HTTP_RETRY_BASE_DELAY_MS: "5",
  HTTP_RETRY_MAX_DELAY_MS: "20",
  HTTP_CONNECT_TIMEOUT_SECONDS: "2",
  HTTP_IDLE_TIMEOUT_SECONDS: "2",
  HTTP_TOTAL_TIMEOUT_SECONDS: "5",
  HTTP_MAX_ATTEMPTS: "3",
  ALLOW_HTTP_URLS: "true",
  ALLOW_PRIVATE_URLS: "true",
};

export function testHttpClient(
  env: Record<string, string> = {}, lookup: LookupFunction = loopbackLookup(),
): HttpClient {
  const config = testConfig({ ...FAST_HTTP_ENV, ...env });
  return new HttpClient(config.http, { version: config.version, lookup });
}

/** A receiver on loopback and an empty spool directory, made for each test of the calling describe. */
export function receiverAndSpool(): { readonly receiver: HttpReceiver; readonly spoolDir: string } {
  const made = {} as { receiver: HttpReceiver; spoolDir: string };
  beforeEach(async () => {
    made.receiver = await new HttpReceiver().start();
    made.spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-test-spool-"));
  });
  afterEach(async () => {
    await made.receiver.stop();
    fs.rmSync(made.spoolDir, { recursive: true, force: true });
  });
  return made;
}
