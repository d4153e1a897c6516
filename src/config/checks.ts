// Checks of the secret and the base URL that go beyond parsing: production refuses the
// placeholders this repository ships (a hub started with one would accept keys anyone can
// make), and warns, never refuses, about what is merely weak: a migrating hub must keep the
// secret its Looker's keys were made with, however short, or every key breaks.
import { ConfigError } from "./values";

const HOW_TO_MAKE_ONE = "make one with `openssl rand -hex 32` (or " +
  "`node -p \"require('crypto').randomBytes(32).toString('hex')\"`)";

/** Secrets shown as examples in this repository (deploy/kubernetes/secret.yaml, README, .env.example). */
export const PLACEHOLDER_SECRETS: readonly string[] = [
  "replace-with-output-of-openssl-rand-hex-32",
  "...",
  "<secret>",
  "changeme",
  "change-me",
];

/** Below this length a secret is called short (openssl rand -hex 32 makes 64 characters). */
export const SHORT_SECRET_LENGTH = 32;

/** True when the URL points at this machine (Looker, elsewhere, cannot reach it). */
export function isLocalUrl(url: string): boolean {
  let host = "";
  try { host = new URL(url).hostname.replace(/^\[|\]$/g, ""); } catch { return false; }
  return /^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0)$/i.test(host) || host.endsWith(".localhost");
}

/** Refuses a placeholder secret in production, in one line saying how to make a real one. */
export function checkProductionSecret(secret: string): void {
  if (PLACEHOLDER_SECRETS.includes(secret.trim().toLowerCase())) {
    throw new ConfigError("INTEGRATION_SERVICE_SECRET is the example placeholder, which anyone can read: " +
      `${HOW_TO_MAKE_ONE} and set it.`);
  }
}

/** What is weak but allowed, one sentence each, for the start-up log. */
export function configWarnings(mode: string, secret: string, secretIsEphemeral: boolean, baseUrl: string): string[] {
  if (mode !== "production") { return []; }
  const warnings: string[] = [];
  if (!secretIsEphemeral && secret.length < SHORT_SECRET_LENGTH) {
    warnings.push(`INTEGRATION_SERVICE_SECRET is short (${secret.length} characters; ${SHORT_SECRET_LENGTH} or ` +
      `more is safer). Keep it if Looker already has keys made from it; for a new hub, ${HOW_TO_MAKE_ONE}.`);
  }
  let url: URL | undefined;
  try { url = new URL(baseUrl); } catch { url = undefined; }
  if (isLocalUrl(baseUrl)) {
    warnings.push(`BASE_URL (${baseUrl}) points at this machine; Looker cannot reach it there. ` +
      "Set the public https URL Looker reaches the hub at.");
  } else if (url && url.protocol !== "https:") {
    warnings.push(`BASE_URL (${baseUrl}) is not https; Looker sends data and the API key to it, and Looker ` +
      "(cloud) accepts only https Action Hubs. Put the hub behind https and set that URL.");
  }
  return warnings;
}
