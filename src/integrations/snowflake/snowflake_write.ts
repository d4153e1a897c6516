// One delivery into one Snowflake table through the SQL API, nothing half-written: the rows go
// in batches (a multi-row INSERT with bind variables, one request at a time, so memory holds one
// batch) into a transient table beside the target, and only then reach the target in one step:
// append and create copy them over in one transaction (INSERT ... SELECT between BEGIN and
// COMMIT), replace swaps the two tables (ALTER TABLE ... SWAP WITH, atomic). The transient table
// is dropped whatever happened.
import * as crypto from "crypto";
import type { ColumnType, WarehouseColumn } from "../../families/warehouse/warehouse_columns";
import type { FoundTable } from "../../families/warehouse/warehouse_integration";
import type { WarehouseRows } from "../../families/warehouse/warehouse_rows";
import { RowError, WarehouseValue } from "../../families/warehouse/warehouse_values";
import { qualifiedName, quoteIdentifier, WriteMode } from "../../families/warehouse/write_target";
import { UserError } from "../../lib/errors";
import { Binding, runStatement, SnowflakeError, SnowflakeSession } from "./snowflake_api";
import { groupDigits } from "../../lib/digits";

const COLUMN_TYPES: Record<ColumnType, string> = {
  integer: "NUMBER(38,0)", number: "FLOAT", boolean: "BOOLEAN", date: "DATE", timestamp: "TIMESTAMP_NTZ",
  string: "VARCHAR",
};
const BIND_TYPES: Record<ColumnType, string> = {
  integer: "FIXED", number: "REAL", boolean: "BOOLEAN", date: "DATE", timestamp: "TIMESTAMP_NTZ", string: "TEXT",
};
/** Bind variables per INSERT at most, and rows. */
const MAX_BINDINGS = 16_000;
const MAX_ROWS = 1_000;

const NOTHING = "Nothing was written: the table is as it was.";

function definition(columns: WarehouseColumn[]): string {
  return columns.map((c) => `${quoteIdentifier(c.name)} ${COLUMN_TYPES[c.type]}`).join(", ");
}

function bindValue(value: WarehouseValue): string | null {
  return value === null ? null : String(value);
}

/** The rows regrouped into INSERT-sized batches, each with the number of its first row. */
async function* insertBatches(rows: WarehouseRows): AsyncGenerator<{ first: number; rows: WarehouseValue[][] }> {
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_BINDINGS / rows.columns.length)));
  let pending: WarehouseValue[][] = [];
  let first = 1;
  for await (const batch of rows.batches) {
    for (const row of batch) {
      pending.push(row);
      if (pending.length === size) {
        yield { first, rows: pending };
        first += pending.length;
        pending = [];
      }
    }
  }
  if (pending.length) { yield { first, rows: pending }; }
}

async function insertRows(s: SnowflakeSession, staging: string, columns: WarehouseColumn[], first: number,
                          rows: WarehouseValue[][]): Promise<void> {
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  const bindings: Record<string, Binding> = {};
  let n = 0;
  for (const row of rows) {
    row.forEach((value, i) => {
      bindings[String(++n)] = { type: BIND_TYPES[columns[i].type], value: bindValue(value) };
    });
  }
  const names = columns.map((c) => quoteIdentifier(c.name)).join(", ");
  try {
    await runStatement(s, `INSERT INTO ${staging} (${names}) VALUES ${rows.map(() => placeholders).join(", ")}`,
      bindings);
  } catch (err) {
    if (err instanceof SnowflakeError && err.sqlState.startsWith("22")) {
      const where = `Rows ${groupDigits(first)} to ${groupDigits(first + rows.length - 1)}`;
      throw new RowError(`${where}: Snowflake refused a value (${err.code}: ${err.said}). ${NOTHING}`,
        `${where}: Snowflake refused a value (${err.code}, SQL state ${err.sqlState}; its words went to Looker only). ` +
        NOTHING, first);
    }
    throw err;
  }
}

