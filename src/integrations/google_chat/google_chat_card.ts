// The Google Chat message: a cardsV2 card with a header, the text, the first rows and a button
// to the Look. Chat cards take a small HTML subset in text, so every value is escaped.
import { ActionRequest } from "../../hub/action_request";
import { RowPreview } from "../../data/rows/row_preview";

const MAX_COLUMNS = 8;
/** Chat refuses messages over 32,000 bytes; the rows stop well before. */
const MAX_ROWS_CHARS = 12_000;

export function escapeChatHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function rowsHtml(preview: RowPreview): string {
  const line = (cells: string[]) => cells.slice(0, MAX_COLUMNS).map(escapeChatHtml).join(" | ");
  const lines = [`<b>${line(preview.columns)}</b>`];
  let size = lines[0].length;
  let shown = 0;
  for (const row of preview.rows) {
    const next = line(row);
    if (size + next.length > MAX_ROWS_CHARS) { break; }
    lines.push(next);
    size += next.length;
    shown++;
  }
  const notes: string[] = [];
  if (preview.more || shown < preview.rows.length) { notes.push(`first ${shown} rows shown`); }
  if (preview.columns.length > MAX_COLUMNS) { notes.push(`${preview.columns.length - MAX_COLUMNS} more columns`); }
  if (!preview.rows.length) { notes.push("no rows"); }
  if (notes.length) { lines.push(`<i>(${notes.join("; ")})</i>`); }
  return lines.join("<br>");
}

export interface ChatCardInput {
  title: string;
  text: string;
  preview?: RowPreview;
}

export function chatMessage(request: ActionRequest, input: ChatCardInput): Record<string, unknown> {
  const sections: Array<Record<string, unknown>> = [];
  if (input.text.trim()) {
    sections.push({ widgets: [{ textParagraph: { text: escapeChatHtml(input.text).replace(/\n/g, "<br>") } }] });
  }
  if (input.preview && input.preview.columns.length) {
    sections.push({ header: "First rows", widgets: [{ textParagraph: { text: rowsHtml(input.preview) } }] });
  }
  const url = request.scheduledPlan?.url;
  if (url) {
    const button = { text: "View in Looker", onClick: { openLink: { url } } };
    sections.push({ widgets: [{ buttonList: { buttons: [button] } }] });
  }
  if (!sections.length) { sections.push({ widgets: [{ textParagraph: { text: "Sent from Looker." } }] }); }
  const planTitle = request.scheduledPlan?.title;
  const header: Record<string, string> = { title: input.title };
  if (planTitle && planTitle !== input.title) { header.subtitle = planTitle; }
  return { cardsV2: [{ cardId: "looker-delivery", card: { header, sections } }] };
}
