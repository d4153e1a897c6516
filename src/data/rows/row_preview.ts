// The first rows of a delivery as text, for destinations that show a small table in a message
// (Slack's "Send As: Message", Teams, Google Chat). Reads only as far as it needs; fields the
// user hid are left out; a pivoted measure becomes one column per pivot key.
import { own } from "../../lib/own";
import { ActionRequest } from "../../hub/action_request";
import { Delivery } from "../../hub/delivery";
import { csvRows, JsonDetailCell, JsonDetailFields, jsonDetailItems, jsonRows } from "./rows";

export interface RowPreview {
  columns: string[];
  rows: string[][];
  /** True when the delivery had more rows than shown. */
  more: boolean;
  /** Every row of the delivery, when it was read to its end to count them (`countAll`). */
  total?: number;
}

/** The formats a preview can be read from. */
export const PREVIEW_FORMATS = ["csv", "json", "json_label", "inline_json", "json_detail", "json_detail_lite_stream"];

const MAX_CELL_CHARS = 80;

function cellText(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value
    : typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

interface Column { name: string; label: string; pivotKey?: string; }

function detailColumns(fields: JsonDetailFields, hidden: Set<string>): Column[] {
  const label = (f: { name: string; label_short?: string; label?: string }) => f.label_short || f.label || f.name;
  const pivots = fields.pivots ?? [];
  const columns: Column[] = [];
  for (const d of fields.dimensions ?? []) {
    if (!hidden.has(d.name)) { columns.push({ name: d.name, label: label(d) }); }
  }
  for (const m of [...(fields.measures ?? []), ...(fields.table_calculations ?? [])]) {
    if (hidden.has(m.name)) { continue; }
    if (pivots.length && fields.measures?.includes(m)) {
      for (const p of pivots) { columns.push({ name: m.name, label: `${label(m)} ${p.key}`, pivotKey: p.key }); }
    } else {
      columns.push({ name: m.name, label: label(m) });
    }
  }
  return columns;
}

function detailCellText(row: Record<string, unknown>, column: Column): string {
  const cell = own(row, column.name) as Record<string, JsonDetailCell> | JsonDetailCell | undefined;
  const picked = column.pivotKey ? own(cell as Record<string, JsonDetailCell> | undefined, column.pivotKey)
    : cell as JsonDetailCell | undefined;
  return picked ? cellText(picked.rendered ?? picked.value) : "";
}

/**
 * Up to `maxRows` rows of a csv, json or json_detail delivery; undefined for other formats. With
 * `countAll` the rest is read too (row by row, nothing kept) to count every row in `total`.
 */
export async function readPreview(
  delivery: Delivery, format: string | undefined, hiddenFields: Iterable<string>, maxRows: number, countAll = false,
): Promise<RowPreview | undefined> {
  if (!format || !PREVIEW_FORMATS.includes(format)) { return undefined; }
  const hidden = new Set(hiddenFields);
  const preview: RowPreview = { columns: [], rows: [], more: false };
  /** Adds a row, or notes that there are more and answers false to stop reading. */
  let total = 0;
  const add = (cells: () => string[]): boolean => {
    total++;
    if (preview.rows.length >= maxRows) { preview.more = true; return countAll; }
    preview.rows.push(cells());
    return true;
  };
  if (format === "json_detail" || format === "json_detail_lite_stream") {
    let columns: Column[] = [];
    for await (const item of jsonDetailItems(delivery)) {
      if (item.kind === "fields") {
        columns = detailColumns(item.fields, hidden);
        preview.columns = columns.map((c) => c.label);
      } else if (item.kind === "row" && !add(() => columns.map((c) => detailCellText(item.row, c)))) {
        break;
      }
    }
    return countAll ? { ...preview, total } : preview;
  }
  for await (const row of format === "csv" ? csvRows(delivery) : jsonRows(delivery)) {
    if (!preview.columns.length) { preview.columns = Object.keys(row).filter((k) => !hidden.has(k)); }
    if (!add(() => preview.columns.map((c) => cellText((row as Record<string, unknown>)[c])))) { break; }
  }
  return countAll ? { ...preview, total } : preview;
}

/** Up to `maxRows` rows of the request's delivery, hiding the fields its visualization hides (readPreview). */
export async function previewRows(request: ActionRequest, maxRows: number, countAll = false)
  : Promise<RowPreview | undefined> {
  if (!request.delivery || (maxRows <= 0 && !countAll)) { return undefined; }
  const hidden = request.scheduledPlan?.query?.vis_config?.hidden_fields;
  return readPreview(request.delivery, request.format, Array.isArray(hidden) ? hidden : [], maxRows, countAll);
}