/** The statements that bring the loaded rows into the target, in one step. */
function finish(mode: WriteMode, table: string, staging: string, columns: WarehouseColumn[]): string[] {
  const names = columns.map((c) => quoteIdentifier(c.name)).join(", ");
  const copy = ["BEGIN", `INSERT INTO ${table} (${names}) SELECT ${names} FROM ${staging}`, "COMMIT"];
  if (mode === "append") { return copy; }
  if (mode === "create") { return [`CREATE TABLE IF NOT EXISTS ${table} (${definition(columns)})`, ...copy]; }
  return [`CREATE TABLE IF NOT EXISTS ${table} LIKE ${staging}`, `ALTER TABLE ${table} SWAP WITH ${staging}`];
}

/** What a refusal at the last step means for the person. */
function finishFailure(err: unknown, table: string): unknown {
  if (!(err instanceof SnowflakeError)) { return err; }
  if (err.sqlState === "42S02" || err.code === "002003") {
    return new UserError(`Snowflake has no table ${table} the role can see (${err.said}). Create it, or pick "Create ` +
      `if missing" or "Replace" in the form's Write. ${NOTHING}`, { table: "No such table." });
  }
  if (err.sqlState.startsWith("22")) {
    return new RowError(`Snowflake refused a value while copying the rows into ${table} (${err.code}: ${err.said}). ` +
      `Check the table's column types. ${NOTHING}`, `Snowflake refused a value while copying the rows into ${table} ` +
      `(${err.code}, SQL state ${err.sqlState}; its words went to Looker only). ${NOTHING}`);
  }
  return new UserError(`Snowflake refused to write ${table} (${err.code}: ${err.said}). ${NOTHING}`);
}

/**
 * The table as a dry run finds it: `DESCRIBE TABLE`, one of the two statements the dry-run guard
 * lets through the POST-only SQL API (src/lib/dry_run.ts); Snowflake's "does not exist or not
 * authorized" is a table the role cannot write either.
 */
export async function describeTable(s: SnowflakeSession, parts: string[]): Promise<FoundTable> {
  const table = qualifiedName(parts);
  try {
    const result = await runStatement(s, `DESCRIBE TABLE ${table}`);
    const names: unknown[] = (result.resultSetMetaData?.rowType ?? []).map((c: { name?: unknown }) => c?.name);
    const at = Math.max(0, names.findIndex((n) => String(n).toLowerCase() === "name"));
    const rows: unknown[][] = Array.isArray(result.data) ? result.data : [];
    return { name: table, exists: true, columns: rows.map((row) => String(row?.[at] ?? "")) };
  } catch (err) {
    if (err instanceof SnowflakeError && (err.sqlState === "42S02" || err.code === "002003")) {
      return { name: table, exists: false };
    }
    throw err;
  }
}

/** Writes the rows; answers how many. `parts` is the table as typed: [[database.]schema.]table. */
export async function writeSnowflake(s: SnowflakeSession, parts: string[], mode: WriteMode, rows: WarehouseRows):
    Promise<number> {
  const table = qualifiedName(parts);
  const load = `LOOKER_LOAD_${crypto.randomBytes(8).toString("hex").toUpperCase()}`;
  const staging = qualifiedName([...parts.slice(0, -1), load]);
  await runStatement(s, `CREATE TRANSIENT TABLE ${staging} (${definition(rows.columns)})`);
  try {
    for await (const batch of insertBatches(rows)) {
      await insertRows(s, staging, rows.columns, batch.first, batch.rows);
    }
    const statements = finish(mode, table, staging, rows.columns);
    try {
      await runStatement(s, statements.join(";\n"), undefined, statements.length);
    } catch (err) {
      throw finishFailure(err, table);
    }
    return rows.count;
  } finally {
    await runStatement(s, `DROP TABLE IF EXISTS ${staging}`).catch(() => undefined);
  }
}
