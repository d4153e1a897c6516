// The outbound HTTP client's settings (HTTP_*, the private-address guard's variables) and the
// webhook family's vendor domains, read from the environment by src/config/index.ts.
import * as os from "os";
import { boolSetting, cidrListSetting, directorySetting, Env, first, intSetting, secondsSetting } from "./values";

export interface HttpSettings {
  connectTimeoutMs: number;
  /** Longest silence on a connection (no byte either way) before the attempt is abandoned. */
  idleTimeoutMs: number;
  /** Longest one attempt may take, from connecting to the end of the answer. */
  totalTimeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** A vendor asking to wait longer than this (Retry-After) gets no further attempt. */
  retryAfterMaxMs: number;
  maxRedirects: number;
  /** Where stream bodies are spooled so retries can replay them. */
  spoolDir: string;
  /** Lifts the private-address guard entirely (on-premises destinations, tests). */
  allowPrivateUrls: boolean;
  /** Lets users type plain http:// URLs. */
  allowHttpUrls: boolean;
  /** IPs or CIDRs users may reach even though they are private. */
  privateUrlAllowlist: string[];
}

export interface WebhookSettings {
  /** Domains (and their subdomains) the zapier integration posts to. */
  zapierDomains: string[];
  /** Domains (and their subdomains) the tray integration posts to. */
  trayDomains: string[];
}


/** The outbound HTTP settings when no HTTP_* variable is set. */
export function defaultHttpSettings(): HttpSettings {
  return httpSettings({}, os.tmpdir());
}

export function httpSettings(env: Env, spoolDir: string): HttpSettings {
  return {
    connectTimeoutMs: secondsSetting(env, "HTTP_CONNECT_TIMEOUT_SECONDS", 10) * 1000,
    idleTimeoutMs: secondsSetting(env, "HTTP_IDLE_TIMEOUT_SECONDS", 60) * 1000,
    totalTimeoutMs: secondsSetting(env, "HTTP_TOTAL_TIMEOUT_SECONDS", 900) * 1000,
    maxAttempts: intSetting(env, "HTTP_MAX_ATTEMPTS", 4, 1),
    retryBaseDelayMs: intSetting(env, "HTTP_RETRY_BASE_DELAY_MS", 1000, 0),
    retryMaxDelayMs: intSetting(env, "HTTP_RETRY_MAX_DELAY_MS", 30_000, 0),
    retryAfterMaxMs: secondsSetting(env, "HTTP_RETRY_AFTER_MAX_SECONDS", 120) * 1000,
    maxRedirects: intSetting(env, "HTTP_MAX_REDIRECTS", 5, 0),
    spoolDir: first(env, "HTTP_SPOOL_DIR") ? directorySetting(env, "HTTP_SPOOL_DIR", spoolDir) : spoolDir,
    allowPrivateUrls: boolSetting(env, "ALLOW_PRIVATE_URLS"),
    allowHttpUrls: boolSetting(env, "ALLOW_HTTP_URLS"),
    privateUrlAllowlist: cidrListSetting(env, "PRIVATE_URL_ALLOWLIST"),
  };
}
