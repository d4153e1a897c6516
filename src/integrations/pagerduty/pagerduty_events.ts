// PagerDuty Events API v2 trigger events built from Looker data: one for a clicked cell, one per
// row, or one summary of the rows. Dedup keys are derived from the schedule and the row's
// dimensions, so a schedule that fires again updates the incidents it opened instead of opening
// new ones (a measure that changes keeps the same key; a new row gets a new one).
import { alertSource, keyOf } from "../../families/alerts/alert_keys";
import { ActionRequest } from "../../hub/action_request";
import { cellField, cellLink } from "../../hub/cell";
import { JsonDetailField, JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { allFields, cellText } from "../../data/rows/tagged_values";
import { groupDigits } from "../../lib/digits";

export type Severity = "critical" | "error" | "warning" | "info";
export const SEVERITIES: Severity[] = ["critical", "error", "warning", "info"];

export interface TriggerEvent {
  routing_key: string;
  event_action: "trigger";
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: Severity;
    component?: string;
    group?: string;
    custom_details: Record<string, unknown>;
  };
  links?: Array<{ href: string; text: string }>;
  client: string;
  client_url?: string;
}

/** PagerDuty's limits: summary 1024 characters, dedup_key 255. */
const MAX_SUMMARY = 1024;
const MAX_DEDUP = 255;

export interface EventSettings {
  routingKey: string;
  severity: Severity;
  /** The form's summary, else the schedule's title. */
  summary: string;
  /** The form's dedup key, when typed. */
  dedupKey?: string;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Looker's host, as the event's source (PagerDuty groups alerts by it). */
function source(request: ActionRequest): string {
  const url = cellLink(request);
  try { return url ? new URL(url).host : "Looker"; } catch { return "Looker"; }
}

function baseEvent(request: ActionRequest, settings: EventSettings, summary: string, dedupKey: string,
  details: Record<string, unknown>): TriggerEvent {
  const link = cellLink(request);
  return {
    routing_key: settings.routingKey,
    event_action: "trigger",
    dedup_key: clip(dedupKey, MAX_DEDUP),
    payload: {
      summary: clip(summary, MAX_SUMMARY),
      source: source(request),
      severity: settings.severity,
      component: request.scheduledPlan?.query?.view ?? undefined,
      group: request.scheduledPlan?.query?.model ?? undefined,
      custom_details: details,
    },
    links: link ? [{ href: link, text: "Open in Looker" }] : undefined,
    client: "Looker",
    client_url: link,
  };
}

/** The event of a clicked cell: its field, value and a link back to Looker. */
export function cellEvent(request: ActionRequest, settings: EventSettings): { event: TriggerEvent; label: string } {
  const field = cellField(request) ?? "Value";
  const shown = request.cellRendered ?? request.cellValue ?? "";
  const label = `${field} ${shown}`.trim();
  const summary = settings.summary ? `${settings.summary}: ${field} is ${shown}` : `${field} is ${shown}`;
  const dedup = settings.dedupKey ?? `looker-${keyOf(["cell", field, request.cellValue ?? ""])}`;
  const details = { field, value: request.cellValue ?? null, rendered: request.cellRendered ?? null };
  return { event: baseEvent(request, settings, summary, dedup, details), label };
}

/** Reads a json_detail row into label -> shown value, and the row's identity (its dimensions). */
export class RowReader {
  private readonly fields: JsonDetailField[];
  private readonly dimensions: Set<string>;

  constructor(fields: JsonDetailFields, hidden: string[]) {
    const hiddenSet = new Set(hidden);
    this.fields = allFields(fields).filter((f) => !f.hidden && !hiddenSet.has(f.name));
    this.dimensions = new Set((fields.dimensions ?? []).map((f) => f.name));
  }

  private static shown(cell: unknown): string | undefined {
    const rendered = (cell as { rendered?: unknown })?.rendered;
    return typeof rendered === "string" && rendered !== "" ? rendered : cellText(cell);
  }

  details(row: JsonDetailRow): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (const f of this.fields) {
      const cell = row[f.name] as any;
      const label = f.label_short ?? f.label ?? f.name;
      if (cell && typeof cell === "object" && !("value" in cell)) {
        for (const [pivot, pivoted] of Object.entries(cell)) {
          out[`${label} (${pivot})`] = RowReader.shown(pivoted) ?? null;
        }
      } else {
        out[label] = RowReader.shown(cell) ?? null;
      }
    }
    return out;
  }

  /** The dimensions' values, which name the row and stay the same while its measures change. */
  identity(row: JsonDetailRow): string[] {
    const dims = this.fields.filter((f) => this.dimensions.has(f.name));
    const chosen = dims.length ? dims : this.fields;
    return chosen.map((f) => RowReader.shown(row[f.name]) ?? "");
  }
}

/** One row's event; `index` is the row's position (from 1), naming rows without dimensions. */
export function rowEvent(request: ActionRequest, settings: EventSettings, reader: RowReader, row: JsonDetailRow,
  index: number): { event: TriggerEvent; label: string } {
  const identity = reader.identity(row);
  const name = identity.filter(Boolean).join(" / ") || `row ${index}`;
  const key = keyOf([alertSource(request), identity]);
  const dedup = settings.dedupKey ? `${settings.dedupKey}-${key.slice(0, 12)}` : `looker-${key}`;
  return {
    event: baseEvent(request, settings, `${settings.summary}: ${name}`, dedup, reader.details(row)),
    label: clip(name, 60),
  };
}

/** One event for the whole result: the row count and the first rows. */
export function summaryEvent(request: ActionRequest, settings: EventSettings, rows: number,
  firstRows: Array<Record<string, unknown>>): TriggerEvent {
  const dedup = settings.dedupKey ?? `looker-${keyOf([alertSource(request)])}`;
  const summary = `${settings.summary}: ${groupDigits(rows)} row${rows === 1 ? "" : "s"}`;
  return baseEvent(request, settings, summary, dedup, { rows, first_rows: firstRows });
}
