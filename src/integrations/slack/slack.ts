// Slack through a bot token: Looks and dashboards as files (or a small table as a message),
// cells as messages, to a channel or a person. Named as the official hub's "Slack Attachment
// (API Token)" action (`slack`, `slack_api_token`, same form fields) so schedules move over.
import { Config } from "../../config";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  ALL_FORMATS, DownloadSetting, Format, iconBeside, Integration, Param,
} from "../../hub/integration";
import { HttpClient } from "../../lib/http_client";
import { SlackApi } from "./slack_api";
import { channelForm, connectionTest, deliverToSlack, SlackOptions } from "./slack_delivery";
import { channelTypeOf, formFields } from "./slack_form";

export type { SlackOptions } from "./slack_delivery";

/**
 * The options the hub runs Slack with: its Web API calls and the upload POST follow the hub's
 * outbound HTTP settings (HTTP_IDLE_TIMEOUT_SECONDS, HTTP_TOTAL_TIMEOUT_SECONDS, HTTP_MAX_ATTEMPTS,
 * HTTP_RETRY_*; docs/http_client.md), so one set of variables bounds every vendor call.
 */
export function slackOptions(config: Config, client: HttpClient): SlackOptions {
  const http = config.http;
  return {
    http: client,
    apiUrl: config.slack.apiUrl,
    tmpDir: config.spoolDir,
    retries: http.maxAttempts - 1,
    minRetryMs: http.retryBaseDelayMs,
    maxRetryMs: http.retryMaxDelayMs,
    maxRetryAfterSeconds: http.retryAfterMaxMs / 1000,
    timeoutMs: http.idleTimeoutMs,
    totalTimeoutMs: http.totalTimeoutMs,
  };
}

/** The bot scopes the hub uses; the official hub's list (which adds im:read, mpim:read) also works. */
export const SLACK_SCOPES = ["channels:read", "groups:read", "users:read", "chat:write", "files:write"];

export class SlackIntegration extends Integration {
  readonly name = "slack";
  readonly label = "Slack Attachment (API Token)";
  readonly description = "Send Looks and dashboards as files, small results as a table, and cells as messages " +
    "to a Slack channel or person, through your Slack app's bot token.";
  readonly icon = iconBeside(__dirname, "slack.svg");
  readonly params: Param[] = [{
    name: "slack_api_token",
    label: "Slack API Token",
    description: `The Bot User OAuth Token (xoxb-...) of a Slack app in your workspace, with the bot scopes ` +
      `${SLACK_SCOPES.join(", ")}. Invite the app to the channels it should post in.`,
    required: true,
    sensitive: true,
  }];
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard", "cell"];
  readonly supportedFormats: Format[] = [...ALL_FORMATS];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  constructor(private readonly options: SlackOptions) {
    super();
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    const channelType = channelTypeOf(request.formParams.channelType);
    const forCell = request.type === "cell";
    if (channelType === "manual") { return new ActionForm(formFields(channelType, forCell)); }
    const token = (request.params.slack_api_token ?? "").trim();
    if (!token) {
      return ActionForm.error("Slack is not set up: the Slack API Token is missing. Ask your Looker admin to fill it " +
        "in under Admin > Platform > Actions > Slack, or choose Manual ID.");
    }
    return channelForm(this.api(request), channelType, forCell);
  }

  /** The same fields without the lists: a delivery does not page through the workspace again. */
  async validationForm(request: ActionRequest): Promise<ActionForm> {
    // Looker's connection test from the admin page has no form values.
    if (request.isTest) { return new ActionForm(); }
    return new ActionForm(formFields(channelTypeOf(request.formParams.channelType), request.type === "cell"));
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const api = this.api(request);
    if (request.isTest) { return connectionTest(api); }
    return deliverToSlack(api, request, this.options);
  }

  private api(request: ActionRequest): SlackApi {
    return new SlackApi((request.params.slack_api_token ?? "").trim(), this.options, request.logger);
  }
}
