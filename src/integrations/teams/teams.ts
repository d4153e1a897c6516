// Microsoft Teams through an incoming webhook URL: a card with the title, the text, a link to
// the Look or dashboard and, when asked, the schedule's details and first rows. Name and form
// fields are the official hub's (teams_incomingwebhook; webhookUrl, title, text, isAttached).
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { UserError } from "../../lib/errors";
import {
  FileIntegration, Format, Formatting, iconBeside, Param, VisualizationFormatting,
} from "../../hub/integration";
import { previewRows } from "../../data/rows/row_preview";
import { HttpClient } from "../../lib/http_client";
import { tryWebhookUrl, WEBHOOK_DRY_RUN_CHECKS } from "../../families/webhook/webhook_preflight";
import { safeExcerpt } from "../../lib/http_errors";
import { checkedUrl, postJsonMessage } from "../../families/webhook/webhook_post";
import { teamsMessage } from "./teams_card";

const PREVIEW_ROWS = 10;

export class TeamsIntegration extends FileIntegration {
  readonly name = "teams_incomingwebhook";
  readonly label = "Teams - Incoming Webhook";
  readonly description = "Send a message card to a Microsoft Teams channel through its webhook URL.";
  readonly icon = iconBeside(__dirname, "teams.svg");
  readonly params: Param[] = [];
  // Query results and dashboards, pushed or at a URL (FileIntegration); these formats, unformatted, only.
  readonly supportedFormats: Format[] = ["csv", "wysiwyg_png", "wysiwyg_pdf"];
  readonly supportedFormattings: Formatting[] = ["unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["noapply"];

  constructor(private readonly http: HttpClient) { super(); }

  readonly dryRunChecks: string = WEBHOOK_DRY_RUN_CHECKS;

  /** The typed URL, tried with a HEAD request (writes nothing): src/families/webhook/webhook_preflight.ts. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    return tryWebhookUrl(this.http, request.formParams.webhookUrl ?? "", "webhookUrl", "Microsoft Teams");
  }

  async form(): Promise<ActionForm> {
    return new ActionForm([
      { name: "webhookUrl", label: "Webhook URL", type: "string", required: true,
        description: "The channel's Workflows webhook URL (or a legacy Incoming Webhook connector URL)." },
      { name: "title", label: "Title", type: "string", required: true },
      { name: "text", label: "Text", type: "textarea", required: false },
      { name: "isAttached", label: "Attach details and first rows", type: "select", default: "false", required: false,
        description: "Adds the schedule's type, title, model and view and, for query results, the first rows.",
        options: [{ name: "false", label: "false" }, { name: "true", label: "true" }] },
    ]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const url = await checkedUrl(this.http, request.formParams.webhookUrl ?? "", "webhookUrl");
    const attach = request.formParams.isAttached === "true";
    const message = teamsMessage(request, {
      title: request.formParams.title ?? request.suggestedTitle(),
      text: request.formParams.text ?? "",
      attachMetadata: attach,
      preview: attach ? await previewRows(request, PREVIEW_ROWS) : undefined,
    });
    const response = await postJsonMessage(this.http, request, url, message, { who: "Microsoft Teams" });
    // Legacy connectors answer 200 "1"; Workflows answer 202 with no body. A connector that
    // failed downstream answers 200 with an error text instead of "1".
    const answer = response.text().trim();
    if (response.truncated || (answer !== "1" && answer !== "")) {
      const excerpt = safeExcerpt(response.body, String(response.headers["content-type"] ?? ""));
      // An endless answer (a proxy gone wrong) is cut, and may leave nothing printable.
      const said = excerpt ? `: "${excerpt}"` : ` (it answered ${response.truncated ? "without end" : "oddly"})`;
      throw new UserError(`Microsoft Teams did not post the message${said}. Check the webhook URL ` +
        "and that the workflow or connector is still active in the channel.");
    }
    return ActionResponse.ok("Sent the message to Microsoft Teams.");
  }
}
