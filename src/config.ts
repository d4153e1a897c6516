// The only module that reads process.env. Everything is read once, validated, and
// handed to the rest of the hub as a plain frozen object.
import * as crypto from "crypto";
import * as dotenv from "dotenv";
import * as fs from "fs";
import * as path from "path";

export type Mode = "production" | "development" | "test";

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
  debugIntegration: boolean;
  /** Milliseconds between keep-alive newlines on a long execute or form. */
  keepAliveIntervalMs: number;
  logLevel: string;
  logFormat: "json" | "pretty";
  gitCommit?: string;
  version: string;
  segment: {
    /** Segment's collection API (EU workspaces and private endpoints use another host). */
    apiHost: string;
  };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function first(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") { return value.trim(); }
  }
  return undefined;
}

function intSetting(env: Env, name: string, fallback: number, min: number): number {
  const raw = first(env, name);
  if (raw === undefined) { return fallback; }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number of at least ${min}; it is "${raw}".`);
  }
  return value;
}

function boolSetting(env: Env, name: string): boolean {
  const raw = first(env, name);
  if (raw === undefined) { return false; }
  if (/^(1|true|yes|on)$/i.test(raw)) { return true; }
  if (/^(0|false|no|off)$/i.test(raw)) { return false; }
  throw new ConfigError(`${name} must be true or false; it is "${raw}".`);
}

function secondsSetting(env: Env, name: string, fallback: number): number {
  const raw = first(env, name);
  if (raw === undefined) { return fallback; }
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive number of seconds; it is "${raw}".`);
  }
  return value;
}

function urlSetting(env: Env, name: string, fallback: string): string {
  const raw = first(env, name) ?? fallback;
  if (!/^https?:\/\/[^\s/]+/i.test(raw)) {
    throw new ConfigError(`${name} must be an http(s) URL such as ${fallback}; it is "${raw}".`);
  }
  return raw.replace(/\/+$/, "");
}

/** The commit of a git checkout the hub runs from, when there is one. */
function gitHead(): string | undefined {
  try {
    const gitDir = path.join(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.git" : "../.git");
    const head = fs.readFileSync(path.join(gitDir, "HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) { return head.slice(0, 12); }
    const ref = head.slice(5);
    const refFile = path.join(gitDir, ref);
    if (fs.existsSync(refFile)) { return fs.readFileSync(refFile, "utf8").trim().slice(0, 12); }
    const packed = fs.readFileSync(path.join(gitDir, "packed-refs"), "utf8");
    const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
    return line ? line.slice(0, 12) : undefined;
  } catch {
    return undefined;
  }
}

function packageVersion(): string {
  for (const candidate of ["../package.json", "../../package.json"]) {
    const file = path.join(__dirname, candidate);
    if (fs.existsSync(file)) { return JSON.parse(fs.readFileSync(file, "utf8")).version; }
  }
  return "0.0.0";
}

/** Reads a `.env` file (when present) under the real environment, which wins. */
export function environmentWithDotenv(env: Env, dotenvPath = path.resolve(".env")): Env {
  if (!fs.existsSync(dotenvPath)) { return { ...env }; }
  return { ...dotenv.parse(fs.readFileSync(dotenvPath)), ...env };
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
  if (secret.length < 16) {
    throw new ConfigError("INTEGRATION_SERVICE_SECRET must be at least 16 characters long.");
  }
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
    debugIntegration: boolSetting(env, "DEBUG_INTEGRATION"),
    keepAliveIntervalMs: secondsSetting(env, "KEEPALIVE_INTERVAL_SECONDS", 30) * 1000,
    logLevel: first(env, "LOG_LEVEL") ?? (mode === "test" ? "warn" : "info"),
    logFormat,
    gitCommit: first(env, "GIT_COMMIT", "SOURCE_VERSION", "HEROKU_SLUG_COMMIT") ?? gitHead(),
    version: packageVersion(),
    segment: Object.freeze({ apiHost: urlSetting(env, "SEGMENT_API_HOST", "https://api.segment.io") }),
  });
}

/** The configuration of this process, read from process.env (and `.env`) on first use. */
let current: Config | undefined;
export function processConfig(defaultMode: Mode = "production"): Config {
  if (!current) { current = loadConfig(environmentWithDotenv(process.env), defaultMode); }
  return current;
}
