// Google Chat through a space's incoming webhook URL: a card with a title, the text, the
// first rows and a link to the Look. (The official hub's google_hangouts_chat uses OAuth and
// the Chat API instead; this is a different integration with its own name.)
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, Format, iconBeside, Param } from "../../hub/integration";
import { previewRows } from "../../data/rows/row_preview";
import { HttpClient } from "../../lib/http_client";
import { tryWebhookUrl, WEBHOOK_DRY_RUN_CHECKS } from "../../families/webhook/webhook_preflight";
import { checkedUrl, postJsonMessage } from "../../families/webhook/webhook_post";
import { chatMessage } from "./google_chat_card";

const ROW_CHOICES = ["0", "5", "10", "20"];

export class GoogleChatIntegration extends FileIntegration {
  readonly name = "google_chat";
  readonly label = "Google Chat";
  readonly description = "Post a card with a link and the first rows to a Google Chat space.";
  readonly icon = iconBeside(__dirname, "google_chat.svg");
  readonly params: Param[] = [];
  // Query results and dashboards, any formatting, pushed or at a URL (FileIntegration); these formats only.
  readonly supportedFormats: Format[] = ["csv", "json_detail", "wysiwyg_png", "wysiwyg_pdf"];

  constructor(private readonly http: HttpClient) { super(); }

  readonly dryRunChecks: string = WEBHOOK_DRY_RUN_CHECKS;

  /** The typed URL, tried with a HEAD request (writes nothing): src/families/webhook/webhook_preflight.ts. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    return tryWebhookUrl(this.http, request.formParams.url ?? "", "url", "Google Chat");
  }

  async form(): Promise<ActionForm> {
    return new ActionForm([
      { name: "url", label: "Webhook URL", type: "string", required: true,
        description: "The space's incoming webhook URL (space menu > Apps & integrations > Webhooks)." },
      { name: "title", label: "Title", type: "string", required: false,
        description: "The card's title; the schedule's title when empty." },
      { name: "text", label: "Text", type: "textarea", required: false },
      { name: "rows", label: "Rows to show", type: "select", default: "10",
        description: "How many of the first rows the card shows (query results only).",
        options: ROW_CHOICES.map((n) => ({ name: n, label: n })) },
    ]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const url = await checkedUrl(this.http, request.formParams.url ?? "", "url");
    const rows = ROW_CHOICES.includes(request.formParams.rows ?? "") ? Number(request.formParams.rows) : 10;
    const message = chatMessage(request, {
      title: (request.formParams.title ?? "").trim() || request.suggestedTitle(),
      text: request.formParams.text ?? "",
      preview: await previewRows(request, rows),
    });
    await postJsonMessage(this.http, request, url, message,
      { who: "Google Chat", contentType: "application/json; charset=UTF-8" });
    return ActionResponse.ok("Posted the card to Google Chat.");
  }
}
