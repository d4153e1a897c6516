// The only module that reads process.env. Everything is read once, validated, and
// handed to the rest of the hub as a plain frozen object.
import * as crypto from "crypto";
import * as dotenv from "dotenv";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  baseUrlSetting, boolSetting, choiceSetting, ConfigError, directorySetting, Env, first, gitHead,
  intSetting, listSetting, packageVersion, secondsSetting, sizeSetting,
} from "./values";
import { AdsSettings, adsSettings } from "./ads";
import { CrmSettings, crmSettings } from "./crm";
import { defaultRowWorkerThreads, maxConcurrentDeliveries, usableMemory } from "./capacity";
import {
  DropboxSettings, dropboxSettings, GoogleSettings, googleSettings, OAuthClientSetting, oauthClientSetting,
} from "./oauth";
import { consoleSettings, ConsoleSettings } from "./console";
import { EmailSettings, emailSettings } from "./email";
import { OpsSettings, opsSettings } from "./ops";
import { StorageSettings, storageSettings } from "./storage";
import { actionWhitelistSetting, cipherMasterSetting } from "./official";
import { MlSettings, mlSettings } from "./ml";
import { MessagingSettings, messagingSettings } from "./messaging";
import { WarehouseSettings, warehouseSettings } from "./warehouse";
import { PolicySettings, policySetting } from "./policy";
import { HttpSettings, httpSettings, WebhookSettings } from "./http";
export { defaultHttpSettings } from "./http";
export type { HttpSettings, WebhookSettings } from "./http";

import { checkProductionSecret, configWarnings } from "./checks";

export { ConfigError } from "./values";

export type Mode = "production" | "development" | "test";

/**
 * The levels LOG_LEVEL takes, any case. Anything else stops the start: winston given a level it
 * does not know writes nothing at all, and a hub that logs nothing cannot say what went wrong.
 */
export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export type LogLevel = typeof LOG_LEVELS[number];

export interface Config {
  mode: Mode;
  port: number;
  host: string;
  /** Public URL Looker reaches the hub at, without a trailing slash. */
  baseUrl: string;
  label: string;
  secret: string;
  /** True when no secret was configured and a random one was made for this run. */
  secretIsEphemeral: boolean;
  /** Weak but allowed settings (a short secret, a BASE_URL that is not https), logged at start. */
  warnings: string[];
  debugIntegration: boolean;
  /** Milliseconds between keep-alive newlines on a long execute or form. */
  keepAliveIntervalMs: number;
  /** Largest execute body or download URL body, in bytes; 0 means no limit. */
  maxDeliveryBytes: number;
  /** Milliseconds to connect to a download URL. */
  downloadConnectTimeoutMs: number;
  /** Milliseconds a download URL may stay silent before the delivery fails. */
  downloadIdleTimeoutMs: number;
  /** Longest a whole download may take; and the least rate it must keep (bytes/s, 0: none). */
  downloadTotalTimeoutMs: number;
  downloadMinBytesPerSecond: number;
  /** Directory for spool files (data that arrives before the params). */
  spoolDir: string;
  logLevel: LogLevel;
  logFormat: "json" | "pretty";
  gitCommit?: string;
  version: string;
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** How long a SIGTERM waits for requests in flight before closing them. */
  shutdownGraceMs: number;
  /** Worker processes (Node cluster); 1 runs the hub in this process. */
  webConcurrency: number;
  /** ROW_WORKER_THREADS: threads running row deliveries' parsing, mapping and serialising; 0: the main thread. */
  rowWorkerThreads: number;
  /** Deliveries (executes) one process runs at once; the next wait their turn (src/config/capacity.ts). */
  maxConcurrentDeliveries: number;
  /** A client must send its request headers within this time. */
  headersTimeoutMs: number;
  /** A connection with nothing sent or received for this long is closed. */
  idleTimeoutMs: number;
  slack: {
    /** Base URL of Slack's Web API, ending in a slash (SLACK_API_URL). */
    apiUrl: string;
  };
  /** Outbound HTTP: timeouts, retries and the guard for URLs typed by users (docs/http_client.md). */
  http: HttpSettings;
  /** Hosts the webhook-family integrations accept. */
  webhooks: WebhookSettings;
  segment: {
    /** Segment's collection API (EU workspaces and private endpoints use another host). */
    apiHost: string;
    /** How deliveries reach Segment: the hub's own /v1/batch sender, or Segment's analytics-node SDK. */
    sender: "batch" | "analytics-node";
  };
  /** Google's OAuth endpoints, APIs and the Drive/Sheets clients (src/config/oauth.ts). */
  google: GoogleSettings;
  /** Endpoints of the storage integrations (buckets, containers). */
  storage: StorageSettings;
  /** Dropbox's endpoints and app (src/config/oauth.ts). */
  dropbox: DropboxSettings;
  /** The console that plays Looker's part (GET /console). */
  console: ConsoleSettings;
  /** The email and sendgrid integrations (src/config/email.ts). */
  email: EmailSettings;
  /** Jira, Twilio, PagerDuty, EC2, DigitalOcean and Firebase (src/config/ops.ts). */
  ops: OpsSettings;
  /** CRM and marketing: HubSpot, Marketo, Braze, mParticle (src/config/crm.ts). */
  crm: CrmSettings;
  /** Ad audiences: Facebook Custom Audiences, Google Ads Customer Match (src/config/ads.ts). */
  ads: AdsSettings;
  /** DataRobot and Amazon SageMaker (src/config/ml.ts). */
  ml: MlSettings;
  /** Discord, Mattermost, Telegram, Opsgenie and Webex (src/config/messaging.ts). */
  messaging: MessagingSettings;
  /** The write-back integrations (src/config/warehouse.ts). */
  warehouse: WarehouseSettings;
  /** ACTION_WHITELIST: the only integrations offered; undefined offers all (src/config/official.ts). */
  actionWhitelist?: readonly string[];
  /** CIPHER_MASTER: the official hub's key, to read the user logins it stored encrypted. */
  cipherMaster?: Buffer;
  /** The delivery policy of POLICY_FILE (docs/policy.md); none when it is not set. */
  policy?: PolicySettings;
  /**
   * A vendor's base URL from its variable (e.g. ACME_API_URL, ending in a slash), or the public
   * default: read from the same environment as everything else, checked when the integration is
   * built at start. A new integration is configured this way (`npm run new-integration` writes it).
   */
  vendorUrl(name: string, publicDefault: string): string;
  /** An OAuth client from its id and secret variables (both or neither), for a new per-user login. */
  oauthClient(idName: string, secretName: string): OAuthClientSetting | undefined;
}

