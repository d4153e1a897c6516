// PostgreSQL write-back: a query's rows into a table, streamed with COPY in one transaction
// (postgres_write.ts), over a connection to the admin's URL whose host passes the
// private-address guard. Postgres-protocol warehouses (Aurora, AlloyDB, Supabase, Neon) take
// the same; see README.md for which are tested.
import { Client, ClientConfig } from "pg";
import { FoundTable, tableForm, WarehouseIntegration, wroteRows } from "../../families/warehouse/warehouse_integration";
import { warehouseRows } from "../../families/warehouse/warehouse_rows";
import { qualifiedName, tableNameParts, writeMode } from "../../families/warehouse/write_target";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { iconBeside, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { UrlGuard } from "../../lib/url_guard";
import { connectionConfigs, describeServer, parsePostgresUrl, PostgresUrl } from "./postgres_connection";
import { ErrorContext, postgresFailure } from "./postgres_errors";
import { describeTable, writeTable } from "./postgres_write";
import { ColumnNaming } from "../../families/warehouse/warehouse_columns";

export interface PostgresSettings {
  guard: UrlGuard;
  connectTimeoutMs: number;
  /** Longest wait for a lock or a statement other than the COPY (HTTP_IDLE_TIMEOUT_SECONDS). */
  statementTimeoutMs: number;
  /** The longest any statement, the COPY included, may run on the server (HTTP_TOTAL_TIMEOUT_SECONDS). */
  totalTimeoutMs: number;
}

/** PostgreSQL's longest name, in bytes (NAMEDATALEN - 1): longer ones are cut, so they are refused. */
const MAX_NAME_BYTES = 63;
const WAREHOUSE = "PostgreSQL";

/** The form's table: [schema.]table, each name within PostgreSQL's length. */
function tableParts(request: ActionRequest): string[] {
  const parts = tableNameParts(request.formParams.table, 2, "schema.table or table");
  const long = parts.find((p) => Buffer.byteLength(p) > MAX_NAME_BYTES);
  if (long) {
    throw new UserError(`"${long}" is longer than the ${MAX_NAME_BYTES} bytes PostgreSQL allows for a name. ` +
      "Type a shorter table name.", { table: "Too long." });
  }
  return parts;
}

export class PostgresIntegration extends WarehouseIntegration {
  readonly name = "postgres";
  readonly label = "PostgreSQL";
  readonly description = "Write a query's rows into a PostgreSQL table (append, replace or create).";
  readonly icon = iconBeside(__dirname, "postgres.svg");
  readonly params: Param[] = [{
    name: "connection_url", label: "Connection URL", required: true, sensitive: true,
    description: "postgres://user:password@host:5432/database?sslmode=verify-full. The user needs INSERT on the " +
      "tables (CREATE on the schema, and ownership of the table, to create and replace). sslmode as libpq: " +
      "disable, prefer (the default), require, verify-ca, verify-full.",
  }, {
    name: "ca_certificate", label: "CA certificate", required: false, sensitive: false,
    description: "Optional: the PEM certificate of the authority that signed the server's certificate (AWS RDS, " +
      "a private CA), for sslmode=verify-ca or verify-full.",
  }];

  constructor(private readonly settings: PostgresSettings) { super(); }

  async form(): Promise<ActionForm> {
    return tableForm(WAREHOUSE, "The table to write to: schema.table, or table for the user's default schema. " +
      "Names are used exactly as typed (case included); put a name holding a dot in double quotes.");
  }

  protected async connectionTest(request: ActionRequest): Promise<string> {
    const url = parsePostgresUrl(request.params.connection_url);
    await this.session(request, url, async (client) => { await client.query("SELECT 1"); });
    return `Connected to ${WAREHOUSE} at ${describeServer(url)} as "${url.user}".`;
  }

  protected naming(): ColumnNaming {
    return { warehouse: WAREHOUSE, maxBytes: MAX_NAME_BYTES };
  }

  protected async findTable(request: ActionRequest): Promise<FoundTable> {
    const url = parsePostgresUrl(request.params.connection_url);
    const parts = tableParts(request);
    return this.session(request, url, async (client) => {
      // Read-only: PostgreSQL itself refuses any write in this transaction.
      await client.query("BEGIN TRANSACTION READ ONLY");
      const found = await describeTable(client, parts, this.settings.statementTimeoutMs);
      await client.query("ROLLBACK");
      return found;
    }, qualifiedName(parts));
  }

  protected async write(request: ActionRequest): Promise<string> {
    const url = parsePostgresUrl(request.params.connection_url);
    const parts = tableParts(request);
    const mode = writeMode(request);
    const rows = await warehouseRows(request, this.naming());
    try {
      const result = await this.session(request, url, (client) => writeTable(client, parts, mode, rows,
        { statementTimeoutMs: this.settings.statementTimeoutMs }), qualifiedName(parts));
      return wroteRows(result.rows, result.table, WAREHOUSE, mode, result.created);
    } finally {
      await rows.close();
    }
  }

  /** Connects, runs `work`, and closes the connection, whatever happened; failures in words. */
  private async session<T>(request: ActionRequest, url: PostgresUrl, work: (client: Client) => Promise<T>,
                           table = "the table"): Promise<T> {
    const context: ErrorContext = { server: describeServer(url), user: url.user, database: url.database, table };
    let client: Client | undefined;
    try {
      const configs = await connectionConfigs(url, { guard: this.settings.guard,
        connectTimeoutMs: this.settings.connectTimeoutMs, caCertificate: request.params.ca_certificate });
      client = await this.connect(configs);
      return await work(client);
    } catch (err) {
      throw postgresFailure(err, context);
    } finally {
      if (client) { await this.close(client); }
    }
  }

  /** The first configuration that connects; the next only when the server has no TLS (sslmode prefer). */
  private async connect(configs: ClientConfig[]): Promise<Client> {
    for (let i = 0; ; i++) {
      const client = new Client({ ...configs[i], lock_timeout: this.settings.statementTimeoutMs,
        statement_timeout: this.settings.totalTimeoutMs });
      // A connection that breaks between statements fails the statement; nothing else to tell.
      client.on("error", () => undefined);
      try {
        await client.connect();
        return client;
      } catch (err) {
        await this.close(client);
        const noTls = /server does not support SSL/i.test((err as Error)?.message ?? "");
        if (!noTls || i + 1 >= configs.length) { throw err; }
      }
    }
  }

  /** Ends the connection (a transaction still open is rolled back by the server), at most a few seconds. */
  private async close(client: Client): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const ended = client.end().catch(() => undefined);
    const late = new Promise<"late">((resolve) => { timer = setTimeout(() => resolve("late"), 5_000); });
    if (await Promise.race([ended, late]) === "late") {
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    }
    clearTimeout(timer);
  }
}
