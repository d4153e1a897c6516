// Opsgenie alerts (Alert API v2, POST /v2/alerts) built from Looker data: one for a clicked cell,
// one for a query's result (its row count and first rows). Opsgenie's field limits are kept
// (message 130 characters, alias 512, description 15,000, details 8,000 in all), and the alias
// comes from the schedule (or the cell), so an alert still open when the schedule fires again is
// counted again by Opsgenie's deduplication rather than opened twice.
import { RowPreview } from "../../data/rows/row_preview";
import { alertSource, keyOf } from "../../families/alerts/alert_keys";
import { clipped } from "../../families/webhook/chat_text";
import { ActionRequest } from "../../hub/action_request";
import { cellField, cellLink } from "../../hub/cell";
import { groupDigits } from "../../lib/digits";

export const PRIORITIES = ["P1", "P2", "P3", "P4", "P5"] as const;
export type Priority = typeof PRIORITIES[number];

export const MAX_MESSAGE = 130;
const MAX_DESCRIPTION = 15_000;
const MAX_DETAIL_VALUE = 1_000;

export interface Alert {
  message: string;
  alias: string;
  description: string;
  priority: Priority;
  source: string;
  tags: string[];
  details: Record<string, string>;
  entity?: string;
}

/** The schedule (or Look, or query) an alert comes from: the same on every run of one schedule. */
function base(request: ActionRequest, message: string, priority: Priority, alias: string): Alert {
  const query = request.scheduledPlan?.query;
  const entity = [query?.model, query?.view].filter((p) => typeof p === "string" && p).join(".");
  return { message: clipped(message, MAX_MESSAGE), alias, description: "", priority, source: "Looker",
    tags: ["looker"], details: {}, ...(entity ? { entity } : {}) };
}

/** A clicked cell: "<message or field>: <value>", with the value and a link in the details. */
export function cellAlert(request: ActionRequest, typed: string, priority: Priority): Alert {
  const field = cellField(request) ?? "Value";
  const shown = request.cellRendered ?? request.cellValue ?? "";
  const link = cellLink(request);
  const alert = base(request, `${typed || field}: ${shown}`, priority,
    `looker-cell-${keyOf([field, request.cellValue ?? ""])}`);
  alert.description = clipped([`${field}: ${shown}`, link ?? ""].filter(Boolean).join("\n"), MAX_DESCRIPTION);
  alert.details = { field: clipped(field, MAX_DETAIL_VALUE), value: clipped(request.cellValue ?? "", MAX_DETAIL_VALUE),
    ...(link ? { looker_url: link } : {}) };
  return alert;
}

/** A query's result: the message, the row count and the first rows as text. */
export function queryAlert(request: ActionRequest, message: string, priority: Priority, rows: number,
                           preview: RowPreview | undefined): Alert {
  const link = cellLink(request);
  const alert = base(request, message, priority, `looker-${keyOf([alertSource(request)])}`);
  const lines = [`${request.suggestedTitle()}: ${groupDigits(rows)} row${rows === 1 ? "" : "s"}.`];
  if (preview?.columns.length && preview.rows.length) {
    lines.push("", preview.columns.join(" | "), ...preview.rows.map((r) => r.join(" | ")));
    if (rows > preview.rows.length) { lines.push(`(first ${preview.rows.length} of ${groupDigits(rows)} rows)`); }
  }
  if (link) { lines.push("", link); }
  alert.description = clipped(lines.join("\n"), MAX_DESCRIPTION);
  alert.details = { rows: String(rows), ...(link ? { looker_url: link } : {}) };
  return alert;
}
