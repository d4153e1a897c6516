// Row readers over a delivery, whichever way it came. Integrations iterate rows and never
// parse formats themselves.
// NOTE: this first version reads the delivery whole; the streaming issue replaces the
// bodies with constant-memory parsers and keeps these signatures.
import { Delivery } from "./delivery";

export interface JsonDetailField {
  name: string;
  label?: string;
  label_short?: string;
  tags?: string[];
  type?: string;
  hidden?: boolean;
  [key: string]: unknown;
}

export interface JsonDetailFields {
  dimensions?: JsonDetailField[];
  measures?: JsonDetailField[];
  table_calculations?: JsonDetailField[];
  pivots?: Array<{ key: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface JsonDetailCell {
  value: unknown;
  rendered?: string;
  html?: string;
  links?: unknown[];
  [key: string]: unknown;
}

/** A row: field name to a cell, or, for a pivoted measure, pivot key to a cell. */
export type JsonDetailRow = Record<string, JsonDetailCell | Record<string, JsonDetailCell>>;

/** json_detail and json_detail_lite_stream arrive in this order: fields, rows, ran_at. */
export type JsonDetailItem =
  | { kind: "fields"; fields: JsonDetailFields }
  | { kind: "row"; row: JsonDetailRow }
  | { kind: "ran_at"; ranAt: string };

async function readAll(delivery: Delivery): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await delivery.stream()) { chunks.push(chunk as Buffer); }
  return Buffer.concat(chunks).toString("utf8");
}

/** CSV rows as objects keyed by the header row (csv format). */
export async function* csvRows(delivery: Delivery): AsyncGenerator<Record<string, string>> {
  const lines = (await readAll(delivery)).split(/\r?\n/).filter((l) => l !== "");
  const header = (lines.shift() ?? "").split(",");
  for (const line of lines) {
    const cells = line.split(",");
    yield Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  }
}

/** Rows of an array of objects (json, json_label, inline_json). */
export async function* jsonRows(delivery: Delivery): AsyncGenerator<Record<string, unknown>> {
  const parsed = JSON.parse(await readAll(delivery));
  for (const row of Array.isArray(parsed) ? parsed : []) { yield row; }
}

/** The parts of a json_detail or json_detail_lite_stream delivery: fields, each row, ran_at. */
export async function* jsonDetailItems(delivery: Delivery): AsyncGenerator<JsonDetailItem> {
  const parsed = JSON.parse(await readAll(delivery));
  yield { kind: "fields", fields: parsed.fields ?? {} };
  for (const row of parsed.data ?? []) { yield { kind: "row", row }; }
  if (parsed.ran_at) { yield { kind: "ran_at", ranAt: parsed.ran_at }; }
}
