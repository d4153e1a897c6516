// What every write-back integration (PostgreSQL, BigQuery, Snowflake) shares: the declarations
// of an integration taking json_detail rows, and one way to answer: a sentence of what was
// written, or a refused row with the value for Looker and without it for the log.
import { DetailRowsIntegration } from "../../data/rows/detail_rows_integration";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { RowError } from "./warehouse_values";
import type { WriteMode } from "./write_target";

export abstract class WarehouseIntegration extends DetailRowsIntegration {
  /** Writes the delivery; answers the sentence for Looker (see `wroteRows`). */
  protected abstract write(request: ActionRequest): Promise<string>;

  async execute(request: ActionRequest): Promise<ActionResponse> {
    try {
      return ActionResponse.ok(await this.write(request));
    } catch (err) {
      if (!(err instanceof RowError)) { throw err; }
      const failure = ActionResponse.failure(err.message);
      failure.logMessage = err.logMessage;
      return failure;
    }
  }
}

const DONE: Record<WriteMode, string> = { append: "appended", replace: "the table's rows replaced", create: "appended" };

/** "Wrote 1,204 rows to "public"."orders" in PostgreSQL (appended; the table was created)." */
export function wroteRows(rows: number, table: string, warehouse: string, mode: WriteMode, created: boolean): string {
  const count = `${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"}`;
  return `Wrote ${count} to ${table} in ${warehouse} (${DONE[mode]}${created ? "; the table was created" : ""}).`;
}
