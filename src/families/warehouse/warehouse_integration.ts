// What every write-back integration (PostgreSQL, BigQuery, Snowflake) shares: the declarations
// of an integration taking json_detail rows, and one way to answer: a sentence of what was
// written, or a refused row with the value for Looker and without it for the log.
import { DetailRowsIntegration } from "../../data/rows/detail_rows_integration";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { DryRunWriteError, masked } from "../../lib/dry_run";
import { ColumnNaming, WarehouseColumn } from "./warehouse_columns";
import { warehouseRows } from "./warehouse_rows";
import { RowError } from "./warehouse_values";
import { WriteMode, writeMode, writeModeField } from "./write_target";
import { UserError } from "../../lib/errors";
import { groupDigits } from "../../lib/digits";

/** What a warehouse's dry run checks (docs/dry_run.md). */
export const WAREHOUSE_DRY_RUN_CHECKS = "the sign-in (as Looker's connection test does it), the form's table and " +
  "write mode (that the table exists for Append, and has every column the rows fill for Append and Create, read " +
  "without writing), and every row's values against the columns they would fill (a value that does not fit is named " +
  "with its row and column, as a delivery would name it); nothing is written";

export abstract class WarehouseIntegration extends DetailRowsIntegration {
  /** Writes the delivery; answers the sentence for Looker (see `wroteRows`). */
  protected abstract write(request: ActionRequest): Promise<string>;

  /** How the warehouse names its columns (the same naming `write` uses). */
  protected abstract naming(request: ActionRequest): ColumnNaming;

  readonly dryRunChecks: string = WAREHOUSE_DRY_RUN_CHECKS;

  /** Signs in, finds the table, then reads every row into the columns' values as `write` would, writing nothing. */
  async dryRun(request: ActionRequest): Promise<ActionResponse> {
    let signedIn = "the sign-in was not tried (it goes through a call the dry run cannot tell from a write)";
    if (this.connectionTest) {
      try {
        signedIn = await this.connectionTest(request);
      } catch (err) {
        if (!(err instanceof DryRunWriteError)) { throw err; }
      }
    }
    const rows = await warehouseRows(request, this.naming(request));
    let first: unknown[] | undefined;
    let table: string;
    try {
      table = tableOutcome(this.label, writeMode(request), await this.findTable(request), rows.columns);
      for await (const batch of rows.batches) { first = first ?? batch[0]; }
    } catch (err) {
      if (!(err instanceof RowError)) { throw err; }
      const failure = ActionResponse.failure(`Dry run: ${err.message}`);
      failure.logMessage = `Dry run: ${err.logMessage}`;
      return failure;
    } finally {
      await rows.close();
    }
    const record = first === undefined ? undefined
      : masked(Object.fromEntries(rows.columns.map((column, i) => [column.name, first![i]])));
    const columns = rows.columns.map((column) => `${column.name} ${column.type}`).join(", ");
    return ActionResponse.dryRun(`Dry run, nothing was written to ${this.label}: ${signedIn.replace(/\.$/, "")}; ` +
      `${table}; ${groupDigits(rows.count)} rows read, every value fits its column (${columns}).` +
      `${record ? ` First row (values masked): ${JSON.stringify(record)}.` : ""} Checked: ${this.dryRunChecks}.`,
    { integration: this.name, checked: this.dryRunChecks, format: request.format, rows: rows.count,
      would_send: rows.count, would_reject: 0, first_record: record });
  }

  /**
   * The form's table as the warehouse knows it, read without writing (PostgreSQL's catalog in a
   * read-only transaction, BigQuery's tables.get, Snowflake's DESCRIBE TABLE): for the dry run.
   */
  protected abstract findTable(request: ActionRequest): Promise<FoundTable>;

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

/** The form's table as a dry run finds it. */
export interface FoundTable {
  /** The table's name as the warehouse names it (quoted, qualified). */
  name: string;
  exists: boolean;
  /** Its columns' names, when it exists. */
  columns?: string[];
  /** The warehouse compares column names without case (BigQuery). */
  ignoreCase?: boolean;
}

/**
 * What the dry run says of the table, or the refusal a delivery would meet: Append needs the table,
 * and Append or Create needs every column the rows fill (Replace makes the table anew).
 */
export function tableOutcome(warehouse: string, mode: WriteMode, found: FoundTable,
                             columns: WarehouseColumn[]): string {
  if (!found.exists) {
    if (mode === "append") {
      throw new UserError(`Dry run: ${warehouse} has no table ${found.name} (or the login cannot see it), so a delivery ` +
        "with Write: Append would be refused. Create it, or pick \"Create if missing\" or \"Replace\" in the form's Write.",
      { table: "No such table." });
    }
    return `the table ${found.name} does not exist yet: a delivery would create it`;
  }
  const fold = (name: string) => found.ignoreCase ? name.toLowerCase() : name;
  const has = new Set((found.columns ?? []).map(fold));
  const missing = mode === "replace" || !found.columns ? [] : columns.filter((c) => !has.has(fold(c.name)));
  if (missing.length) {
    const names = missing.slice(0, 10).map((c) => `"${c.name}"`).join(", ");
    throw new UserError(`Dry run: the table ${found.name} in ${warehouse} has no column${missing.length === 1 ? "" : "s"} ` +
      `${names}${missing.length > 10 ? ` and ${missing.length - 10} more` : ""}, which the delivery would fill, so it ` +
      "would be refused. Add the columns, or pick \"Replace\" in the form's Write to make the table anew.",
    { table: "Columns missing." });
  }
  return `the table ${found.name} exists${mode === "replace" ? " (Replace makes it anew)" : " with every column the rows fill"}`;
}

/** The form of a warehouse whose table is typed whole: Table (described for it) and Write. */
export function tableForm(warehouse: string, tableDescription: string): ActionForm {
  return new ActionForm([{ name: "table", label: "Table", type: "string", required: true,
    description: tableDescription }, writeModeField(warehouse)]);
}

const DONE: Record<WriteMode, string> = { append: "appended", replace: "the table's rows replaced", create: "appended" };

/** "Wrote 1,204 rows to "public"."orders" in PostgreSQL (appended; the table was created)." */
export function wroteRows(rows: number, table: string, warehouse: string, mode: WriteMode, created: boolean): string {
  const count = `${groupDigits(rows)} row${rows === 1 ? "" : "s"}`;
  return `Wrote ${count} to ${table} in ${warehouse} (${DONE[mode]}${created ? "; the table was created" : ""}).`;
}
