// One delivery into one PostgreSQL table, in one transaction: append (COPY into the table as it
// is), create (CREATE TABLE IF NOT EXISTS, then COPY), replace (COPY into a new table beside it,
// then drop the old and rename the new before COMMIT: readers see the old rows until the commit,
// the new ones after, never half). Any failure rolls everything back.
import * as crypto from "crypto";
import type { Client, QueryConfig, QueryResult } from "pg";
import type { ColumnType, WarehouseColumn } from "../../families/warehouse/warehouse_columns";
import type { FoundTable } from "../../families/warehouse/warehouse_integration";
import type { WarehouseRows } from "../../families/warehouse/warehouse_rows";
import { qualifiedName, quoteIdentifier, WriteMode } from "../../families/warehouse/write_target";
import { UserError } from "../../lib/errors";
import { copyRows } from "./postgres_copy";
import { missingTable } from "./postgres_errors";

const COLUMN_TYPES: Record<ColumnType, string> = {
  integer: "bigint", number: "numeric", boolean: "boolean", date: "date", timestamp: "timestamp", string: "text",
};

export interface WriteSettings {
  /** Longest wait for a statement other than the COPY itself (locks are bounded by the connection's lock_timeout). */
  statementTimeoutMs: number;
}

/**
 * A statement with pg's client-side bound on waiting for its answer: twice the server's own lock
 * bound, so a statement that waited for a lock ends with the server's answer (55P03), not this.
 */
function statement(client: Client, timeoutMs: number, text: string, values?: unknown[]): Promise<QueryResult> {
  const query: QueryConfig & { query_timeout: number } = { text, values, query_timeout: 2 * timeoutMs };
  return client.query(query);
}

/** Where the table is: its schema (resolved on the search path when not typed) and name. */
interface Located {
  schema: string;
  name: string;
  exists: boolean;
}

async function locate(client: Client, parts: string[], timeoutMs: number): Promise<Located> {
  const found = await statement(client, timeoutMs,
    "SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind FROM pg_catalog.pg_class c " +
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass($1)",
    [qualifiedName(parts)]);
  const row = found.rows[0] as { schema: string; name: string; kind: string } | undefined;
  if (row) {
    if (row.kind !== "r" && row.kind !== "p") {
      throw new UserError(`${qualifiedName(parts)} is not a table (it is a view or another kind of relation), so ` +
        "rows cannot be written to it. Type a table's name.", { table: "Not a table." });
    }
    return { schema: row.schema, name: row.name, exists: true };
  }
  if (parts.length === 2) { return { schema: parts[0], name: parts[1], exists: false }; }
  const current = await statement(client, timeoutMs, "SELECT pg_catalog.current_schema() AS schema");
  const schema = (current.rows[0] as { schema: string | null } | undefined)?.schema;
  if (!schema) {
    throw new UserError("PostgreSQL has no schema to create the table in (the user's search_path names none that " +
      "exists). Type the table as schema.table.", { table: "Add the schema." });
  }
  return { schema, name: parts[0], exists: false };
}

/**
 * The table as a dry run finds it: where it is, and its columns from information_schema (those the
 * user may use), in a read-only transaction the caller opens: nothing can be written.
 */
export async function describeTable(client: Client, parts: string[], timeoutMs: number): Promise<FoundTable> {
  const located = await locate(client, parts, timeoutMs);
  const name = qualifiedName([located.schema, located.name]);
  if (!located.exists) { return { name, exists: false }; }
  const columns = await statement(client, timeoutMs, "SELECT column_name FROM information_schema.columns " +
    "WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position", [located.schema, located.name]);
  return { name, exists: true, columns: columns.rows.map((row: { column_name: string }) => row.column_name) };
}

function columnList(columns: WarehouseColumn[]): string {
  return columns.map((c) => quoteIdentifier(c.name)).join(", ");
}

function tableDefinition(columns: WarehouseColumn[]): string {
  return columns.map((c) => `${quoteIdentifier(c.name)} ${COLUMN_TYPES[c.type]}`).join(", ");
}

export interface WriteResult {
  rows: number;
  /** The table as written, quoted. */
  table: string;
  created: boolean;
}

/**
 * Writes the rows to the table in one transaction. The caller connects, and closes the connection
 * after a failure (which rolls the transaction back).
 */
export async function writeTable(
  client: Client, parts: string[], mode: WriteMode, rows: WarehouseRows, settings: WriteSettings,
): Promise<WriteResult> {
  const run = (text: string) => statement(client, settings.statementTimeoutMs, text);
  await run("BEGIN");
  const located = await locate(client, parts, settings.statementTimeoutMs);
  const table = qualifiedName([located.schema, located.name]);
  const columns = columnList(rows.columns);
  if (mode === "append" && !located.exists) { throw missingTable(table); }
  if (mode !== "replace") {
    if (!located.exists) { await run(`CREATE TABLE IF NOT EXISTS ${table} (${tableDefinition(rows.columns)})`); }
    const count = await copyRows(client, `COPY ${table} (${columns}) FROM STDIN`, rows.batches);
    await run("COMMIT");
    return { rows: count, table, created: !located.exists };
  }
  // The new table beside the old one, in the same schema, under a name no one else uses.
  const staging = `looker_replace_${crypto.randomBytes(8).toString("hex")}`;
  const stagingTable = qualifiedName([located.schema, staging]);
  await run(`CREATE TABLE ${stagingTable} (${tableDefinition(rows.columns)})`);
  const count = await copyRows(client, `COPY ${stagingTable} (${columns}) FROM STDIN`, rows.batches);
  if (located.exists) { await run(`DROP TABLE ${table}`); }
  await run(`ALTER TABLE ${stagingTable} RENAME TO ${quoteIdentifier(located.name)}`);
  await run("COMMIT");
  return { rows: count, table, created: !located.exists };
}
