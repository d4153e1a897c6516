// The dry run of an integration that has none of its own (docs/dry_run.md): the data Looker sent
// is read to its end, as the integration would read it, and reported (bytes, rows, the first row
// with its values masked); nothing goes to the vendor.
import type { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import type { Delivery } from "../../hub/delivery";
import { MeteredDelivery } from "../delivery/delivery_meter";
import type { Integration } from "../../hub/integration";
import { masked } from "../../lib/dry_run";
import { cellValue } from "./detail_fields";
import { csvRows, jsonDetailItems, jsonRows } from "./rows";
import { formatCount } from "./row_tally";

async function readRows(delivery: Delivery, format: string): Promise<{ rows: number; first?: unknown } | undefined> {
  let rows = 0;
  let first: unknown;
  const take = (row: unknown) => { if (rows++ === 0) { first = row; } };
  if (format === "csv") {
    for await (const row of csvRows(delivery)) { take(row); }
  } else if (["json", "json_label", "inline_json"].includes(format)) {
    for await (const row of jsonRows(delivery)) { take(row); }
  } else if (["json_detail", "json_detail_lite_stream"].includes(format)) {
    for await (const item of jsonDetailItems(delivery)) {
      if (item.kind === "row") {
        take(Object.fromEntries(Object.entries(item.row).map(([name, cell]) => [name, cellValue(cell)])));
      }
    }
  } else {
    return undefined;
  }
  return { rows, first };
}


/**
 * Reads the request's data and answers what the integration would have been sent; `tried`, what
 * its preflight found (Integration.dryRunPreflight), starts the sentence.
 */
export async function genericDryRun(integration: Integration, request: ActionRequest, tried?: string)
    : Promise<ActionResponse> {
  const checked = integration.dryRunChecks;
  const head = `Dry run, nothing was sent to ${integration.label}${tried ? `: ${tried.replace(/\.$/, "")};` : ":"}`;
  if (request.type === "cell") {
    const value = request.cellValue ?? "";
    return ActionResponse.dryRun(`${head} it would get the clicked value (${formatCount(value.length)} characters). ` +
      `Checked: ${checked}.`, { integration: integration.name, checked, first_record: masked(value) });
  }
  if (!request.delivery) {
    return ActionResponse.dryRun(`${head} Looker sent no data, and it would be told so. Checked: ${checked}.`,
      { integration: integration.name, checked, bytes: 0, rows: 0 });
  }
  const delivery = new MeteredDelivery(request.delivery);
  const format = request.format ?? "unknown";
  const read = await readRows(delivery, format);
  if (!read) {
    const source = await delivery.stream();
    for await (const chunk of source) { void chunk; }
  }
  const report = { integration: integration.name, checked, format, bytes: delivery.bytes, rows: read?.rows,
    first_record: read?.first === undefined ? undefined : masked(read.first) };
  const rows = read ? `, ${formatCount(read.rows)} rows` : "";
  const first = report.first_record === undefined ? "" : ` First row (values masked): ${JSON.stringify(report.first_record)}.`;
  return ActionResponse.dryRun(`${head} it would get Looker's ${format} data, ${formatCount(delivery.bytes)} bytes${rows}.` +
    `${first} Checked: ${checked}.`, report);
}
