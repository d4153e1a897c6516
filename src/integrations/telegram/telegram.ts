// Telegram: a bot posts to a chat (a person, group or channel). A query or dashboard goes as a
// document (sendDocument, multipart) with the message as its caption; a clicked cell as a message
// (sendMessage). The bot's token is an admin param, never logged though it is in every API path.
import { formatBytes, requestContentType, requestFileName } from "../../data/files/file_naming";
import { cellLines, typedMessage } from "../../families/webhook/chat_text";
import { multipartFile } from "../../families/webhook/multipart_file";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { TelegramBot } from "./telegram_api";

/** Telegram's limits: a caption 1024 characters, a message 4096. */
const MAX_CAPTION = 1024;
const MAX_TEXT = 4096;
/**
 * A chat id has no spaces: a numeric id (negative for groups and channels) or a public chat's
 * @username. Anything else is Telegram's to judge ("chat not found"), worded in telegram_api.ts.
 */
const CHAT_ID = /^\S{1,100}$/;

export interface TelegramSettings {
  /** The Bot API's base URL, ending in a slash. */
  apiUrl: string;
  /** The largest document sent (the Bot API's 50 MB; a local Bot API server takes up to 2000 MB). */
  maxFileBytes: number;
}

/** The form's chat: a numeric id or a public channel's @username. */
function chatIdOf(request: ActionRequest): string {
  const id = (request.formParams.chat_id ?? "").trim();
  if (!CHAT_ID.test(id)) {
    const message = "The Chat ID must be a chat's numeric id (such as -1001234567890) or a public channel's " +
      "@username.";
    throw new UserError(message, { chat_id: message });
  }
  return id;
}

export class TelegramIntegration extends FileIntegration {
  // Wire names (name, param and field names) are stored by Looker: never rename them once shipped.
  readonly name = "telegram";
  readonly label = "Telegram";
  readonly description = "Send the data as a document (or a clicked value as a message) to a Telegram chat " +
    "through your bot.";
  readonly icon = iconBeside(__dirname, "telegram.svg");
  readonly params: Param[] = [{
    name: "bot_token", label: "Bot token", required: true, sensitive: true,
    description: "The token @BotFather gave when the bot was made (/newbot), such as 123456789:AAH...",
  }];
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard", "cell"];

  constructor(private readonly http: HttpClient, private readonly settings: TelegramSettings) { super(); }

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "chat_id", label: "Chat ID", type: "string", required: true,
      description: "The chat's numeric id (a group's or channel's starts with -100) or a public channel's " +
        "@username. The bot must be in the group, or an administrator of the channel.",
    }, {
      name: "message", label: "Message", type: "textarea", required: false,
      description: `Sent with the data (at most ${MAX_CAPTION} characters with a file); the schedule's title when empty.`,
    }]);
  }

  readonly dryRunChecks = "the settings and the form's values; the bot token and the chat, read with Telegram's " +
    "getChat (a GET, which sends nothing: a wrong token, or a chat the bot cannot see or post in, fails the dry run as " +
    "it would fail the delivery); and the data Looker sent (bytes, rows, the first row with its values masked)";

  /** The token and the chat, read with getChat; nothing is posted. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    const bot = new TelegramBot(this.http, this.settings.apiUrl, request.params.bot_token, request.logger);
    await bot.read("getChat", { chat_id: chatIdOf(request) });
    return "Telegram's bot sees the chat (getChat)";
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const bot = new TelegramBot(this.http, this.settings.apiUrl, request.params.bot_token, request.logger);
    const chatId = chatIdOf(request);
    if (request.type === "cell") {
      const text = cellLines(request, typedMessage(request, "Telegram", MAX_TEXT)).join("\n").slice(0, MAX_TEXT);
      await bot.call("sendMessage", JSON.stringify({ chat_id: chatId, text,
        link_preview_options: { is_disabled: true } }), "application/json");
      return ActionResponse.ok("Sent the value to Telegram.");
    }
    if (!request.delivery) {
      throw new UserError("There was no data to send: the query returned nothing. Nothing was sent to Telegram.");
    }
    const caption = typedMessage(request, "Telegram", MAX_CAPTION);
    const fileName = requestFileName(request, undefined);
    const limit = this.settings.maxFileBytes;
    const file = await multipartFile(request.delivery, fileName, requestContentType(request), {
      fields: { chat_id: chatId, caption }, fileField: "document", maxFileBytes: limit,
      tooLarge: () => new UserError(`The data is larger than ${formatBytes(limit)}, the largest document a bot may ` +
        "send through Telegram's Bot API. Nothing was sent. Filter the query to fewer rows or pick a more compact " +
        "format."),
    });
    const sent = await bot.call("sendDocument", file.body, file.contentType);
    if (!sent?.document) {
      throw new UserError("Telegram answered without the document it was sent; check the chat, then send again.");
    }
    return ActionResponse.ok(`Sent "${fileName}" (${formatBytes(file.bytes())}) to Telegram.`);
  }
}
