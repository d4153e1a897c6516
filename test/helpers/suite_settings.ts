// What the suite-wide tests need from each integration, declared beside that integration's tests
// and found here: every `test/integrations/**/<vendor>_settings.ts` exports `settings`. A new
// integration adds its own file (`npm run new-integration` writes one); no central map to edit.
//
// The suites that read them:
// - test/integrations/test_looker_shapes.ts: Looker's real payloads, every format, push and url,
//   each vendor played by its fake (`lookerShapes`);
// - test/hardening/ (broken vendors, log secrecy): every vendor base URL at one misbehaving fake
//   (`vendorEnv`), with values shaped as the vendor's own where the hub checks them first;
// - test/integrations/test_private_addresses.ts: private addresses typed into URL-like fields.
import * as fs from "fs";
import * as path from "path";
import { storedStateFor } from "../../src/hub/oauth/stored_state";
import { Sealer } from "../../src/hub/oauth/sealing";
import { HttpReceiver } from "../fakes/http_receiver";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { S3Server, sharedS3Server } from "../fakes/s3_server";
import { SmtpTestServer } from "../fakes/smtp_server";
import { TEST_SECRET } from "./app";
import { LoginVendors, loginVendorsEnv, startLoginVendors, stopLoginVendors } from "./login_vendors";

/** What an admin (`data`, the params) and a user (`form`) fill in so that a delivery succeeds. */
export interface DeliverySettings {
  data: Record<string, unknown>;
  form: Record<string, string>;
  /** After each successful delivery: a failure to report (e.g. other bytes arrived), or undefined. */
  check?(sent: Buffer): string | undefined;
}

/** A vendor's fakes started for Looker's real payloads. */
export interface ShapesRun {
  /** Variables pointing the hub at the fakes (base URLs, poll intervals). */
  env?: Record<string, string>;
  /** By integration name: the settings that make each delivery succeed. */
  deliveries: Record<string, DeliverySettings>;
  /** After every delivery ran: asserts that the data reached the vendor. */
  arrived?(): void;
  stop?(): Promise<void>;
}

export interface SuiteSettings {
  /** The integrations (wire names) this file speaks for; each has exactly one settings file. */
  integrations: string[];
  /** Every variable that points this vendor's base URLs (and clients) at one local URL. */
  vendorEnv?(vendorUrl: string): Record<string, string>;
  /** Params shaped as the vendor's own, by integration, where the hub checks them before a call. */
  shapedParams?(vendorUrl: string): Record<string, Record<string, string>>;
  /** Form values shaped as the vendor's own, by integration. */
  shapedFields?: Record<string, Record<string, string>>;
  /** Values shaped as the vendor's own for the tag an integration requires (phone, droplet id...). */
  tagValues?: Record<string, string>;
  /**
   * Params an integration keeps (the official hub had them) but never connects to, by integration:
   * a private address typed there is not refused, only never dialled (test_private_addresses.ts).
   */
  unusedParams?: Record<string, string[]>;
  /** Tags that carry a row's id or email for this vendor's row destinations, by which column. */
  rowTags?: { id?: string[]; email?: string[] };
  /** Starts the vendor's fakes (and uses the shared ones) for test_looker_shapes.ts. */
  lookerShapes?(shared: SharedFakes): Promise<ShapesRun>;
}

export interface FoundSettings extends SuiteSettings {
  /** The file, relative to the repository. */
  file: string;
}

const ROOT = path.join(__dirname, "..", "..");
const SETTINGS_FILE = /_settings\.ts$/;

function settingsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { return settingsFiles(full); }
    return SETTINGS_FILE.test(entry.name) ? [full] : [];
  }).sort();
}

let found: FoundSettings[] | undefined;

/** Every settings file under test/integrations/, in path order. */
export function discoveredSettings(): FoundSettings[] {
  if (!found) {
    found = settingsFiles(path.join(ROOT, "test", "integrations")).map((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const settings = (require(file) as { settings?: SuiteSettings }).settings;
      const relative = path.relative(ROOT, file);
      if (!settings || !Array.isArray(settings.integrations)) {
        throw new Error(`${relative} must export \`settings: SuiteSettings\` (test/helpers/suite_settings.ts).`);
      }
      return { ...settings, file: relative };
    });
  }
  return found;
}

