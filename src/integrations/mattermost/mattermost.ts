// Mattermost through a channel's incoming webhook (POST /hooks/<key>, JSON `{"text": ...}`,
// answered 200 "ok"): a post with the message, a Markdown table of the query's first rows and a
// link to Looker; a clicked cell as a post with its value. Mattermost is self-hosted, so the URL
// may be on any host the private-address guard allows (PRIVATE_URL_ALLOWLIST for one inside).
import { previewRows } from "../../data/rows/row_preview";
import { cellLines, typedMessage } from "../../families/webhook/chat_text";
import { checkedUrl, postJsonMessage } from "../../families/webhook/webhook_post";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { cellLink } from "../../hub/cell";
import { DownloadSetting, Format, iconBeside, Integration, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { tryWebhookUrl, WEBHOOK_DRY_RUN_CHECKS } from "../../families/webhook/webhook_preflight";
import { HttpStatusError, HttpUnavailableError } from "../../lib/http_errors";
import { MAX_POST, postText } from "./mattermost_post";

const ROW_CHOICES = ["0", "5", "10", "20", "50"];
/** The message's share of the post; the rest is for the heading, the table and the link. */
const MAX_MESSAGE = 4000;

export class MattermostIntegration extends Integration {
  // Wire names (name, param and field names) are stored by Looker: never rename them once shipped.
  readonly name = "mattermost";
  readonly label = "Mattermost";
  readonly description = "Post a message with a table of the first rows and a link to Looker (or a clicked " +
    "value) to a Mattermost channel.";
  readonly icon = iconBeside(__dirname, "mattermost.svg");
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query", "cell"];
  readonly supportedFormats: Format[] = ["json_detail", "csv"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  constructor(private readonly http: HttpClient) { super(); }

  readonly dryRunChecks: string = WEBHOOK_DRY_RUN_CHECKS;

  /** The typed URL, tried with a HEAD request (writes nothing): src/families/webhook/webhook_preflight.ts. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    return tryWebhookUrl(this.http, (request.formParams.url ?? "").trim(), "url", "Mattermost");
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    const fields: ActionForm["fields"] = [{
      name: "url", label: "Mattermost Webhook URL", type: "string", required: true,
      description: "The channel's incoming webhook URL (Product menu > Integrations > Incoming Webhooks), such as " +
        "https://chat.example.com/hooks/xxx-generatedkey-xxx.",
    }, {
      name: "message", label: "Message", type: "textarea", required: false,
      description: `Markdown posted above the rows (at most ${MAX_MESSAGE} characters).`,
    }];
    if (request.type !== "cell") {
      fields.push({ name: "rows", label: "Rows to show", type: "select", default: "10",
        description: "How many of the first rows the post shows as a table.",
        options: ROW_CHOICES.map((n) => ({ name: n, label: n })) });
    }
    return new ActionForm(fields);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    // Checked before any data is read (and again on every connection); never trusted.
    const url = await checkedUrl(this.http, (request.formParams.url ?? "").trim(), "url");
    const typed = (request.formParams.message ?? "").trim();
    const message = typed ? typedMessage(request, "Mattermost", MAX_MESSAGE) : "";
    let text: string;
    if (request.type === "cell") {
      text = cellLines(request, message).join("\n\n").slice(0, MAX_POST);
    } else {
      const rows = ROW_CHOICES.includes(request.formParams.rows ?? "") ? Number(request.formParams.rows) : 10;
      text = postText({ title: request.suggestedTitle(), message, preview: await previewRows(request, rows),
        link: cellLink(request) });
    }
    try {
      await postJsonMessage(this.http, request, url, { text }, { who: "Mattermost" });
    } catch (err) {
      throw refusal(err);
    }
    return ActionResponse.ok(request.type === "cell" ? "Posted the value to Mattermost." : "Posted to Mattermost.");
  }
}

/** Mattermost's AppError answers (`{"id", "message", "status_code"}`) in words the user can act on. */
function refusal(err: unknown): unknown {
  if (err instanceof HttpUnavailableError && err.failure.status === 429) {
    return new UserError("Mattermost's rate limit kept refusing the post (HTTP 429); nothing was posted. Try " +
      "again in a minute.");
  }
  if (!(err instanceof HttpStatusError)) { return err; }
  const { status, excerpt } = err.failure;
  const said = excerpt ? `: "${excerpt}"` : "";
  if (status === 501) {
    return new UserError(`Mattermost has incoming webhooks turned off (HTTP 501${said}). A Mattermost system admin ` +
      "can enable them in System Console > Integrations > Integration Management.");
  }
  if (status === 404 || status === 401 || status === 403 || (status === 400 && /invalid webhook/i.test(excerpt ?? ""))) {
    return new UserError(`Mattermost does not know this webhook (HTTP ${status}${said}): it was deleted, or the URL ` +
      "was not copied whole. Copy the incoming webhook's URL again.", { url: "Copy the webhook URL again." });
  }
  return new UserError(`Mattermost refused the post (HTTP ${status}${said}). Check the message and the webhook, ` +
    "then send again.");
}
