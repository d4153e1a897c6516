// The console's built-in data, so a delivery can be tried without a Looker: a query result
// with LookML tags on its fields (rendered in every row format Looker sends: json_detail,
// CSV, JSON, text...) and a dashboard as a small PDF and PNG.
import * as fs from "fs";
import * as path from "path";
import type { ActionType } from "../hub/action_request";
import type { Format } from "../hub/integration";
import { renderRows, RowSample } from "./sample_rows";

export interface Sample {
  id: string;
  label: string;
  /** The action type the sample stands for (a cell takes a value instead). */
  type: ActionType;
  formats: Format[];
  /** Fields with their default LookML tags (query samples only). */
  fields?: Array<{ name: string; label: string; tags: string[] }>;
}

const USERS: RowSample = {
  title: "Users and their orders",
  fields: [
    { name: "users.id", label: "Users ID", type: "number", tags: ["user_id"] },
    { name: "users.email", label: "Users Email", type: "string", tags: ["email"] },
    { name: "users.name", label: "Users Name", type: "string", tags: [] },
    { name: "users.phone", label: "Users Phone", type: "string", tags: ["phone"] },
    { name: "users.company_id", label: "Users Company ID", type: "string", tags: ["segment_group_id"] },
    { name: "orders.count", label: "Orders Count", type: "count", measure: true, tags: [] },
    { name: "orders.total_revenue", label: "Orders Total Revenue", type: "sum", measure: true, tags: [] },
  ],
  rows: [
    [1042, "ada@example.com", "Ada Lovelace", "+44 20 7946 0018", "acme", 12, 1204.5],
    [1043, "grace@example.com", "Grace Hopper", "+1 212 555 0143", "acme", 7, 980],
    [1044, "alan@example.com", "Alan Turing", "+44 161 496 0321", "initech", 3, 315.25],
    [1045, "katherine@example.com", "Katherine Johnson", "+1 757 555 0199", "globex", 21, 2310.75],
    [1046, "edsger@example.com", "Edsger Dijkstra", "+31 20 555 0101", "initech", 1, 42],
  ],
  ranAt: "2026-11-30T09:00:00+00:00",
};

export const ROW_FORMATS: Format[] = [
  "json_detail", "json_detail_lite_stream", "csv", "json", "json_label", "inline_json", "txt", "html",
];

export const SAMPLES: readonly Sample[] = [
  {
    id: "users", label: "Query: 5 users and their orders (tagged fields)", type: "query", formats: ROW_FORMATS,
    fields: USERS.fields.map((f) => ({ name: f.name, label: f.label, tags: f.tags })),
  },
  {
    id: "dashboard_pdf", label: "Dashboard: a one-page PDF", type: "dashboard",
    formats: ["wysiwyg_pdf", "assembled_pdf"],
  },
  { id: "dashboard_png", label: "Dashboard: a PNG image", type: "dashboard", formats: ["wysiwyg_png"] },
];

function sampleFile(name: string): Buffer {
  const here = path.join(__dirname, "samples", name);
  // Compiled code runs from dist/src/...; the files stay in src/...
  const compiled = `${path.sep}dist${path.sep}src${path.sep}`;
  return fs.readFileSync(fs.existsSync(here) ? here : here.replace(compiled, `${path.sep}src${path.sep}`));
}

/** The sample of that id, or undefined. */
export function sampleById(id: string): Sample | undefined {
  return SAMPLES.find((s) => s.id === id);
}

/** A sample's bytes in one of its formats; `tags` replaces the default tags by field name. */
export function sampleBytes(id: string, format: string, tags: Record<string, string[]> = {}): Buffer | undefined {
  const sample = sampleById(id);
  if (!sample || !sample.formats.includes(format as Format)) { return undefined; }
  if (id === "dashboard_pdf") { return sampleFile("dashboard.pdf"); }
  if (id === "dashboard_png") { return sampleFile("dashboard.png"); }
  const fields = USERS.fields.map((f) => ({ ...f, tags: tags[f.name] ?? f.tags }));
  return Buffer.from(renderRows({ ...USERS, fields }, format as Format));
}

/** The title a scheduled plan of this sample carries. */
export function sampleTitle(id: string): string {
  return id === "users" ? USERS.title : "Sample dashboard";
}

/** The field names a query of this sample selects. */
export function sampleFieldNames(id: string): string[] {
  return id === "users" ? USERS.fields.map((f) => f.name) : [];
}