/** The settings file that speaks for an integration. */
export function settingsOf(name: string): FoundSettings | undefined {
  return discoveredSettings().find((s) => s.integrations.includes(name));
}

/** Every vendor's variables pointing at one URL (the hardening suites' misbehaving vendor). */
export function everyVendorEnv(vendorUrl: string): Record<string, string> {
  return Object.assign({}, ...discoveredSettings().map((s) => s.vendorEnv?.(vendorUrl) ?? {}));
}

/** Params shaped as the vendor's own for one integration. */
export function shapedParams(name: string, vendorUrl: string): Record<string, string> {
  return settingsOf(name)?.shapedParams?.(vendorUrl)[name] ?? {};
}

/** Params the integration never connects to (see SuiteSettings.unusedParams). */
export function unusedParams(name: string): string[] {
  return settingsOf(name)?.unusedParams?.[name] ?? [];
}

export function shapedFields(name: string): Record<string, string> {
  return settingsOf(name)?.shapedFields?.[name] ?? {};
}

/** A value shaped as its vendor's own for a tag (e.g. a phone number for `phone`), if one is declared. */
export function tagValue(tag: string): string | undefined {
  return discoveredSettings().map((s) => s.tagValues?.[tag]).find((v) => v !== undefined);
}

/** The tags every row destination reads ids or emails from. */
export function rowTags(column: "id" | "email"): string[] {
  return discoveredSettings().flatMap((s) => s.rowTags?.[column] ?? []);
}

/** A check that the data passed through unchanged: the receiver's last request carried the bytes sent. */
export function passedThrough(receiver: HttpReceiver): (sent: Buffer) => string | undefined {
  return (sent) => receiver.received[receiver.received.length - 1]?.body.equals(sent) ? undefined : "other bytes arrived";
}

/**
 * The fakes several vendors use, started on first use and stopped once by the suite: an HTTP
 * receiver answering 200 with no body (the webhook family), the per-user login vendors, an SMTP
 * server, the S3 server (with the bucket `hub-shapes`).
 */
export class SharedFakes {
  private started: Partial<{ receiver: Promise<HttpReceiver>; logins: Promise<LoginVendors>;
    smtp: Promise<SmtpTestServer>; s3: Promise<S3Server>; }> = {};

  receiver(): Promise<HttpReceiver> {
    return this.started.receiver ??= new HttpReceiver().start().then((r) => {
      // Teams' Workflows answer 202 with no body; the other receivers look only at the status.
      r.defaultReply = { status: 200, body: "" };
      return r;
    });
  }

  loginVendors(): Promise<LoginVendors> {
    return this.started.logins ??= startLoginVendors();
  }

  /** The login vendors' variables (clients and API URLs), for a login integration's env. */
  async loginEnv(): Promise<Record<string, string>> { return loginVendorsEnv(await this.loginVendors()); }

  smtp(): Promise<SmtpTestServer> {
    return this.started.smtp ??= new SmtpTestServer().start();
  }

  s3(): Promise<S3Server> {
    return this.started.s3 ??= sharedS3Server().then(async (s3) => { await s3.createBucket("hub-shapes"); return s3; });
  }

  /** A logged-in user of an OAuth integration: tokens from a fake OAuth server, sealed as the hub stores them. */
  async login(integration: string, vendor?: FakeOAuthServer): Promise<Record<string, unknown>> {
    const tokens = (vendor ?? (await this.loginVendors()).oauth).issue();
    return { state_json: storedStateFor(new Sealer(TEST_SECRET), integration,
      { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3_600_000 }) };
  }

  /** Stops what was started (the S3 server is the suite's, stopped at its end). */
  async stop(): Promise<void> {
    const { receiver, logins, smtp } = this.started;
    await Promise.all([receiver?.then((r) => r.stop()), logins?.then((l) => stopLoginVendors(l)),
      smtp?.then((s) => s.stop())]);
    this.started = {};
  }
}

// Found when a test file imports this module, while mocha loads the files: the fakes the settings
// import register their root hooks (a shared server stopped after the run) then, not in a hook.
discoveredSettings();
