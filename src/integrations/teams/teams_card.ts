// The Adaptive Card message for Teams. Workflows webhooks ("Post to a channel when a webhook
// request is received") and the retiring Office 365 connector webhooks both accept a message
// whose attachment is an Adaptive Card, so one body serves both. Version 1.4 and ColumnSets
// (not the 1.5 Table) keep it renderable everywhere Teams shows cards.
import { ActionRequest } from "../../hub/action_request";
import { RowPreview } from "../../data/rows/row_preview";

export interface TeamsCardInput {
  title: string;
  text: string;
  /** Schedule metadata (type, title, model, view), shown as facts. */
  attachMetadata: boolean;
  preview?: RowPreview;
}

const MAX_COLUMNS = 8;

function textBlock(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "TextBlock", text, wrap: true, ...extra };
}

function columnSet(cells: string[], header: boolean): Record<string, unknown> {
  return {
    type: "ColumnSet",
    spacing: "Small",
    separator: header,
    columns: cells.map((cell) => ({
      type: "Column", width: "stretch",
      items: [textBlock(cell || " ", header ? { weight: "Bolder" } : { size: "Small" })],
    })),
  };
}

function facts(request: ActionRequest): Array<{ title: string; value: string }> {
  const plan = request.scheduledPlan;
  const list: Array<[string, unknown]> = [
    ["Type", plan?.type], ["Title", plan?.title], ["Model", plan?.query?.model], ["View", plan?.query?.view],
  ];
  return list
    .filter(([, v]) => typeof v === "string" && v !== "")
    .map(([title, value]) => ({ title, value: value as string }));
}

export function teamsMessage(request: ActionRequest, input: TeamsCardInput): Record<string, unknown> {
  const body: Array<Record<string, unknown>> = [textBlock(input.title, { weight: "Bolder", size: "Medium" })];
  if (input.text.trim()) { body.push(textBlock(input.text)); }
  if (input.attachMetadata && facts(request).length) { body.push({ type: "FactSet", facts: facts(request) }); }
  const preview = input.preview;
  if (preview && preview.columns.length) {
    const shown = preview.columns.slice(0, MAX_COLUMNS);
    body.push(columnSet(shown, true));
    for (const row of preview.rows) { body.push(columnSet(row.slice(0, MAX_COLUMNS), false)); }
    const notes: string[] = [];
    if (preview.more) { notes.push(`first ${preview.rows.length} rows shown`); }
    if (preview.columns.length > MAX_COLUMNS) { notes.push(`${preview.columns.length - MAX_COLUMNS} more columns`); }
    if (!preview.rows.length) { notes.push("no rows"); }
    if (notes.length) { body.push(textBlock(`(${notes.join("; ")})`, { isSubtle: true, size: "Small" })); }
  }
  const url = request.scheduledPlan?.url;
  const card: Record<string, unknown> = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    msteams: { width: "Full" },
    body,
  };
  if (url) { card.actions = [{ type: "Action.OpenUrl", title: "View in Looker", url }]; }
  return {
    type: "message",
    summary: input.title,
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card }],
  };
}