/** Reads a `.env` file (when present) under the real environment, which wins. */
export function environmentWithDotenv(env: Env, dotenvPath = path.resolve(".env")): Env {
  if (!fs.existsSync(dotenvPath)) { return { ...env }; }
  return { ...dotenv.parse(fs.readFileSync(dotenvPath)), ...env };
}

/**
 * The secret API keys are made from, and nothing else: what the key tool needs, so it runs where
 * the hub runs (a Docker image, a Heroku dyno, a Kubernetes pod) with only the secret set.
 * Undefined when none is set; a placeholder is refused when NODE_ENV is production.
 */
export function configuredSecret(env: Env): string | undefined {
  const secret = first(env, "INTEGRATION_SERVICE_SECRET", "ACTION_HUB_SECRET");
  if (secret && first(env, "NODE_ENV") === "production") { checkProductionSecret(secret); }
  return secret;
}

/**
 * Builds the configuration. `defaultMode` applies when NODE_ENV is not set:
 * `npm start` is production, `npm run dev` is development.
 */
export function loadConfig(env: Env, defaultMode: Mode = "production"): Config {
  const nodeEnv = first(env, "NODE_ENV");
  const mode: Mode = nodeEnv === "production" || nodeEnv === "development" || nodeEnv === "test"
    ? nodeEnv : defaultMode;
  const port = intSetting(env, "PORT", 8080, 0);
  const host = first(env, "HOST") ?? (mode === "production" ? "0.0.0.0" : "127.0.0.1");
  let baseUrl = first(env, "BASE_URL", "ACTION_HUB_BASE_URL");
  let secret = first(env, "INTEGRATION_SERVICE_SECRET", "ACTION_HUB_SECRET");
  const missing: string[] = [];
  if (mode === "production") {
    if (!secret) { missing.push("INTEGRATION_SERVICE_SECRET (a long random string, e.g. `openssl rand -hex 32`)"); }
    if (!baseUrl) { missing.push("BASE_URL (the https URL Looker reaches this hub at)"); }
    if (missing.length) {
      throw new ConfigError(`Cannot start in production: set ${missing.join(" and ")}.`);
    }
  }
  const secretIsEphemeral = !secret;
  secret = secret ?? crypto.randomBytes(32).toString("hex");
  baseUrl = baseUrl ?? `http://localhost:${port}`;
  if (!/^https?:\/\/[^\s/]+/i.test(baseUrl)) {
    throw new ConfigError(`BASE_URL must be an http(s) URL such as https://hub.example.com; it is "${baseUrl}".`);
  }
  if (mode === "production") { checkProductionSecret(secret); }
  const warnings = configWarnings(mode, secret, secretIsEphemeral, baseUrl);
  // The official hub's ACTION_HUB_JSON_KEEPALIVE_SEC means the same; ours wins when both are set.
  const keepAliveName = first(env, "KEEPALIVE_INTERVAL_SECONDS") === undefined &&
    first(env, "ACTION_HUB_JSON_KEEPALIVE_SEC") !== undefined ? "ACTION_HUB_JSON_KEEPALIVE_SEC" : "KEEPALIVE_INTERVAL_SECONDS";
  const keepAliveIntervalMs = secondsSetting(env, keepAliveName, 30) * 1000;
  const idleTimeoutMs = secondsSetting(env, "IDLE_TIMEOUT_SECONDS", 120) * 1000;
  if (idleTimeoutMs <= keepAliveIntervalMs) {
    throw new ConfigError("IDLE_TIMEOUT_SECONDS must be longer than KEEPALIVE_INTERVAL_SECONDS, " +
      "or long deliveries are cut while they run.");
  }
  const spoolDir = directorySetting(env, "SPOOL_DIR", os.tmpdir());
  const webConcurrency = intSetting(env, "WEB_CONCURRENCY", mode === "production" ? os.availableParallelism() : 1, 1);
  const logFormat = first(env, "LOG_FORMAT") ?? (mode === "production" ? "json" : "pretty");
  if (logFormat !== "json" && logFormat !== "pretty") {
    throw new ConfigError(`LOG_FORMAT must be json or pretty; it is "${logFormat}".`);
  }
  return Object.freeze({
    mode,
    port,
    host,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    label: first(env, "INTEGRATION_PROVIDER_LABEL", "ACTION_HUB_LABEL") ?? "Looker Integration Service",
    secret,
    secretIsEphemeral,
    warnings,
    debugIntegration: boolSetting(env, "DEBUG_INTEGRATION"),
    keepAliveIntervalMs,
    maxDeliveryBytes: sizeSetting(env, "MAX_DELIVERY_BYTES", 0),
    downloadConnectTimeoutMs: secondsSetting(env, "DOWNLOAD_CONNECT_TIMEOUT_SECONDS", 30) * 1000,
    downloadIdleTimeoutMs: secondsSetting(env, "DOWNLOAD_IDLE_TIMEOUT_SECONDS", 120) * 1000,
    downloadTotalTimeoutMs: secondsSetting(env, "DOWNLOAD_TOTAL_TIMEOUT_SECONDS", 3600) * 1000,
    downloadMinBytesPerSecond: intSetting(env, "DOWNLOAD_MIN_BYTES_PER_SECOND", 1024, 0),
    spoolDir,
    logLevel: first(env, "LOG_LEVEL") === undefined ? (mode === "test" ? "warn" : "info")
      : choiceSetting(env, "LOG_LEVEL", LOG_LEVELS),
    logFormat,
    gitCommit: first(env, "GIT_COMMIT", "SOURCE_VERSION", "HEROKU_SLUG_COMMIT") ?? gitHead(),
    version: packageVersion(),
    metricsToken: first(env, "METRICS_TOKEN"),
    shutdownGraceMs: secondsSetting(env, "SHUTDOWN_GRACE_SECONDS", 25) * 1000,
    headersTimeoutMs: secondsSetting(env, "HEADERS_TIMEOUT_SECONDS", 20) * 1000,
    idleTimeoutMs,
    webConcurrency,
    // Row work (parse, map, serialise) on threads beside each process's main thread (src/data/rows/row_workers.ts),
    // on the cores the processes leave; none in tests, whose processes are measured for memory (test_row_workers.ts
    // sets its own).
    rowWorkerThreads: intSetting(env, "ROW_WORKER_THREADS",
      mode === "test" ? 0 : defaultRowWorkerThreads(os.availableParallelism(), webConcurrency), 0),
    maxConcurrentDeliveries: maxConcurrentDeliveries(env, usableMemory(os.totalmem(), process.constrainedMemory?.()),
      webConcurrency, os.availableParallelism()),
    slack: {
      apiUrl: baseUrlSetting(env, "SLACK_API_URL", "https://slack.com/api/"),
    },
    http: Object.freeze(httpSettings(env, spoolDir)),
    webhooks: Object.freeze({
      zapierDomains: listSetting(env, "ZAPIER_WEBHOOK_DOMAINS", ["zapier.com"]),
      trayDomains: listSetting(env, "TRAY_WEBHOOK_DOMAINS", ["trayapp.io"]),
    }),
    segment: Object.freeze({
      apiHost: baseUrlSetting(env, "SEGMENT_API_HOST", "https://api.segment.io").replace(/\/$/, ""),
      sender: choiceSetting(env, "SEGMENT_SENDER", ["batch", "analytics-node"] as const),
    }),
    google: Object.freeze(googleSettings(env)),
    storage: Object.freeze(storageSettings(env)),
    dropbox: Object.freeze(dropboxSettings(env)),
    console: consoleSettings(env, mode),
    email: emailSettings(env),
    ops: Object.freeze(opsSettings(env)),
    crm: crmSettings(env),
    ads: adsSettings(env),
    ml: Object.freeze(mlSettings(env)),
    messaging: messagingSettings(env),
    warehouse: Object.freeze(warehouseSettings(env)),
    actionWhitelist: actionWhitelistSetting(env),
    cipherMaster: cipherMasterSetting(env),
    policy: policySetting(first(env, "POLICY_FILE")),
    vendorUrl: (name: string, publicDefault: string) => baseUrlSetting(env, name, publicDefault),
    oauthClient: (idName: string, secretName: string) => oauthClientSetting(env, idName, secretName),
  });
}

/** The configuration of this process, read from process.env (and `.env`) on first use. */
let current: Config | undefined;
export function processConfig(defaultMode: Mode = "production"): Config {
  if (!current) { current = loadConfig(environmentWithDotenv(process.env), defaultMode); }
  return current;
}
