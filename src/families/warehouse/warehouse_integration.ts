// What every write-back integration (PostgreSQL, BigQuery, Snowflake) shares: the declarations
// of an integration taking json_detail rows, and one way to answer: a sentence of what was
// written, or a refused row with the value for Looker and without it for the log.
import { DetailRowsIntegration } from "../../data/rows/detail_rows_integration";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { RowError } from "./warehouse_values";
import { WriteMode, writeModeField } from "./write_target";

export abstract class WarehouseIntegration extends DetailRowsIntegration {
  /** Writes the delivery; answers the sentence for Looker (see `wroteRows`). */
  protected abstract write(request: ActionRequest): Promise<string>;

  /** Looker's connection test (Admin > Actions, "Test"): signs in; answers what it reached. */
  protected connectionTest?(request: ActionRequest): Promise<string>;

  /** The connection test sends no form values: it is checked against no field. */
  async validationForm(request: ActionRequest): Promise<ActionForm> {
    return request?.isTest || !this.form ? new ActionForm() : this.form(request);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    if (request.isTest && this.connectionTest) { return ActionResponse.ok(await this.connectionTest(request)); }
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

/** The form of a warehouse whose table is typed whole: Table (described for it) and Write. */
export function tableForm(warehouse: string, tableDescription: string): ActionForm {
  return new ActionForm([{ name: "table", label: "Table", type: "string", required: true,
    description: tableDescription }, writeModeField(warehouse)]);
}

const DONE: Record<WriteMode, string> = { append: "appended", replace: "the table's rows replaced", create: "appended" };

/** "Wrote 1,204 rows to "public"."orders" in PostgreSQL (appended; the table was created)." */
export function wroteRows(rows: number, table: string, warehouse: string, mode: WriteMode, created: boolean): string {
  const count = `${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"}`;
  return `Wrote ${count} to ${table} in ${warehouse} (${DONE[mode]}${created ? "; the table was created" : ""}).`;
}
