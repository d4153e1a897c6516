// Slack's error codes, turned into messages the Looker user (or admin) can act on.
import { formatBytes } from "../../data/files/file_naming";
import { RetryableError, UserError } from "../../lib/errors";
import { SlackCallError } from "./slack_api";

/** Slack's largest file: 1 GB. */
export const SLACK_MAX_FILE_BYTES = 1024 * 1024 * 1024;

export interface ErrorContext {
  /** The channel as the user chose it (an ID, or `#name`). */
  channel?: string;
  /** Its readable name, when known. */
  channelName?: string;
  /** What to do about a refused token, where it differs from the admin param's advice. */
  tokenAdvice?: string;
}

const TOKEN_CODES = new Set([
  "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "no_permission",
  "org_login_required", "ekm_access_denied", "two_factor_setup_required",
]);

const ADMIN_TOKEN = "Ask your Looker admin to check the Slack API Token under Admin > Platform > Actions > Slack " +
  "(the Bot User OAuth Token of your Slack app, starting with xoxb-).";

function where(context: ErrorContext): string {
  if (context.channelName) { return `#${context.channelName.replace(/^#/, "")}`; }
  if (context.channel) { return `the channel ${context.channel}`; }
  return "the channel";
}

/** The message for a file bigger than Slack accepts. */
export function fileTooLargeMessage(limit = SLACK_MAX_FILE_BYTES, bytes?: number): string {
  const size = bytes === undefined ? "" : `; this one is over ${formatBytes(bytes)}`;
  return `The file is larger than Slack accepts (${formatBytes(limit)} at most${size}). ` +
    "Send fewer rows, filter the query, or choose a compact format such as CSV zip.";
}

/** A Slack failure as a typed hub error with a message for the person; anything else passes through. */
export function explainSlackError(err: unknown, context: ErrorContext = {}): unknown {
  if (!(err instanceof SlackCallError)) { return err; }
  switch (err.kind) {
    case "rate_limited":
      return new RetryableError("Slack is rate limiting this workspace's app" +
        (err.details.retryAfter ? ` and asked to wait ${err.details.retryAfter} seconds` : "") +
        ". Try again in a few minutes.");
    case "http":
      return new RetryableError(`Slack answered HTTP ${err.details.status ?? "error"} to ${err.method}; ` +
        "it may be having trouble. Try again later; if it persists, check https://status.slack.com.");
    case "network": {
      const reached = `The integration service could not reach Slack's API (${err.method}` +
        `${err.details.cause ? `: ${err.details.cause}` : ""}).`;
      // A certificate or a wrong scheme does not pass by waiting: it is the admin's to fix, at SLACK_API_URL.
      if (err.details.fix) {
        return new UserError(`${reached} ${err.details.fix} Ask your Looker admin to check SLACK_API_URL.`);
      }
      return new RetryableError(`${reached} Try again later; if it persists, ask your Looker ` +
        "admin to check the service's network access and SLACK_API_URL.");
    }
    case "invalid_answer":
      return new RetryableError(`Slack's API answered ${err.method} with something that is not a Slack answer; ` +
        "a proxy or an outage page may be in the way. Try again later; if it persists, ask your Looker admin to " +
        "check SLACK_API_URL and the service's network access.");
  }
  const code = err.code ?? "unknown_error";
  if (TOKEN_CODES.has(code)) {
    return new UserError(`Slack did not accept the API token (${code}). ${context.tokenAdvice ?? ADMIN_TOKEN}`);
  }
  switch (code) {
    case "not_in_channel":
      return new UserError(`The Slack app is not a member of ${where(context)}. Invite it there ` +
        "(in the channel, type /invite @ and the app's name) and send again.");
    case "channel_not_found":
      return new UserError(`Slack found no channel ${context.channelName ? where(context) : context.channel ?? ""} ` +
        "that the app can see. Check the channel ID (in Slack: channel details, at the bottom); " +
        "for a private channel, invite the app to it first.", { channel: "Channel not found." });
    case "is_archived":
      return new UserError(`${where(context)} is archived. Choose another channel or unarchive it.`,
        { channel: "The channel is archived." });
    case "missing_scope":
      return new UserError(`The Slack app lacks the permission "${err.details.needed ?? "unknown"}" ` +
        `that ${err.method} needs. Ask your Slack admin to add this Bot Token Scope under OAuth & Permissions, ` +
        "reinstall the app, " +
        "and, if the token changed, update it in Looker under Admin > Platform > Actions > Slack.");
    case "user_not_found":
    case "user_disabled":
    case "cannot_dm_bot":
      return new UserError(`Slack cannot open a direct message with ${context.channel ?? "that user"} (${code}). ` +
        "Choose an active person's member ID.", { channel: "Not a person the app can message." });
    case "restricted_action":
    case "restricted_action_read_only_channel":
    case "restricted_action_non_threadable_channel":
    case "restricted_action_thread_only_channel":
    case "ekm_access_denied_for_channel":
      return new UserError(`Your Slack workspace's settings do not let the app post in ${where(context)}. ` +
        "Ask a Slack admin, or choose another channel.");
    case "file_too_large":
    case "file_size_exceeded":
    case "invalid_length":
      return new UserError(fileTooLargeMessage());
    case "msg_too_long":
    case "invalid_blocks":
      return new UserError("Slack refused the message as too long or malformed. Send the results as a file instead.");
    case "ratelimited":
    case "internal_error":
    case "fatal_error":
    case "service_unavailable":
    case "request_timeout":
      return new RetryableError(`Slack could not complete ${err.method} (${code}). Try again in a few minutes.`);
    default:
      return new UserError(`Slack refused ${err.method} with "${code}". ` +
        "Check the channel and the Slack app's setup; the integration's README lists what each error means.");
  }
}
