// Settings of the chat and alerting integrations of issue 29 (Discord, Mattermost, Telegram,
// Opsgenie, Webex): the hosts a typed webhook URL may be on, vendor limits an operator can
// raise, and the vendor base URLs with their public defaults.
// Read from the environment object src/config/index.ts hands over, never from the process itself.
import { baseUrlSetting, Env, first, listSetting, sizeSetting } from "./values";

/** Discord's default upload limit per file (servers boosted to tier 2 or 3 take more). */
export const DISCORD_DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The Bot API's limit on a document a bot sends (a local Bot API server takes up to 2000 MB). */
export const TELEGRAM_DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface MessagingSettings {
  /** Domains (and subdomains) a `discord` webhook URL may be on (DISCORD_WEBHOOK_DOMAINS). */
  discordDomains: string[];
  /** Largest file the hub posts to a Discord webhook (DISCORD_MAX_FILE_SIZE). */
  discordMaxFileBytes: number;
  /** Telegram's Bot API (TELEGRAM_API_URL), with a trailing slash. */
  telegramApiUrl: string;
  /** Largest document `telegram` sends (TELEGRAM_MAX_FILE_SIZE). */
  telegramMaxFileBytes: number;
  /** Opsgenie's API for both regions (OPSGENIE_API_URL), when set; otherwise the region's host. */
  opsgenieApiUrl?: string;
  /** Webex's REST API (WEBEX_API_URL), with a trailing slash. */
  webexApiUrl: string;
}

export function messagingSettings(env: Env): MessagingSettings {
  return Object.freeze({
    discordDomains: listSetting(env, "DISCORD_WEBHOOK_DOMAINS", ["discord.com", "discordapp.com"]),
    discordMaxFileBytes: sizeSetting(env, "DISCORD_MAX_FILE_SIZE", DISCORD_DEFAULT_MAX_FILE_BYTES),
    telegramApiUrl: baseUrlSetting(env, "TELEGRAM_API_URL", "https://api.telegram.org"),
    telegramMaxFileBytes: sizeSetting(env, "TELEGRAM_MAX_FILE_SIZE", TELEGRAM_DEFAULT_MAX_FILE_BYTES),
    opsgenieApiUrl: first(env, "OPSGENIE_API_URL") ? baseUrlSetting(env, "OPSGENIE_API_URL", "") : undefined,
    webexApiUrl: baseUrlSetting(env, "WEBEX_API_URL", "https://webexapis.com"),
  });
}
