// Settings of the email family (the `email` and `sendgrid` integrations), read from the
// environment object handed over by src/config/index.ts.
import * as fs from "fs";
import { LinkStoreSettings, linkStoreSettings, linkTtlHours } from "./link_store";
import { baseUrlSetting, ConfigError, Env, first, secondsSetting, sizeSetting } from "./values";

export interface EmailSettings {
  /** SMTP_URL: the hub-wide relay used when the `email` integration's admin leaves smtp_url empty. */
  smtpUrl?: string;
  /** EMAIL_FROM: the hub-wide sender used when the admin leaves `from` empty. */
  from?: string;
  /** SMTP_CA_CERTIFICATE: PEM of a private CA trusted for the hub-wide relay (or a path to it). */
  smtpCaCertificate?: string;
  /** SMTP_TIMEOUT_SECONDS: connecting, the greeting, and any silence of an SMTP conversation. */
  smtpTimeoutMs: number;
  /** HTTP_TOTAL_TIMEOUT_SECONDS: the longest one SMTP conversation may take, the message included. */
  smtpTotalTimeoutMs: number;
  /** EMAIL_MAX_ATTACHMENT_BYTES: larger files are sent as a link (or refused without a link store). */
  maxAttachmentBytes: number;
  /** SENDGRID_API_URL: SendGrid's Web API base, ending in a slash. */
  sendgridApiUrl: string;
  /** EMAIL_LINK_STORE (src/config/link_store.ts): where files too big to attach go; none when unset. */
  linkStore?: LinkStoreSettings;
  /** EMAIL_LINK_TTL_HOURS: how long a link works. */
  linkTtlHours: number;
}

/** The PEM text of a CA setting: the value itself when it is PEM, else the file it names. */
function pemSetting(env: Env, name: string): string | undefined {
  const raw = first(env, name);
  if (raw === undefined) { return undefined; }
  const text = raw.includes("-----BEGIN") ? raw.replace(/\\n/g, "\n") : readPem(name, raw);
  if (!/-----BEGIN CERTIFICATE-----/.test(text)) {
    throw new ConfigError(`${name} must be a PEM certificate (-----BEGIN CERTIFICATE-----) or the path of one.`);
  }
  return text;
}

function readPem(name: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    throw new ConfigError(`${name} must be a PEM certificate or the path of one; "${file}" cannot be read.`);
  }
}

function smtpUrlSetting(env: Env, name: string): string | undefined {
  const raw = first(env, name);
  if (raw === undefined) { return undefined; }
  if (!/^smtps?:\/\/[^\s/]+/i.test(raw)) {
    throw new ConfigError(`${name} must be an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.com.`);
  }
  return raw;
}

export function emailSettings(env: Env): EmailSettings {
  return Object.freeze({
    smtpUrl: smtpUrlSetting(env, "SMTP_URL"),
    from: first(env, "EMAIL_FROM"),
    smtpCaCertificate: pemSetting(env, "SMTP_CA_CERTIFICATE"),
    smtpTimeoutMs: secondsSetting(env, "SMTP_TIMEOUT_SECONDS", 60) * 1000,
    smtpTotalTimeoutMs: secondsSetting(env, "HTTP_TOTAL_TIMEOUT_SECONDS", 900) * 1000,
    maxAttachmentBytes: sizeSetting(env, "EMAIL_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024),
    sendgridApiUrl: baseUrlSetting(env, "SENDGRID_API_URL", "https://api.sendgrid.com"),
    linkStore: linkStoreSettings(env),
    linkTtlHours: linkTtlHours(env),
  });
}
