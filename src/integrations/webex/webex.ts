// Webex: a bot posts to a space (room) it is a member of. A query or dashboard goes as a message
// (Markdown) with the data as its file (POST /v1/messages, multipart `roomId`, `markdown`,
// `files`); a clicked cell as a message. The form lists the bot's spaces (GET /v1/rooms).
import { formatBytes, requestContentType, requestFileName } from "../../data/files/file_naming";
import { cellLines, typedMessage } from "../../families/webhook/chat_text";
import { multipartFile } from "../../families/webhook/multipart_file";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { Room, WebexBot } from "./webex_api";

/** Webex's limit on a message's text or Markdown: 7,439 bytes (held here as characters, the stricter for ASCII). */
const MAX_MARKDOWN = 7439;
/** Webex takes files of up to 100 MB. */
export const WEBEX_MAX_FILE_BYTES = 100 * 1024 * 1024;

export class WebexIntegration extends FileIntegration {
  // Wire names (name, param and field names) are stored by Looker: never rename them once shipped.
  readonly name = "webex";
  readonly label = "Webex";
  readonly description = "Post a message with the data as a file (or a clicked value) to a Webex space through your bot.";
  readonly icon = iconBeside(__dirname, "webex.svg");
  readonly params: Param[] = [{
    name: "bot_token", label: "Bot access token", required: true, sensitive: true,
    description: "The bot's access token (developer.webex.com > My Webex Apps > Create a Bot). Add the bot to each " +
      "space it should post in.",
  }];
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard", "cell"];

  constructor(private readonly http: HttpClient, private readonly apiUrl: string) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    const bot = new WebexBot(this.http, this.apiUrl, request.params.bot_token, request.logger);
    const { rooms, more } = await bot.rooms();
    if (!rooms.length) {
      return ActionForm.error("The Webex bot is in no space yet: add it to a space (space > People > Add people, " +
        "then the bot's address), then try again.");
    }
    return new ActionForm(fields(rooms, more));
  }

  /** The form's fields without listing the spaces: a delivery checks its values without calling Webex. */
  async validationForm(): Promise<ActionForm> { return new ActionForm(fields([], false)); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const bot = new WebexBot(this.http, this.apiUrl, request.params.bot_token, request.logger);
    const roomId = (request.formParams.room_id ?? "").trim();
    if (!roomId) { throw new UserError("Pick the Webex space to post in.", { room_id: "Pick a space." }); }
    const markdown = typedMessage(request, "Webex", MAX_MARKDOWN);
    if (request.type === "cell") {
      const text = cellLines(request, markdown).join("\n\n").slice(0, MAX_MARKDOWN);
      await bot.message(JSON.stringify({ roomId, markdown: text }), "application/json");
      return ActionResponse.ok("Posted the value to Webex.");
    }
    if (!request.delivery) {
      throw new UserError("There was no data to send: the query returned nothing. Nothing was posted to Webex.");
    }
    const fileName = requestFileName(request, undefined);
    const file = await multipartFile(request.delivery, fileName, requestContentType(request), {
      fields: { roomId, markdown }, fileField: "files", maxFileBytes: WEBEX_MAX_FILE_BYTES,
      tooLarge: () => new UserError(`The data is larger than ${formatBytes(WEBEX_MAX_FILE_BYTES)}, the largest file ` +
        "Webex takes. Nothing was posted. Filter the query to fewer rows or pick a more compact format."),
    });
    const sent = await bot.message(file.body, file.contentType);
    if (!Array.isArray(sent?.files) || !sent.files.length) {
      throw new UserError("Webex posted the message without the file; check the space, then send again.");
    }
    return ActionResponse.ok(`Posted "${fileName}" (${formatBytes(file.bytes())}) to Webex.`);
  }
}

function fields(rooms: Room[], more: boolean): FormField[] {
  return [{
    name: "room_id", label: "Space", type: "select", required: true,
    description: `The space to post in: the bot's spaces, most recently active first${more ? " (the first 1,000)" : ""}.`,
    options: rooms.map((r) => ({ name: r.id, label: r.type === "direct" ? `${r.title} (direct)` : r.title })),
  }, {
    name: "message", label: "Message", type: "textarea", required: false,
    description: "Markdown posted with the data; the schedule's title when empty.",
  }];
}
