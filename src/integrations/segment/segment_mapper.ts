// Turns json_detail rows into Segment messages, the same way for Identify, Track and Group.
// The rules follow Looker's official hub so schedules that move over send the same data;
// where it differs (nulls, rows Segment would refuse) the README says why.
import { hasOwn, own } from "../../lib/own";
import { UserError } from "../../lib/errors";
import { allFields, cellValue, quoteTags, taggedField } from "../../data/rows/detail_fields";
import { JsonDetailField, JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";

export { allFields, cellValue } from "../../data/rows/detail_fields";

export type SegmentCall = "identify" | "track" | "group";

/** The LookML tags the Segment integrations read. */
export const SegmentTag = {
  userId: "user_id",
  anonymousId: "segment_anonymous_id",
  email: "email",
  groupId: "segment_group_id",
} as const;

/** Tags that identify the person a row is about. */
export const IDENTITY_TAGS = [SegmentTag.email, SegmentTag.userId, SegmentTag.anonymousId];

/** Which field plays which part, worked out once from the delivery's fields. */
export interface FieldRoles {
  userIdField?: string;
  anonymousIdField?: string;
  emailField?: string;
  groupIdField?: string;
  /** Fields sent as traits (Track: properties), in query order: not tagged, not hidden. */
  valueFields: string[];
}

export interface MessageSettings {
  call: SegmentCall;
  /** Track's event name. */
  event?: string;
  context: { app: { name: string; version: string } };
}

export interface SegmentMessage {
  userId: string | null;
  anonymousId: string | null;
  groupId?: string;
  event?: string;
  traits?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  context: MessageSettings["context"];
  timestamp: Date;
  messageId: string;
}

function tagged(fields: JsonDetailField[], tag: string): string | undefined {
  return taggedField(fields, tag);
}

/**
 * Reads the roles of the fields and refuses, before anything is sent, a query that cannot
 * identify anyone. `hiddenFields` are the ones the user hid in the visualization.
 */
export function fieldRoles(fields: JsonDetailFields, hiddenFields: string[], call: SegmentCall): FieldRoles {
  const list = allFields(fields);
  const roles: FieldRoles = {
    userIdField: tagged(list, SegmentTag.userId),
    anonymousIdField: tagged(list, SegmentTag.anonymousId),
    emailField: tagged(list, SegmentTag.email),
    groupIdField: tagged(list, SegmentTag.groupId),
    valueFields: [],
  };
  const taggedNames = new Set(list
    .filter((f) => Array.isArray(f.tags) && f.tags.some((t) => (Object.values(SegmentTag) as string[]).includes(t)))
    .map((f) => f.name));
  const hidden = new Set(hiddenFields);
  roles.valueFields = list.map((f) => f.name).filter((name) => !taggedNames.has(name) && !hidden.has(name));

  const hint = (tag: string) => `Ask your LookML developer to add the tag to the dimension (for example ` +
    `tags: ["${tag}"]) and include that field in the query.`;
  if (call === "group") {
    if (!roles.groupIdField) {
      throw new UserError(`Segment Group needs a field tagged "${SegmentTag.groupId}" in the query. ${hint(SegmentTag.groupId)}`);
    }
    if (!roles.userIdField && !roles.anonymousIdField) {
      throw new UserError(
        `Segment Group needs a field tagged ${quoteTags([SegmentTag.userId, SegmentTag.anonymousId])} in the query ` +
        `to say who belongs to the group; Segment refuses group calls without one. ${hint(SegmentTag.userId)}`);
    }
  } else if (!roles.userIdField && !roles.anonymousIdField && !roles.emailField) {
    throw new UserError(`The query needs a field tagged ${quoteTags(IDENTITY_TAGS)} to say which Segment user ` +
      `each row is about; none of its fields has one of these tags. ${hint(SegmentTag.userId)}`);
  }
  return roles;
}

/** An id as Segment wants it: a non-empty string, else null. */
function idValue(row: JsonDetailRow, field: string | undefined): string | null {
  if (!field) { return null; }
  const value = cellValue(own(row, field));
  if (value === null || value === undefined || value === "" || typeof value === "object") { return null; }
  return String(value);
}

/** Why a row cannot become a message, or the message. */
export type MappedRow = { message: SegmentMessage } | { skipped: string };

/**
 * Maps one row. `newAnonymousId` is called only for a row that names no one; `messageId`
 * is the id Segment deduplicates on.
 */
export function rowToMessage(
  row: JsonDetailRow, roles: FieldRoles, settings: MessageSettings,
  timestamp: Date, messageId: string, newAnonymousId: () => string,
): MappedRow {
  const values: Record<string, unknown> = {};
  for (const name of roles.valueFields) {
    if (hasOwn(row, name)) { values[name] = cellValue(own(row, name)); }
  }
  if (roles.emailField && hasOwn(row, roles.emailField)) { values.email = cellValue(own(row, roles.emailField)); }

  const userId = idValue(row, roles.userIdField ?? roles.anonymousIdField);
  let anonymousId = idValue(row, roles.anonymousIdField);
  const groupId = idValue(row, roles.groupIdField);
  if (settings.call === "group") {
    // No invented anonymous ids for groups: each would count as a new Segment user.
    if (!groupId) { return { skipped: "no group id" }; }
    if (!userId && !anonymousId) { return { skipped: "no user id" }; }
  } else if (!userId && !anonymousId) {
    anonymousId = newAnonymousId();
  }

  const message: SegmentMessage = { userId, anonymousId, context: settings.context, timestamp, messageId };
  if (settings.call === "group") { message.groupId = groupId!; }
  if (settings.call === "track") {
    message.event = settings.event;
    message.properties = values;
  } else {
    message.traits = values;
  }
  return { message };
}
