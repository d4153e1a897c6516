// The Slack form: where to send (a typed ID, or a channel or person picked from lists Slack
// gives), a comment, a file name, and file or message. Field names are the official hub's
// (`channelType`, `channel`, `initial_comment`, `filename`) so schedules move over unchanged.
import { FormField, FormOption } from "../../hub/action_form";
import { SlackApi } from "./slack_api";

export type ChannelType = "manual" | "channels" | "users";
export type SendAs = "file" | "message";

/** Slack's largest page for both list methods. */
const PAGE_LIMIT = 1000;
/** Guards against a server that never stops handing out cursors. */
const MAX_PAGES = 500;

export function channelTypeOf(value: string | undefined): ChannelType {
  return value === "channels" || value === "users" ? value : "manual";
}

export function sendAsOf(value: string | undefined): SendAs {
  return value === "message" ? "message" : "file";
}

/** The form's fields; `options` fills the channel select (channel and user modes). */
export function formFields(channelType: ChannelType, forCell: boolean, options: FormOption[] = []): FormField[] {
  const fields: FormField[] = [{
    name: "channelType",
    label: "Channel Type",
    description: "Type a channel or member ID, or pick from the workspace's channels or people.",
    type: "select",
    options: [
      { name: "manual", label: "Manual ID" },
      { name: "channels", label: "Channels" },
      { name: "users", label: "Users" },
    ],
    default: "manual",
    interactive: true,
  }];
  if (channelType === "manual") {
    fields.push({
      name: "channel",
      label: "Channel or Member ID",
      description: "A channel ID (starts with C or G) or #channel-name, or a person's member ID (starts with U or W) " +
        "for a direct message. In Slack the ID is at the bottom of the channel's or profile's details.",
      type: "string",
      required: true,
    });
  } else {
    fields.push({
      name: "channel",
      label: "Share In",
      description: channelType === "channels"
        ? "The channel to post to. For a private channel, invite the app first."
        : "The person to send a direct message to.",
      type: "select",
      options,
      required: true,
    });
  }
  fields.push({
    name: "initial_comment",
    label: "Comment",
    description: "A message posted with the data.",
    type: "string",
  });
  if (forCell) { return fields; }
  fields.push({
    name: "filename",
    label: "Filename",
    description: "The file's name in Slack; the right extension is added. Empty: the schedule's title.",
    type: "string",
  }, {
    name: "send_as",
    label: "Send As",
    description: "A file with all the results, or a message showing the first rows as a table with a link " +
      "to the Look (for small query results in CSV or JSON formats).",
    type: "select",
    options: [
      { name: "file", label: "File" },
      { name: "message", label: "Message with a table of the first rows" },
    ],
    default: "file",
  });
  return fields;
}

interface Page<T> {
  items: T[];
  nextCursor?: string;
}

async function allPages<T>(fetchPage: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextCursor } = await fetchPage(cursor);
    all.push(...items);
    if (!nextCursor) { break; }
    cursor = nextCursor;
  }
  return all;
}

interface SlackChannel { id?: string; name?: string; is_archived?: boolean; }
interface SlackUser {
  id?: string; name?: string; real_name?: string; deleted?: boolean; is_bot?: boolean;
  is_restricted?: boolean; is_ultra_restricted?: boolean;
}

function byLabel(a: FormOption, b: FormOption): number {
  return a.label.localeCompare(b.label, "en", { sensitivity: "base" }) || a.name.localeCompare(b.name);
}

/** Every public and private channel the app can see, without archived ones, sorted by name. */
export async function listChannels(api: SlackApi): Promise<Array<FormOption & { channelName: string }>> {
  const channels = await allPages<SlackChannel>(async (cursor) => {
    const result = await api.call("conversations.list", (c) => c.conversations.list({
      types: "public_channel,private_channel", exclude_archived: true, limit: PAGE_LIMIT, cursor,
    }));
    return { items: (result.channels ?? []) as SlackChannel[], nextCursor: result.response_metadata?.next_cursor };
  });
  return channels
    .filter((c) => c.id && c.name && !c.is_archived)
    .map((c) => ({ name: c.id!, label: `#${c.name}`, channelName: c.name! }))
    .sort(byLabel);
}

/** Every active full member of the workspace (no bots, deleted or guest accounts), sorted. */
export async function listUsers(api: SlackApi): Promise<FormOption[]> {
  const users = await allPages<SlackUser>(async (cursor) => {
    const result = await api.call("users.list", (c) => c.users.list({ limit: PAGE_LIMIT, cursor }));
    return { items: (result.members ?? []) as SlackUser[], nextCursor: result.response_metadata?.next_cursor };
  });
  return users
    // Slackbot is not flagged as a bot but cannot receive files.
    .filter((u) => u.id && u.name && u.id !== "USLACKBOT")
    .filter((u) => !u.deleted && !u.is_bot && !u.is_restricted && !u.is_ultra_restricted)
    .map((u) => ({ name: u.id!, label: u.real_name ? `@${u.name} (${u.real_name})` : `@${u.name}` }))
    .sort(byLabel);
}
