// The targets of an action that works on one value per row: the phone numbers, instance ids or
// droplet ids in the field a LookML tag marks (`tags: ["phone"]`), or the one value a person
// clicked in a cell's "…" menu. Read from a json_detail delivery as a stream; only the distinct
// values are kept, up to a limit, so memory stays small whatever the number of rows.
import type { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";
import { JsonDetailField, JsonDetailFields, jsonDetailItems } from "./rows";
import { groupDigits } from "../../lib/digits";

export interface TaggedValues {
  /** The distinct non-empty values, in the order they first appear. */
  values: string[];
  /** The tagged field's label (or name), for messages; absent for a cell. */
  fieldLabel?: string;
  /** Rows read (0 for a cell). */
  rows: number;
}

export interface TaggedValuesOptions {
  /** What the values are, for messages: "phone number", "instance ID". */
  what: string;
  /** Most distinct values accepted; a delivery with more fails before anything is sent. */
  max: number;
}

/** Every field of a json_detail `fields` object, dimensions first. */
export function allFields(fields: JsonDetailFields): JsonDetailField[] {
  const lists = [fields.dimensions, fields.measures, fields.table_calculations];
  return lists.flatMap((list) => Array.isArray(list) ? list.filter((f) => f && typeof f.name === "string") : []);
}

/** The first field carrying `tag` (LookML tags compare case-insensitively here). */
export function taggedField(fields: JsonDetailFields, tag: string): JsonDetailField | undefined {
  const wanted = tag.toLowerCase();
  return allFields(fields).find((f) => Array.isArray(f.tags) &&
    f.tags.some((t) => typeof t === "string" && t.toLowerCase() === wanted));
}

/** A cell's plain value as a string, or undefined for null, empty and pivot maps. */
export function cellText(cell: unknown): string | undefined {
  if (!cell || typeof cell !== "object" || !("value" in (cell as object))) { return undefined; }
  const value = (cell as { value: unknown }).value;
  if (value === null || value === undefined) { return undefined; }
  const text = (typeof value === "object" ? JSON.stringify(value) : String(value)).trim();
  return text === "" ? undefined : text;
}

function plural(n: number, word: string): string {
  return `${groupDigits(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** The clicked cell's value (cell actions) or the tagged field's distinct values (query actions). */
export async function taggedValues(request: ActionRequest, tag: string, options: TaggedValuesOptions)
  : Promise<TaggedValues> {
  if (request.type === "cell") {
    const value = (request.cellValue ?? "").trim();
    if (!value) { throw new UserError(`The clicked cell is empty: there is no ${options.what} to act on.`); }
    return { values: [value], rows: 0 };
  }
  if (!request.delivery) {
    throw new UserError(`The query returned no data, so there is no ${options.what} to act on.`);
  }
  if (request.format && request.format !== "json_detail" && request.format !== "json_detail_lite_stream") {
    throw new UserError(`This action needs the query's data as JSON with field details (json_detail); ` +
      `it got ${request.format}. Pick that format in the schedule.`);
  }
  const seen = new Set<string>();
  let field: JsonDetailField | undefined;
  let rows = 0;
  for await (const item of jsonDetailItems(request.delivery)) {
    if (item.kind === "fields") {
      field = taggedField(item.fields, tag);
      if (!field) {
        throw new UserError(`No field of this query is tagged "${tag}", so the hub cannot tell which column holds ` +
          `the ${options.what}s. Ask a LookML developer to add tags: ["${tag}"] to that dimension.`);
      }
    } else if (item.kind === "row") {
      rows++;
      const text = cellText(item.row[field!.name]);
      if (text === undefined || seen.has(text)) { continue; }
      if (seen.size >= options.max) {
        throw new UserError(`The query has more than ${plural(options.max, `distinct ${options.what}`)}; ` +
          "nothing was sent. Filter it down and send again.");
      }
      seen.add(text);
    }
  }
  const fieldLabel = field?.label_short ?? field?.label ?? field?.name;
  if (!seen.size) {
    throw new UserError(`The field "${fieldLabel}" has no values in ${plural(rows, "row")}, ` +
      `so there is no ${options.what} to act on.`);
  }
  return { values: [...seen], fieldLabel, rows };
}
