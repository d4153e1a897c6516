// Where a delivery goes: a channel ID as given, a person's member ID as a direct message, or a
// #name looked up among the channels the app can see. As in the official hub, a value that
// starts with "U" or "W" is a person (Slack's member IDs; channel names are lower case). A
// direct message is posted to the member ID itself with chat.postMessage, which needs only
// chat:write (the official hub's scopes) and answers the DM's channel; conversations.open
// (which needs im:write) is asked only when Slack refuses that.
import { UserError } from "../../lib/errors";
import { SlackApi, SlackCallError } from "./slack_api";
import { ChannelType, listChannels } from "./slack_form";

export interface Target {
  /** The conversation ID files and messages are sent to. */
  id: string;
  /** How success messages name it. */
  display: string;
  /** The channel's name, when known (for error messages). */
  name?: string;
  /** Set for a direct message: `id` is then the member ID until the DM's channel is known. */
  memberId?: string;
}

export interface SlackMessage {
  text: string;
  blocks?: unknown[];
  unfurl_links?: boolean;
}

/** Slack's answers to a post to a member ID that conversations.open may still get past. */
const DM_FALLBACK_CODES = new Set(["channel_not_found", "not_in_channel", "messages_tab_disabled", "not_allowed"]);

const CONVERSATION_ID = /^[CGD][A-Z0-9]{6,}$/;
const CHANNEL_NAME = /^#?([a-z0-9][a-z0-9._\-]{0,79})$/;

/** `channelType`: how the form gave the value; a value picked from the channel list is an ID. */
export async function resolveTarget(api: SlackApi, channel: string, channelType: ChannelType = "manual"):
    Promise<Target> {
  if (channel.startsWith("U") || channel.startsWith("W")) {
    return { id: channel, display: `a direct message to ${channel}`, memberId: channel };
  }
  if (CONVERSATION_ID.test(channel) || channelType === "channels") {
    return { id: channel, display: `channel ${channel}` };
  }
  const name = CHANNEL_NAME.exec(channel.toLowerCase())?.[1];
  if (!name) {
    throw new UserError(`"${channel.slice(0, 80)}" is not a Slack channel or member ID. Use an ID such as C0123ABCD ` +
      "(channel details, at the bottom) or U0123ABCD (a person's profile, Copy member ID).",
      { channel: "Not a channel or member ID." });
  }
  const found = (await listChannels(api)).find((c) => c.channelName.toLowerCase() === name);
  if (!found) {
    throw new UserError(`The Slack app sees no channel named #${name}. Check the name, or for a private channel ` +
      "invite the app first; a channel ID (channel details, at the bottom) always works.",
      { channel: "Channel not found." });
  }
  return { id: found.name, display: `#${found.channelName}`, name: found.channelName };
}

/**
 * Posts a message to the target and answers the conversation it landed in (for a member ID,
 * the DM's channel). Only when Slack refuses a post to the member ID is the DM opened with
 * conversations.open, whose missing_scope then names im:write.
 */
export async function postMessage(api: SlackApi, target: Target, message: SlackMessage): Promise<string> {
  const post = (channel: string) => api.call("chat.postMessage", (c) => c.chat.postMessage({
    channel, text: message.text, blocks: message.blocks as any, unfurl_links: message.unfurl_links,
  }));
  try {
    const posted = await post(target.id);
    return posted.channel ?? target.id;
  } catch (err) {
    const refused = err instanceof SlackCallError && err.kind === "platform" && DM_FALLBACK_CODES.has(err.code ?? "");
    if (!target.memberId || !refused) { throw err; }
  }
  const opened = await api.call("conversations.open", (c) => c.conversations.open({ users: target.memberId! }));
  const id = opened.channel?.id;
  if (!id) { throw new UserError(`Slack did not open a direct message with ${target.memberId}. Try again later.`); }
  await post(id);
  return id;
}
