// What the two Slack integrations share: the delivery of a Look, dashboard or cell to a channel
// or person with one bot token, the channel form, and the connection test. `slack` takes its
// token from an admin param, `slack_app` from Looker's delegated Slack install; both call these.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { formatBytes, requestFileName } from "../../data/files/file_naming";
import { SlackApi, SlackApiOptions } from "./slack_api";
import { cellMessage } from "./slack_cell";
import { ErrorContext, explainSlackError, SLACK_MAX_FILE_BYTES } from "./slack_errors";
import { ChannelType, channelTypeOf, formFields, listChannels, listUsers, sendAsOf } from "./slack_form";
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

/** How a refused token is explained: where the token comes from differs between the two. */
export type TokenAdvice = Pick<ErrorContext, "tokenAdvice">;

/** The channel form with the workspace's channels or people listed; Slack's refusals become the form's error. */
export async function channelForm(api: SlackApi, channelType: ChannelType, forCell: boolean,
                                  advice: TokenAdvice = {}): Promise<ActionForm> {
  if (channelType === "manual") { return new ActionForm(formFields(channelType, forCell)); }
  try {
    const options = channelType === "channels" ? await listChannels(api) : await listUsers(api);
    return new ActionForm(formFields(channelType, forCell, options.map(({ name, label }) => ({ name, label }))));
  } catch (err) {
    const explained = explainSlackError(err, advice);
    if (explained instanceof UserError) { return ActionForm.error(explained.message); }
    throw explained;
  }
}

/** Looker's connection test: auth.test, naming the workspace and the app. */
export async function connectionTest(api: SlackApi, advice: TokenAdvice = {}): Promise<ActionResponse> {
  const who = await api.call("auth.test", (c) => c.auth.test())
    .catch((err) => { throw explainSlackError(err, advice); });
  return ActionResponse.ok(`Connected to the Slack workspace ${who.team ?? ""} as ${who.user ?? "the app"}.`);
}

/** Delivers the request to the form's channel or person with the api's token. */
export async function deliverToSlack(api: SlackApi, request: ActionRequest, options: SlackOptions,
                                     advice: TokenAdvice = {}): Promise<ActionResponse> {
  const channel = (request.formParams.channel ?? "").trim();
  if (!channel) {
    throw new UserError("Choose a Slack channel or person to send to.", { channel: "Required." });
  }
  const comment = (request.formParams.initial_comment ?? "").trim() || undefined;
  let target: Target | undefined;
  try {
    target = await resolveTarget(api, channel, channelTypeOf(request.formParams.channelType));
    if (request.type === "cell") {
      await postMessage(api, target, cellMessage(request, comment));
      return ActionResponse.ok(`Sent the value to ${target.display} in Slack.`);
    }
    if (!request.delivery) { return await noData(api, request, target, comment); }
    if (sendAsOf(request.formParams.send_as) === "message") {
      return await sendTable(api, request, target, comment);
    }
    return await sendFile(api, request, target, options, comment);
  } catch (err) {
    throw explainSlackError(err, { ...advice, channel, channelName: target?.name });
  }
}

async function sendFile(api: SlackApi, request: ActionRequest, target: Target, options: SlackOptions,
                        comment?: string): Promise<ActionResponse> {
  const fileName = requestFileName(request, request.formParams.filename);
  // A file goes into a conversation, not to a member ID: for a person, the comment (or a line
  // naming the file) is posted to them first, which answers the DM's channel. In a channel the
  // comment follows the file as a message of its own, where Slack renders its links (as the
  // official hub does it).
  const dm = target.memberId !== undefined;
  const bytes = await uploadDelivery(api, request.delivery!, {
    channelId: dm ? () => postMessage(api, target, { text: comment ?? `${request.suggestedTitle()} from Looker` })
      : target.id,
    fileName,
    title: fileName,
    maxBytes: options.maxFileBytes ?? SLACK_MAX_FILE_BYTES,
    tmpDir: options.tmpDir,
    post: { http: options.http, apiUrl: options.apiUrl, logger: request.logger },
  });
  if (bytes === 0) { return noData(api, request, target, comment); }
  if (!dm && comment) { await postMessage(api, target, { text: comment }); }
  request.logger.info("slack file sent", { bytes });
  return ActionResponse.ok(`Sent "${fileName}" (${formatBytes(bytes)}) to ${target.display} in Slack.`);
}

async function sendTable(api: SlackApi, request: ActionRequest, target: Target,
                         comment?: string): Promise<ActionResponse> {
  const hidden = request.scheduledPlan?.query?.vis_config?.hidden_fields;
  const table = await readTable(request.delivery!, request.format, Array.isArray(hidden) ? hidden : []);
  const message = tableMessage(request.suggestedTitle(), table, request.scheduledPlan?.url, comment);
  await postMessage(api, target, { text: message.text, blocks: message.blocks, unfurl_links: false });
  return ActionResponse.ok(`Sent a table of ${message.rowsShown} rows to ${target.display} in Slack.`);
}

/** "Send even if there are no results": a message says so rather than an empty file. */
async function noData(api: SlackApi, request: ActionRequest, target: Target,
                      comment?: string): Promise<ActionResponse> {
  const text = [comment, `"${request.suggestedTitle()}" has no results to send.`].filter(Boolean).join("\n");
  await postMessage(api, target, { text });
  return ActionResponse.ok(`There were no results; posted a message to ${target.display} in Slack instead.`);
}
