// Renders a small table in each of Looker's row formats, as Looker would send it: json_detail
// (fields with tags, cells as {value, rendered}), JSON rows by name or label, CSV, tab-separated
// text and an HTML table.
import type { Format } from "../hub/integration";

export interface SampleField {
  name: string;
  label: string;
  type: string;
  measure?: boolean;
  tags: string[];
}

export interface RowSample {
  title: string;
  fields: SampleField[];
  rows: Array<Array<string | number>>;
  ranAt: string;
}

function rendered(field: SampleField, value: string | number): string {
  if (typeof value !== "number") { return value; }
  if (!field.name.endsWith("revenue")) { return String(value); }
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2 })}`;
}

function fieldJson(field: SampleField, lite: boolean): Record<string, unknown> {
  const base = { name: field.name, label: field.label, tags: field.tags, hidden: false };
  if (lite) { return base; }
  const [view] = field.name.split(".");
  return {
    ...base, label_short: field.label.replace(/^\S+\s/, ""), type: field.type, view,
    category: field.measure ? "measure" : "dimension", is_numeric: field.measure || field.type === "number",
    sortable: true, can_filter: true,
  };
}

function detail(sample: RowSample, lite: boolean): string {
  const dims = sample.fields.filter((f) => !f.measure).map((f) => fieldJson(f, lite));
  const measures = sample.fields.filter((f) => f.measure).map((f) => fieldJson(f, lite));
  const data = sample.rows.map((row) => Object.fromEntries(sample.fields.map((f, i) => [
    f.name, lite ? { value: row[i] } : { value: row[i], rendered: rendered(f, row[i]) },
  ])));
  return JSON.stringify({
    fields: { dimensions: dims, measures, table_calculations: [], pivots: [] },
    ran_at: sample.ranAt,
    data,
  });
}

function delimited(sample: RowSample, separator: string): string {
  const quote = (text: string) => separator === "," && /[",\n]/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text;
  const lines = [sample.fields.map((f) => quote(f.label)).join(separator)];
  for (const row of sample.rows) { lines.push(row.map((v) => quote(String(v))).join(separator)); }
  return lines.join("\n") + "\n";
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c]!));
}

function html(sample: RowSample): string {
  const head = sample.fields.map((f) => `<th>${escapeHtml(f.label)}</th>`).join("");
  const body = sample.rows.map((row) =>
    `<tr>${row.map((v, i) => `<td>${escapeHtml(rendered(sample.fields[i], v))}</td>`).join("")}</tr>`).join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function jsonRows(sample: RowSample, key: (field: SampleField) => string): string {
  return JSON.stringify(sample.rows.map((row) => Object.fromEntries(sample.fields.map((f, i) => [key(f), row[i]]))));
}

/** The table in a row format; undefined for formats that are not rows (PDF, PNG...). */
export function renderRows(sample: RowSample, format: Format): string {
  switch (format) {
    case "json_detail": return detail(sample, false);
    case "json_detail_lite_stream": return detail(sample, true);
    case "json":
    case "inline_json":
      return jsonRows(sample, (f) => f.name);
    case "json_label":
      return jsonRows(sample, (f) => f.label);
    case "csv": return delimited(sample, ",");
    case "txt": return delimited(sample, "\t");
    case "html": return html(sample);
    default: return "";
  }
}
