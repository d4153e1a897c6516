// Where a delivery goes: a channel ID as given, a person's ID as a direct message
// (conversations.open), or a #name looked up among the channels the app can see.
import { UserError } from "../../lib/errors";
import { SlackApi } from "./slack_api";
import { listChannels } from "./slack_form";

export interface Target {
  /** The conversation ID files and messages are sent to. */
  id: string;
  /** How success messages name it. */
  display: string;
  /** The channel's name, when known (for error messages). */
  name?: string;
}

const CONVERSATION_ID = /^[CGD][A-Z0-9]{6,}$/;
const USER_ID = /^[UW][A-Z0-9]{6,}$/;
const CHANNEL_NAME = /^#?([a-z0-9][a-z0-9._\-]{0,79})$/;

export async function resolveTarget(api: SlackApi, channel: string): Promise<Target> {
  if (CONVERSATION_ID.test(channel)) {
    return { id: channel, display: `channel ${channel}` };
  }
  if (USER_ID.test(channel)) {
    const opened = await api.call("conversations.open", (c) => c.conversations.open({ users: channel }));
    const id = opened.channel?.id;
    if (!id) { throw new UserError(`Slack did not open a direct message with ${channel}. Try again later.`); }
    return { id, display: `a direct message to ${channel}` };
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
