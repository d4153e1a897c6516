// "Send as message": the first rows of a small query result as a table inside a Slack message
// (Block Kit), with a link to the Look, instead of a file. Only the rows shown are read.
import { Delivery } from "../../hub/delivery";
import { UserError } from "../../hub/errors";
import { Block, commentBlock, escapeMrkdwn } from "./slack_blocks";
import { csvRows, JsonDetailCell, JsonDetailFields, jsonDetailItems, jsonRows } from "../../hub/rows";

export const MESSAGE_MAX_ROWS = 20;
const MAX_COLUMNS = 8;
const MAX_CELL_CHARS = 24;
/** A section's text may hold 3,000 characters; the code fence and margin take the rest. */
const MAX_TABLE_CHARS = 2_900;

export interface Table {
  columns: string[];
  rows: string[][];
  /** True when the result had more rows (or columns) than the message shows. */
  truncated: boolean;
}

const TABLE_FORMATS = ["csv", "json", "json_label", "inline_json", "json_detail", "json_detail_lite_stream"];

function cellText(value: unknown): string {
  if (value === null || value === undefined) { return ""; }
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

function detailCellText(cell: JsonDetailCell | undefined): string {
  if (!cell) { return ""; }
  return cellText(cell.rendered ?? cell.value);
}

async function tableFromDetail(delivery: Delivery, hidden: Set<string>, maxRows: number): Promise<Table> {
  let columns: Array<{ name: string; label: string; pivotKey?: string }> = [];
  const rows: string[][] = [];
  let truncated = false;
  for await (const item of jsonDetailItems(delivery)) {
    if (item.kind === "fields") {
      columns = columnsOf(item.fields, hidden);
    } else if (item.kind === "row") {
      if (rows.length === maxRows) { truncated = true; break; }
      rows.push(columns.map((c) => {
        const cell = item.row[c.name] as Record<string, JsonDetailCell> | JsonDetailCell | undefined;
        const pivoted = cell as Record<string, JsonDetailCell> | undefined;
        return detailCellText(c.pivotKey ? pivoted?.[c.pivotKey] : cell as JsonDetailCell);
      }));
    }
  }
  return { columns: columns.map((c) => c.label), rows, truncated };
}

function columnsOf(fields: JsonDetailFields, hidden: Set<string>) {
  const label = (f: { name: string; label_short?: string; label?: string }) => f.label_short || f.label || f.name;
  const pivots = fields.pivots ?? [];
  const out: Array<{ name: string; label: string; pivotKey?: string }> = [];
  for (const d of fields.dimensions ?? []) {
    if (!hidden.has(d.name)) { out.push({ name: d.name, label: label(d) }); }
  }
  for (const m of [...(fields.measures ?? []), ...(fields.table_calculations ?? [])]) {
    if (hidden.has(m.name)) { continue; }
    if (pivots.length && fields.measures?.includes(m)) {
      for (const p of pivots) { out.push({ name: m.name, label: `${label(m)} ${p.key}`, pivotKey: p.key }); }
    } else {
      out.push({ name: m.name, label: label(m) });
    }
  }
  return out;
}

async function tableFromObjects(rowsOf: AsyncGenerator<Record<string, unknown>>, hidden: Set<string>,
                                maxRows: number): Promise<Table> {
  let columns: string[] | undefined;
  const rows: string[][] = [];
  let truncated = false;
  for await (const row of rowsOf) {
    columns = columns ?? Object.keys(row).filter((k) => !hidden.has(k));
    if (rows.length === maxRows) { truncated = true; break; }
    rows.push(columns.map((c) => cellText(row[c])));
  }
  return { columns: columns ?? [], rows, truncated };
}

/** Reads at most `maxRows` rows of a tabular delivery, leaving out the fields the user hid. */
export async function readTable(delivery: Delivery, format: string | undefined, hiddenFields: string[],
                                maxRows = MESSAGE_MAX_ROWS): Promise<Table> {
  const hidden = new Set(hiddenFields);
  if (!format || !TABLE_FORMATS.includes(format)) {
    throw new UserError(`"Send As: Message" shows a table, which needs the CSV or a JSON format; this delivery is ` +
      `${format ?? "of unknown format"}. Choose CSV or JSON, or send a file instead.`,
      { send_as: "Needs CSV or JSON." });
  }
  if (format === "json_detail" || format === "json_detail_lite_stream") {
    return tableFromDetail(delivery, hidden, maxRows);
  }
  return tableFromObjects(format === "csv" ? csvRows(delivery) : jsonRows(delivery), hidden, maxRows);
}

function fit(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}

/** The table as monospaced mrkdwn-escaped text, as many rows as fit in one section. */
export function tableText(table: Table): { text: string; rowsShown: number } {
  const columns = table.columns.slice(0, MAX_COLUMNS);
  const widths = columns.map((c, i) =>
    Math.min(MAX_CELL_CHARS, Math.max(c.length, ...table.rows.map((r) => (r[i] ?? "").length), 1)));
  const line = (cells: string[]) => columns.map((_, i) => fit(cells[i] ?? "", widths[i])).join("  ").trimEnd();
  // Padding is measured on the text people see; the limit on the escaped text Slack counts.
  const lines = [escapeMrkdwn(line(columns)), widths.map((w) => "-".repeat(w)).join("  ")];
  let length = lines.join("\n").length;
  let rowsShown = 0;
  for (const row of table.rows) {
    const next = escapeMrkdwn(line(row));
    if (length + next.length + 1 > MAX_TABLE_CHARS) { break; }
    lines.push(next);
    length += next.length + 1;
    rowsShown++;
  }
  return { text: lines.join("\n"), rowsShown };
}

export interface TableMessage {
  text: string;
  blocks: Block[];
  rowsShown: number;
}

/** The Block Kit message: title, comment, the table, and a line saying what was left out. */
export function tableMessage(title: string, table: Table, lookUrl?: string, comment?: string): TableMessage {
  const { text, rowsShown } = tableText(table);
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: title.slice(0, 150), emoji: false } },
  ];
  if (comment) { blocks.push(commentBlock(comment)); }
  blocks.push({
    type: "section",
    text: { type: "mrkdwn", text: rowsShown || table.columns.length ? "```" + text + "```" : "_No rows._" },
  });
  const more = table.truncated || rowsShown < table.rows.length || table.columns.length > MAX_COLUMNS;
  const notes = [more ? `First ${rowsShown} rows shown.` : `${rowsShown} row${rowsShown === 1 ? "" : "s"}.`];
  if (lookUrl && /^https?:\/\//i.test(lookUrl)) { notes.push(`<${lookUrl}|Open in Looker>`); }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: notes.join("  ") }] });
  const fallback = `${title}: ${more ? `first ${rowsShown} rows` : `${rowsShown} rows`}${lookUrl ? ` ${lookUrl}` : ""}`;
  return { text: comment ? `${comment}\n${fallback}` : fallback, blocks, rowsShown };
}
