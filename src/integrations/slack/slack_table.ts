// "Send as message": the first rows of a small query result as a table inside a Slack message
// (Block Kit), with a link to the Look, instead of a file. Only the rows shown are read.
import { Delivery } from "../../hub/delivery";
import { UserError } from "../../lib/errors";
import { readPreview } from "../../data/rows/row_preview";
import { Block, commentBlock, escapeMrkdwn } from "./slack_blocks";

export const MESSAGE_MAX_ROWS = 20;
const MAX_COLUMNS = 8;
/** Widest column, in characters (cells arrive already cut to the preview's limit). */
const MAX_CELL_CHARS = 24;
/** A section's text may hold 3,000 characters; the code fence and margin take the rest. */
const MAX_TABLE_CHARS = 2_900;

export interface Table {
  columns: string[];
  rows: string[][];
  /** True when the result had more rows (or columns) than the message shows. */
  truncated: boolean;
}

/** Reads at most `maxRows` rows of a tabular delivery, leaving out the fields the user hid. */
export async function readTable(delivery: Delivery, format: string | undefined, hiddenFields: string[],
                                maxRows = MESSAGE_MAX_ROWS): Promise<Table> {
  const preview = await readPreview(delivery, format, hiddenFields, maxRows);
  if (!preview) {
    throw new UserError(`"Send As: Message" shows a table, which needs the CSV or a JSON format; this delivery is ` +
      `${format ?? "of unknown format"}. Choose CSV or JSON, or send a file instead.`,
      { send_as: "Needs CSV or JSON." });
  }
  return { columns: preview.columns, rows: preview.rows, truncated: preview.more };
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
