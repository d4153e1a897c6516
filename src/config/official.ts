// Settings an admin carries over from Looker's official Action Hub under their official names
// (docs/moving_from_official_hub.md): which integrations are offered (ACTION_WHITELIST) and
// the key its encrypted user logins were sealed with (CIPHER_MASTER).
import { ConfigError, Env, first, listSetting } from "./values";

/**
 * ACTION_WHITELIST: comma-separated integration names, the only ones listed and run; undefined
 * when unset (every integration). Names are checked against the integrations when the hub starts
 * (src/integrations/index.ts), since only that layer knows them.
 */
export function actionWhitelistSetting(env: Env): readonly string[] | undefined {
  if (first(env, "ACTION_WHITELIST") === undefined) { return undefined; }
  const names = listSetting(env, "ACTION_WHITELIST", []);
  if (!names.length) {
    throw new ConfigError("ACTION_WHITELIST must list integration names, comma-separated (e.g. slack,google_drive); " +
      "leave it unset to offer every integration.");
  }
  return Object.freeze([...new Set(names)]);
}

/**
 * CIPHER_MASTER: the official hub's 32-byte master key (64 hex characters). With it, user logins
 * the official hub stored encrypted (`{cid, payload}`) are read, and stored again in this hub's form.
 */
export function cipherMasterSetting(env: Env): Buffer | undefined {
  const raw = first(env, "CIPHER_MASTER");
  if (raw === undefined) { return undefined; }
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) {
    throw new ConfigError("CIPHER_MASTER must be the official hub's key as it was set there: 64 hex characters " +
      `(32 bytes); it has ${raw.length} characters${/^[0-9a-fA-F]*$/.test(raw) ? "" : " and not only hex digits"}.`);
  }
  return Buffer.from(raw, "hex");
}
