// Slack through a bot token: Looks and dashboards as files (or a small table as a message),
// cells as messages, to a channel or a person. Named as the official hub's "Slack Attachment
// (API Token)" action (`slack`, `slack_api_token`, same form fields) so schedules move over.
import { Config } from "../../config";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { UserError } from "../../lib/errors";
import {
  ALL_FORMATS, DownloadSetting, Format, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { HttpClient } from "../../lib/http_client";
import { SlackApi, SlackApiOptions } from "./slack_api";
import { cellMessage } from "./slack_cell";
import { formatBytes, requestFileName } from "../../data/file_naming";
import { explainSlackError, SLACK_MAX_FILE_BYTES } from "./slack_errors";
import { channelTypeOf, formFields, listChannels, listUsers, sendAsOf } from "./slack_form";
import { readTable, tableMessage } from "./slack_table";
import { postMessage, resolveTarget, Target } from "./slack_target";
import { uploadDelivery } from "./slack_upload";

export interface SlackOptions extends SlackApiOptions {
  /** Largest file sent (Slack's own limit unless a test lowers it). */
  maxFileBytes?: number;
  /** Where deliveries are spooled before upload; the system's temp folder by default. */
  tmpDir?: string;
  /** The hub's shared outbound client, which sends the file's bytes to Slack's upload URL. */
  http: HttpClient;
}

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
  readonly supportedFormattings: Formatting[] = ["formatted", "unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["apply", "noapply"];
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
    const api = this.api(request);
    try {
      const options = channelType === "channels" ? await listChannels(api) : await listUsers(api);
      return new ActionForm(formFields(channelType, forCell, options.map(({ name, label }) => ({ name, label }))));
    } catch (err) {
      const explained = explainSlackError(err);
      if (explained instanceof UserError) { return ActionForm.error(explained.message); }
      throw explained;
    }
  }

  /** The same fields without the lists: a delivery does not page through the workspace again. */
  async validationForm(request: ActionRequest): Promise<ActionForm> {
    // Looker's connection test from the admin page has no form values.
    if (request.isTest) { return new ActionForm(); }
    return new ActionForm(formFields(channelTypeOf(request.formParams.channelType), request.type === "cell"));
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const api = this.api(request);
    if (request.isTest) { return this.connectionTest(api); }
    const channel = (request.formParams.channel ?? "").trim();
    if (!channel) {
      throw new UserError("Choose a Slack channel or person to send to.", { channel: "Required." });
    }
    const comment = (request.formParams.initial_comment ?? "").trim() || undefined;
    let target: Target | undefined;
    try {
      target = await resolveTarget(api, channel);
      if (request.type === "cell") {
        await postMessage(api, target, cellMessage(request, comment));
        return ActionResponse.ok(`Sent the value to ${target.display} in Slack.`);
      }
      if (!request.delivery) { return await this.noData(api, request, target, comment); }
      if (sendAsOf(request.formParams.send_as) === "message") {
        return await this.sendTable(api, request, target, comment);
      }
      return await this.sendFile(api, request, target, comment);
    } catch (err) {
      throw explainSlackError(err, { channel, channelName: target?.name });
    }
  }

  private api(request: ActionRequest): SlackApi {
    return new SlackApi((request.params.slack_api_token ?? "").trim(), this.options, request.logger);
  }

  private async connectionTest(api: SlackApi): Promise<ActionResponse> {
    const who = await api.call("auth.test", (c) => c.auth.test()).catch((err) => { throw explainSlackError(err); });
    return ActionResponse.ok(`Connected to the Slack workspace ${who.team ?? ""} as ${who.user ?? "the app"}.`);
  }

  private async sendFile(api: SlackApi, request: ActionRequest, target: Target, comment?: string) {
    const fileName = requestFileName(request, request.formParams.filename);
    // A file goes into a conversation, not to a member ID: for a person, the comment (or a line
    // naming the file) is posted to them first, which answers the DM's channel.
    const dm = target.memberId !== undefined;
    const bytes = await uploadDelivery(api, request.delivery!, {
      channelId: dm ? () => postMessage(api, target, { text: comment ?? `${request.suggestedTitle()} from Looker` })
        : target.id,
      fileName,
      title: fileName,
      comment: dm ? undefined : comment,
      maxBytes: this.options.maxFileBytes ?? SLACK_MAX_FILE_BYTES,
      tmpDir: this.options.tmpDir,
      post: { http: this.options.http, apiUrl: this.options.apiUrl, logger: request.logger },
    });
    if (bytes === 0) { return this.noData(api, request, target, comment); }
    request.logger.info("slack file sent", { bytes });
    return ActionResponse.ok(`Sent "${fileName}" (${formatBytes(bytes)}) to ${target.display} in Slack.`);
  }

  private async sendTable(api: SlackApi, request: ActionRequest, target: Target, comment?: string) {
    const hidden = request.scheduledPlan?.query?.vis_config?.hidden_fields;
    const table = await readTable(request.delivery!, request.format, Array.isArray(hidden) ? hidden : []);
    const message = tableMessage(request.suggestedTitle(), table, request.scheduledPlan?.url, comment);
    await postMessage(api, target, { text: message.text, blocks: message.blocks, unfurl_links: false });
    return ActionResponse.ok(`Sent a table of ${message.rowsShown} rows to ${target.display} in Slack.`);
  }

  /** "Send even if there are no results": a message says so rather than an empty file. */
  private async noData(api: SlackApi, request: ActionRequest, target: Target, comment?: string) {
    const text = [comment, `"${request.suggestedTitle()}" has no results to send.`].filter(Boolean).join("\n");
    await postMessage(api, target, { text });
    return ActionResponse.ok(`There were no results; posted a message to ${target.display} in Slack instead.`);
  }
}
