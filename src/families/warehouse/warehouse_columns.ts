// The write-back family's schema: each visible field of a json_detail delivery becomes one
// column, typed from its Looker type (LookML dimension and measure types, `is_numeric` for
// table calculations), named from the field name so a renamed label never moves data to
// another column. Each warehouse turns these neutral types into its own column types.
import { allFields, hiddenFields } from "../../data/rows/detail_fields";
import type { JsonDetailField, JsonDetailFields } from "../../data/rows/rows";
import type { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";

/** The column types every warehouse of the family maps to its own. */
export type ColumnType = "integer" | "number" | "boolean" | "date" | "timestamp" | "string";

export interface WarehouseColumn {
  /** The Looker field the column is filled from (`orders.created_date`). */
  field: string;
  /** The column's name in the warehouse, before quoting (`orders_created_date`). */
  name: string;
  /** What people read in messages: the field's label, else its name. */
  label: string;
  type: ColumnType;
}

const BOOLEAN_TYPES = new Set(["yesno"]);
const DATE_TYPES = new Set(["date_date", "date_week"]);
const TIMESTAMP_TYPES = new Set(["date_time", "date_raw", "date_second", "date_minute", "date_hour",
  "date_millisecond", "date_microsecond", "date_minute15", "date_minute30"]);
const INTEGER_TYPES = new Set(["count", "count_distinct", "date_year", "date_month_num", "date_day_of_month",
  "date_day_of_year", "date_hour_of_day", "date_week_of_year", "date_quarter_of_year", "date_fiscal_year",
  "date_fiscal_month_num", "date_fiscal_quarter_of_year", "date_day_of_week_index"]);
const NUMBER_TYPES = new Set(["number", "sum", "sum_distinct", "average", "average_distinct", "median",
  "median_distinct", "percentile", "percentile_distinct", "running_total", "percent_of_total",
  "percent_of_previous", "distance"]);

/** The column type of a field: its LookML type first, `is_numeric` for the rest, else text. */
export function columnType(field: JsonDetailField): ColumnType {
  const type = typeof field.type === "string" ? field.type : "";
  if (BOOLEAN_TYPES.has(type)) { return "boolean"; }
  if (DATE_TYPES.has(type)) { return "date"; }
  if (TIMESTAMP_TYPES.has(type)) { return "timestamp"; }
  if (INTEGER_TYPES.has(type)) { return "integer"; }
  if (NUMBER_TYPES.has(type) || type.startsWith("duration_")) { return "number"; }
  // Other date parts (a month "2017-07", a quarter "2017-Q3", a weekday) are text as Looker writes them.
  if (type.startsWith("date_")) { return "string"; }
  if (field.is_numeric === true) { return "number"; }
  return "string";
}

export interface ColumnNaming {
  /** The warehouse's name for a field name; the default replaces the dots with underscores. */
  name?(field: string): string;
  /** The longest name the warehouse takes, in UTF-8 bytes. */
  maxBytes: number;
  /** The warehouse, in messages ("PostgreSQL"). */
  warehouse: string;
}

export function defaultColumnName(field: string): string {
  return field.replace(/\./g, "_");
}

/**
 * The columns of a delivery, one per visible field in Looker's order. Refuses (before anything is
 * written) a delivery without fields, a pivoted one, and names the warehouse cannot hold apart.
 */
export function warehouseColumns(
  fields: JsonDetailFields, request: ActionRequest, naming: ColumnNaming,
): WarehouseColumn[] {
  if (Array.isArray(fields.pivots) && fields.pivots.length) {
    throw new UserError(`This query is pivoted, and a pivot's columns change from one run to the next, so it cannot ` +
      `be written to a ${naming.warehouse} table. Remove the pivot from the query (or save an unpivoted Look) and ` +
      "send it again.");
  }
  const hidden = hiddenFields(request);
  const visible = allFields(fields).filter((f) => !hidden.has(f.name));
  if (!visible.length) {
    throw new UserError(`The query has no visible fields, so there is no column to write to ${naming.warehouse}. ` +
      "Add fields to the query and send it again.");
  }
  const byName = new Map<string, WarehouseColumn>();
  return visible.map((field) => {
    const name = (naming.name ?? defaultColumnName)(field.name);
    const label = typeof field.label === "string" && field.label ? field.label : field.name;
    if (Buffer.byteLength(name) > naming.maxBytes) {
      throw new UserError(`The field ${field.name} (${label}) would be the column "${name}", longer than the ` +
        `${naming.maxBytes} bytes ${naming.warehouse} allows for a name. Give the field a shorter name in LookML.`);
    }
    const other = byName.get(name.toLowerCase());
    if (other) {
      throw new UserError(`The fields ${other.field} and ${field.name} would both be the column "${name}" in ` +
        `${naming.warehouse}. Remove one of them from the query.`);
    }
    const column = { field: field.name, name, label, type: columnType(field) };
    byName.set(name.toLowerCase(), column);
    return column;
  });
}
