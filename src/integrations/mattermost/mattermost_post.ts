// The Mattermost post a delivery becomes: a heading, the user's message, a Markdown table of the
// first rows (Mattermost renders GitHub-style tables), a note of what was left out and a link
// back to Looker, all within Mattermost's 16,383 characters a post.
import { RowPreview } from "../../data/rows/row_preview";

/** Mattermost's largest post (MaxPostSize since 5.0), in characters. */
export const MAX_POST = 16_383;
const MAX_COLUMNS = 12;

/** A cell's text for a Markdown table: pipes escaped, line breaks and Markdown emphasis made harmless. */
function tableCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ").trim();
}

export interface PostInput {
  title: string;
  message: string;
  preview?: RowPreview;
  link?: string;
}

/** The post's text: every part that fits, the table cut to whole rows. */
export function postText(input: PostInput): string {
  const head = [`#### ${input.title.replace(/[\r\n]+/g, " ")}`];
  if (input.message) { head.push(input.message); }
  const tail = input.link ? [`[Open in Looker](${input.link})`] : [];
  const preview = input.preview;
  if (!preview || !preview.columns.length) {
    return [...head, ...tail].join("\n\n").slice(0, MAX_POST);
  }
  const columns = preview.columns.slice(0, MAX_COLUMNS);
  const line = (cells: string[]) => `| ${columns.map((_c, i) => tableCell(cells[i] ?? "")).join(" | ")} |`;
  const table = [line(columns), `|${columns.map(() => " --- ").join("|")}|`];
  // Room for the head, the tail, the note and the blank lines between them.
  let room = MAX_POST - [...head, ...tail].join("\n\n").length - table.join("\n").length - 120;
  let shown = 0;
  for (const row of preview.rows) {
    const next = line(row);
    if (next.length + 1 > room) { break; }
    table.push(next);
    room -= next.length + 1;
    shown++;
  }
  const notes: string[] = [];
  if (!preview.rows.length) { notes.push("no rows"); }
  else if (preview.more || shown < preview.rows.length) { notes.push(`the first ${shown} rows`); }
  if (preview.columns.length > MAX_COLUMNS) {
    notes.push(`${preview.columns.length - MAX_COLUMNS} more columns not shown`);
  }
  const note = notes.length ? [`_${notes.join("; ")}_`] : [];
  return [...head, table.join("\n"), ...note, ...tail].join("\n\n");
}
