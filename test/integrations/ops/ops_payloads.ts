// Looker requests for the operations family: the shared cell fixture with an integration's
// params, and json_detail pushes whose one dimension carries a tag.
import * as fs from "fs";
import * as path from "path";
import { Payload, PLAN } from "../../helpers/execute";

const CELL_FIXTURE = path.join(__dirname, "../../fixtures/looker_requests/cell.json");

/** The cell request exactly as Looker sends it (fixture), with this integration's params and form. */
export function cellPayload(params: Record<string, string>, formParams: Record<string, string> = {},
  value?: string, rendered?: string): Payload {
  const body = JSON.parse(fs.readFileSync(CELL_FIXTURE, "utf8")).body;
  const data: Record<string, unknown> = { value: body.data.value, rendered: body.data.rendered, ...params };
  if (value !== undefined) { data.value = value; data.rendered = rendered ?? value; }
  return { ...body, data, form_params: formParams };
}

export const CELL_VALUE = "acme-corp-1042";

export interface DetailOptions {
  tag: string;
  /** One row per value; `null` makes an empty cell. */
  values: Array<string | number | null>;
  /** A measure beside the tagged dimension. */
  measure?: boolean;
  /** Send the JSON inline instead of as a string. */
  inline?: boolean;
}

export function jsonDetail(options: DetailOptions): Record<string, unknown> {
  const dims = [{ name: "targets.id", label: "Targets ID", label_short: "ID", tags: [options.tag], type: "string" },
    { name: "targets.name", label: "Targets Name", label_short: "Name", tags: [], type: "string" }];
  const measures = options.measure
    ? [{ name: "targets.cost", label: "Targets Cost", label_short: "Cost", tags: [], type: "sum" }] : [];
  return {
    fields: { dimensions: dims, measures, table_calculations: [], pivots: [] },
    ran_at: "2026-11-30T08:00:00+00:00",
    data: options.values.map((v, i) => {
      const row: Record<string, unknown> = {
        "targets.id": { value: v, rendered: v === null ? null : String(v) },
        "targets.name": { value: `name ${i + 1}` },
      };
      if (options.measure) { row["targets.cost"] = { value: 100 + i, rendered: `$${100 + i}.00` }; }
      return row;
    }),
  };
}

export function queryPayload(params: Record<string, string>, formParams: Record<string, string>,
  options: DetailOptions, plan: Record<string, unknown> = PLAN): Payload {
  const doc = jsonDetail(options);
  return {
    type: "query", scheduled_plan: plan, form_params: formParams, data: params,
    attachment: { mimetype: "application/json", extension: "json", data: options.inline ? doc : JSON.stringify(doc) },
  };
}
