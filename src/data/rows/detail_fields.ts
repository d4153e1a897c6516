// The fields of a json_detail delivery and what LookML tags say about them, shared by every
// row destination (Segment, the CRMs, the ad audiences): which field carries a tag, which ones
// the user hid, and a cell's plain value.
import type { ActionRequest } from "../../hub/action_request";
import type { DefinitionContext, Format } from "../../hub/integration";
import { isAtLeast } from "../../hub/looker_version";
import { UserError } from "../../lib/errors";
import type { JsonDetailCell, JsonDetailField, JsonDetailFields } from "./rows";

/**
 * How deep a cell's value (JSON in a cell) may nest. No vendor takes more, and every row
 * destination serialises values with JSON.stringify, which overflows the stack some thousands
 * of levels down: an "internal error" instead of an answer.
 */
export const MAX_VALUE_DEPTH = 64;

/** True when `value` nests deeper than `limit`; iterative, so any depth is measured safely. */
function nestsDeeperThan(value: object, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== "object" || item === null) { continue; }
    if (depth > limit) { return true; }
    for (const child of Object.values(item)) {
      if (typeof child === "object" && child !== null) { pending.push([child, depth + 1]); }
    }
  }
  return false;
}

/** The value itself, or a clear refusal when it nests deeper than MAX_VALUE_DEPTH. */
function bounded(value: unknown): unknown {
  if (typeof value === "object" && value !== null && nestsDeeperThan(value, MAX_VALUE_DEPTH)) {
    throw new UserError(`A cell of this delivery holds JSON nested more than ${MAX_VALUE_DEPTH} levels deep, ` +
      "which no destination takes. Check the query's fields (a dimension of JSON?) and remove or flatten it.");
  }
  return value;
}

/** Looker 6.2 and newer send json_detail_lite_stream, meant to be read as a stream. */
export function streamingDetailFormats(context: DefinitionContext): Format[] {
  return isAtLeast(context.lookerVersion, "6.2.0") ? ["json_detail_lite_stream"] : ["json_detail"];
}

/** Every field of a json_detail delivery, in the order the official hub reads them. */
export function allFields(fields: JsonDetailFields): JsonDetailField[] {
  const groups = [fields.dimensions, fields.measures, fields.filters, fields.parameters, fields.table_calculations];
  return groups.flatMap((group) => (Array.isArray(group) ? group as JsonDetailField[] : []))
    .filter((f) => f && typeof f.name === "string");
}

/** The field's tags (an empty list when it has none or they are not a list of strings). */
export function tagsOf(field: JsonDetailField): string[] {
  return Array.isArray(field.tags) ? field.tags.filter((t): t is string => typeof t === "string") : [];
}

/** The name of the first field carrying `tag`. */
export function taggedField(fields: JsonDetailField[], tag: string): string | undefined {
  return fields.find((f) => tagsOf(f).includes(tag))?.name;
}

/** The fields the user hid in the visualization (`vis_config.hidden_fields`), left out of every record. */
export function hiddenFields(request: ActionRequest): Set<string> {
  const hidden = request.scheduledPlan?.query?.vis_config?.hidden_fields;
  return new Set(Array.isArray(hidden) ? hidden.filter((h): h is string => typeof h === "string") : []);
}

function isCell(value: unknown): value is JsonDetailCell {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "value" in value;
}

/** A cell's value; a pivoted measure becomes a list of {pivot key: value}, as the official hub sends it. */
export function cellValue(cell: unknown): unknown {
  if (isCell(cell)) { return bounded(cell.value ?? null); }
  if (typeof cell === "object" && cell !== null && !Array.isArray(cell)) {
    return Object.entries(cell).map(([pivotKey, pivotCell]) =>
      ({ [pivotKey]: isCell(pivotCell) ? bounded(pivotCell.value ?? null) : null }));
  }
  return bounded(cell ?? null);
}

/** A cell as an identifier: a non-empty string, else undefined (null, empty, a list). */
export function idValue(cell: unknown): string | undefined {
  const value = cellValue(cell);
  if (value === null || value === undefined || typeof value === "object") { return undefined; }
  const text = String(value).trim();
  return text === "" ? undefined : text;
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`: tag names as a message lists them. */
export function quoteTags(tags: readonly string[]): string {
  return tags.map((t) => `"${t}"`).join(", ").replace(/, ([^,]*)$/, " or $1");
}

/** Says which tag to add in LookML; `what` says what the tag is for. */
export function missingTagMessage(tags: readonly string[], what: string): string {
  return `The query needs a field tagged ${quoteTags(tags)} ${what}; none of its visible fields has ` +
    `${tags.length > 1 ? "one of these tags" : "it"}. Ask your LookML developer to add the tag to the dimension ` +
    `(for example tags: ["${tags[0]}"]) and include that field in the query.`;
}
