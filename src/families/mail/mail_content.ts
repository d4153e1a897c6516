// The body of a delivery email, as HTML and as the plain-text alternative: what the report is
// (title, a link to the Look or dashboard, when it ran, filters that differ from the Look's),
// the sender's message, the first rows as a table, and the file: attached, or a link that
// expires. A cell action's email carries the clicked value. Every value is escaped.
import { formatBytes, scheduleTimezone } from "../../data/files/file_naming";
import { RowPreview } from "../../data/rows/row_preview";
import { ActionRequest } from "../../hub/action_request";
import { MailFile } from "./mail_file";

export interface MailContentInput {
  /** The form's `message`, several lines allowed. */
  message?: string;
  preview?: RowPreview;
  file: MailFile;
  now?: Date;
}

export interface MailContent {
  text: string;
  html: string;
}

const MAX_COLUMNS = 12;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Only web links become links; anything else Looker might send stays text. */
function webUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\/[^\s"'<>]+$/i.test(url) ? url : undefined;
}

function when(now: Date, timeZone: string | undefined): string {
  const zone = timeZone ?? "UTC";
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23",
  }).format(now);
  return `${text} (${zone})`;
}

/** `orders.status: complete` lines for filters that differ from the saved Look. */
function changedFilters(request: ActionRequest): string[] {
  const plan = request.scheduledPlan;
  const filters = plan?.query?.filters;
  if (!plan?.filtersDifferFromLook || !filters || typeof filters !== "object") { return []; }
  return Object.entries(filters as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && String(v) !== "")
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
}

function facts(request: ActionRequest, now: Date): Array<[string, string]> {
  const plan = request.scheduledPlan;
  const out: Array<[string, string]> = [];
  if (request.type === "cell") {
    const rendered = request.cellRendered ?? "";
    const value = request.cellValue ?? "";
    out.push(["Value", rendered && rendered !== value ? `${rendered} (${value})` : value || rendered]);
  }
  if (plan?.type) { out.push(["Type", plan.type]); }
  out.push(["Run at", when(now, scheduleTimezone(request))]);
  const filters = changedFilters(request);
  if (filters.length) { out.push(["Filters (changed from the Look)", filters.join("; ")]); }
  return out;
}

function fileLine(file: MailFile): string | undefined {
  if (file.kind === "attached") { return `Attached: ${file.name} (${formatBytes(file.size)}).`; }
  if (file.kind === "linked") {
    return `${file.name} (${formatBytes(file.size)}) is too big to attach. Download it from the link below; ` +
      `it works until ${when(file.expiresAt, undefined)}.`;
  }
  return undefined;
}

function previewText(preview: RowPreview): string[] {
  const cols = preview.columns.slice(0, MAX_COLUMNS);
  const lines = [cols.join(" | ")];
  for (const row of preview.rows) { lines.push(row.slice(0, MAX_COLUMNS).join(" | ")); }
  const note = previewNote(preview);
  if (note) { lines.push(note); }
  return lines;
}

function previewNote(preview: RowPreview): string | undefined {
  const notes: string[] = [];
  if (preview.more) { notes.push(`first ${preview.rows.length} rows shown`); }
  if (preview.columns.length > MAX_COLUMNS) { notes.push(`${preview.columns.length - MAX_COLUMNS} more columns`); }
  if (!preview.rows.length) { notes.push("no rows"); }
  return notes.length ? `(${notes.join("; ")})` : undefined;
}

function previewHtml(preview: RowPreview): string {
  const cell = (tag: string, text: string) =>
    `<${tag} style="border:1px solid #ddd;padding:4px 8px;text-align:left">${escapeHtml(text)}</${tag}>`;
  const cols = preview.columns.slice(0, MAX_COLUMNS);
  const head = `<tr>${cols.map((c) => cell("th", c)).join("")}</tr>`;
  const rows = preview.rows.map((r) => `<tr>${r.slice(0, MAX_COLUMNS).map((c) => cell("td", c)).join("")}</tr>`);
  const note = previewNote(preview);
  return `<table style="border-collapse:collapse;font-size:13px">${head}${rows.join("")}</table>` +
    (note ? `<p style="color:#666;font-size:12px">${escapeHtml(note)}</p>` : "");
}

/** The HTML and plain-text bodies of the email. */
export function mailContent(request: ActionRequest, input: MailContentInput): MailContent {
  const now = input.now ?? new Date();
  const title = request.type === "cell" ? "A value from Looker" : request.suggestedTitle();
  const url = webUrl(request.scheduledPlan?.url);
  const message = (input.message ?? "").replace(/\r\n?/g, "\n").trim();
  const factList = facts(request, now);
  const file = fileLine(input.file);
  const link = input.file.kind === "linked" ? input.file.url : undefined;
  const preview = input.preview && input.preview.columns.length ? input.preview : undefined;
  const noData = request.type !== "cell" && input.file.kind === "none";

  const text: string[] = [title, ""];
  if (message) { text.push(message, ""); }
  for (const [k, v] of factList) { text.push(`${k}: ${v}`); }
  if (url) { text.push(`View in Looker: ${url}`); }
  text.push("");
  if (noData) { text.push("There were no results to send.", ""); }
  if (file) { text.push(file); }
  if (link) { text.push(link); }
  if (file || link) { text.push(""); }
  if (preview) { text.push(...previewText(preview), ""); }

  const p = (s: string, style = "") => `<p${style ? ` style="${style}"` : ""}>${s}</p>`;
  const html: string[] = [`<h2 style="font-size:18px">${escapeHtml(title)}</h2>`];
  if (message) { html.push(p(escapeHtml(message).replace(/\n/g, "<br>"))); }
  html.push(`<table style="font-size:13px">${factList.map(([k, v]) =>
    `<tr><td style="color:#666;padding-right:12px">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`);
  if (url) { html.push(p(`<a href="${escapeHtml(url)}">View in Looker</a>`)); }
  if (noData) { html.push(p("There were no results to send.")); }
  if (file) { html.push(p(escapeHtml(file))); }
  if (link) { html.push(p(`<a href="${escapeHtml(link)}">Download ${escapeHtml(input.file.kind === "linked" ? input.file.name : "")}</a>`)); }
  if (preview) { html.push(previewHtml(preview)); }
  return {
    text: text.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n",
    html: `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif">${html.join("\n")}</body></html>`,
  };
}
