// The first rows of a delivery as text, for destinations that show a small table in a
// message (Teams, Google Chat). Reads only as far as it needs; hidden fields are left out.
import { ActionRequest } from "./action_request";
import { csvRows, JsonDetailCell, JsonDetailField, jsonDetailItems, jsonRows } from "./rows";

export interface RowPreview {
  columns: string[];
  rows: string[][];
  /** True when the delivery had more rows than shown. */
  more: boolean;
}

const MAX_CELL_CHARS = 80;

function cellText(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

function detailCellText(cell: unknown): string {
  if (!cell || typeof cell !== "object") { return cellText(cell); }
  const c = cell as JsonDetailCell;
  if ("value" in c) { return cellText(c.rendered ?? c.value); }
  // A pivoted measure: one cell per pivot key.
  return cellText(Object.entries(c).map(([key, sub]) => `${key}: ${detailCellText(sub)}`).join(", "));
}

/** Up to `maxRows` rows of a csv, json or json_detail delivery; undefined for other formats. */
export async function previewRows(request: ActionRequest, maxRows: number): Promise<RowPreview | undefined> {
  const delivery = request.delivery;
  const format = request.format;
  if (!delivery || maxRows <= 0) { return undefined; }
  const hidden = new Set<string>(request.scheduledPlan?.query?.vis_config?.hidden_fields ?? []);
  const preview: RowPreview = { columns: [], rows: [], more: false };
  const add = (cells: string[]): boolean => {
    if (preview.rows.length >= maxRows) { preview.more = true; return false; }
    preview.rows.push(cells);
    return true;
  };
  if (format === "csv") {
    for await (const row of csvRows(delivery)) {
      if (!preview.columns.length) { preview.columns = Object.keys(row); }
      if (!add(preview.columns.map((c) => cellText(row[c])))) { break; }
    }
  } else if (format === "json" || format === "json_label" || format === "inline_json") {
    for await (const row of jsonRows(delivery)) {
      if (!preview.columns.length) { preview.columns = Object.keys(row).filter((k) => !hidden.has(k)); }
      if (!add(preview.columns.map((c) => cellText(row[c])))) { break; }
    }
  } else if (format === "json_detail" || format === "json_detail_lite_stream") {
    let fields: JsonDetailField[] = [];
    for await (const item of jsonDetailItems(delivery)) {
      if (item.kind === "fields") {
        const f = item.fields;
        fields = [...f.dimensions ?? [], ...f.measures ?? [], ...f.table_calculations ?? []]
          .filter((field) => !hidden.has(field.name));
        preview.columns = fields.map((field) => field.label_short ?? field.label ?? field.name);
      } else if (item.kind === "row") {
        if (!add(fields.map((field) => detailCellText(item.row[field.name])))) { break; }
      }
    }
  } else {
    return undefined;
  }
  return preview;
}
