// Telegram's Bot API as the telegram integration calls it: POST <TELEGRAM_API_URL>/bot<token>/<method>,
// answers `{"ok": true, "result": ...}` or `{"ok": false, "error_code", "description", "parameters"}`.
// The bot token is part of every path: the shared HTTP client logs only the host, and any error
// that could carry the URL has the token taken out before it goes further.
import { UserError } from "../../lib/errors";
import { HttpBody, HttpClient, HttpResponse } from "../../lib/http_client";
import { markVendorText } from "../../lib/http_errors";
import { Logger } from "../../lib/logger";
import { requestJson } from "../../lib/vendor_json";

/** The characters of a token @BotFather issues (`123456789:AAH...`). */
const TOKEN_SHAPE = /^[A-Za-z0-9:_-]+$/;

/** Telegram's 429 says how long to wait: `parameters.retry_after`, in seconds. */
export function telegramRetryAfter(response: HttpResponse): number | undefined {
  try {
    const wait = Number(response.json()?.parameters?.retry_after);
    return Number.isFinite(wait) && wait >= 0 ? wait * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export class TelegramBot {
  private readonly token: string;

  constructor(private readonly http: HttpClient, private readonly apiUrl: string, token: string | undefined,
              private readonly logger?: Logger) {
    this.token = (token ?? "").trim();
    if (!this.token || !TOKEN_SHAPE.test(this.token)) {
      throw new UserError("The Telegram bot token is missing or is not a token @BotFather issued (digits, a colon, " +
        "then letters, digits, - and _). Ask your Looker admin to paste it again in the Telegram integration's settings.");
    }
  }

  /** A Bot API method that only reads (getChat), sent as a GET with its parameters in the query. */
  read(method: string, query: Record<string, string>): Promise<any> {
    return this.call(method, undefined, undefined, query);
  }

  /** Calls a Bot API method; answers its `result`, or throws a UserError worded from Telegram's answer. */
  async call(method: string, body: HttpBody | undefined, contentType: string | undefined,
             query?: Record<string, string>): Promise<any> {
    let result;
    try {
      const search = query ? `?${new URLSearchParams(query)}` : "";
      result = await requestJson(this.http, {
        url: `${this.apiUrl}bot${this.token}/${method}${search}`, method: query ? "GET" : "POST", trusted: true,
        who: "Telegram", headers: contentType ? { "content-type": contentType } : {}, body, logger: this.logger,
        vendorRetryAfter: telegramRetryAfter,
      });
    } catch (err) {
      throw this.withoutToken(err);
    }
    if (result.unavailable) {
      throw new UserError(result.unavailable === "rate_limited"
        ? "Telegram kept answering 429 (too many messages from this bot to this chat); nothing was sent. Try again " +
          "in a minute, or spread the schedules that post to this chat."
        : "Telegram's Bot API did not answer; nothing was sent. Try again later.");
    }
    if (result.status < 300 && result.answer?.ok === true) { return result.answer.result; }
    throw refusal(result.status, result.answer);
  }

  /** An error whose text holds the token (a URL in a library's message) with the token taken out. */
  private withoutToken(err: unknown): unknown {
    if (!(err instanceof Error) || !err.message.includes(this.token)) { return err; }
    const clean = err.message.split(this.token).join("<bot token>");
    return err instanceof UserError ? new UserError(clean) : new Error(clean);
  }
}

/** Telegram's documented refusals in words the user can act on. */
function refusal(status: number, answer: any): UserError {
  const code = Number(answer?.error_code ?? status);
  const description = typeof answer?.description === "string" ? answer.description.slice(0, 300) : "";
  const said = description ? `: "${markVendorText(description)}"` : "";
  const migrated = answer?.parameters?.migrate_to_chat_id;
  if (migrated !== undefined) {
    const message = `This Telegram group became a supergroup with the chat id ${Number(migrated)}; put that id ` +
      "in the schedule's Chat ID.";
    return new UserError(message, { chat_id: message });
  }
  if (code === 401 || code === 404) {
    return new UserError(`Telegram refused the bot token (HTTP ${code}${said}). Ask your Looker admin to paste the ` +
      "token @BotFather gave (or a new one from /token) in the Telegram integration's settings.");
  }
  if (code === 400 && /chat not found/i.test(description)) {
    const message = `Telegram cannot find this chat for the bot (HTTP 400${said}). Use the chat's numeric id ` +
      "(such as -1001234567890) or a public channel's @username, and add the bot to that chat.";
    return new UserError(message, { chat_id: message });
  }
  if (code === 403) {
    const message = `Telegram will not let the bot post in this chat (HTTP 403${said}). Add the bot to the group, ` +
      "make it an administrator of the channel, or have the person start a chat with it.";
    return new UserError(message, { chat_id: message });
  }
  if (code === 413) {
    return new UserError(`Telegram refused the file as too large (HTTP 413${said}). Send fewer rows or a more ` +
      "compact format.");
  }
  return new UserError(`Telegram refused the message (HTTP ${code}${said}). Check the chat id and the message, ` +
    "then send again.");
}
