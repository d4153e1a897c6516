// Snowflake write-back: a query's rows into a table through the SQL API v2, signed in with the
// user's key pair (a JWT per request), the rows in batched binds to a transient table, then in
// one step to the target (snowflake_write.ts).
import { FoundTable, tableForm, WarehouseIntegration, wroteRows } from "../../families/warehouse/warehouse_integration";
import { warehouseRows } from "../../families/warehouse/warehouse_rows";
import { ColumnNaming, defaultColumnName } from "../../families/warehouse/warehouse_columns";
import { qualifiedName, tableNameParts, writeMode } from "../../families/warehouse/write_target";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { iconBeside, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { runStatement, SnowflakeSession } from "./snowflake_api";
import { keyPairJwt, snowflakePrivateKey } from "./snowflake_auth";
import { describeTable, writeSnowflake } from "./snowflake_write";

export interface SnowflakeSettings {
  /** SNOWFLAKE_API_URL, `{account}` to be replaced. */
  apiUrl: string;
  waitMs: number;
}

const WAREHOUSE = "Snowflake";
const ACCOUNT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function optional(name: string, label: string, description: string): Param {
  return { name, label, description, required: false, sensitive: false };
}

/** The form's table: [[database.]schema.]table, a bare name upper-cased as Snowflake's SQL does. */
function tableParts(request: ActionRequest): string[] {
  return tableNameParts(request.formParams.table, 3, "table, schema.table or database.schema.table",
    (part) => part.toUpperCase());
}

export class SnowflakeIntegration extends WarehouseIntegration {
  readonly name = "snowflake";
  readonly label = "Snowflake";
  readonly description = "Write a query's rows into a Snowflake table (append, replace or create).";
  readonly icon = iconBeside(__dirname, "snowflake.svg");
  readonly params: Param[] = [{
    name: "account", label: "Account", required: true, sensitive: false,
    description: "The account identifier, as in its URL before .snowflakecomputing.com: orgname-accountname, or " +
      "the account locator with its region (xy12345.us-east-2.aws).",
  }, {
    name: "user", label: "User", required: true, sensitive: false,
    description: "The Snowflake user the hub signs in as, with the public key set (ALTER USER ... SET RSA_PUBLIC_KEY).",
  }, {
    name: "private_key", label: "Private Key", required: true, sensitive: true,
    description: "The user's unencrypted PKCS#8 private key (PEM), whose public half is the user's RSA_PUBLIC_KEY.",
  },
  optional("warehouse", "Warehouse", "The warehouse that runs the inserts; empty: the user's default."),
  optional("database", "Database", "The database of tables typed without one; empty: the user's default."),
  optional("schema", "Schema", "The schema of tables typed without one; empty: the user's default."),
  optional("role", "Role", "The role to write with (it needs USAGE, CREATE TABLE, INSERT); empty: the user's default.")];

  constructor(private readonly http: HttpClient, private readonly settings: SnowflakeSettings) { super(); }

  async form(): Promise<ActionForm> {
    return tableForm(WAREHOUSE, "The table: table, schema.table or database.schema.table. As in Snowflake's SQL, " +
      "a name typed bare is upper-cased (orders is ORDERS); one in double quotes is kept exactly.");
  }

  protected async connectionTest(request: ActionRequest): Promise<string> {
    await runStatement(this.session(request), "SELECT 1");
    return `Signed in to Snowflake as ${request.params.user.trim().toUpperCase()}.`;
  }

  protected naming(): ColumnNaming {
    return { warehouse: WAREHOUSE, maxBytes: 255, name: (field) => defaultColumnName(field).toUpperCase() };
  }

  protected async findTable(request: ActionRequest): Promise<FoundTable> {
    return describeTable(this.session(request), tableParts(request));
  }

  protected async write(request: ActionRequest): Promise<string> {
    const parts = tableParts(request);
    const mode = writeMode(request);
    const session = this.session(request);
    const rows = await warehouseRows(request, this.naming());
    try {
      const written = await writeSnowflake(session, parts, mode, rows);
      return wroteRows(written, qualifiedName(parts), WAREHOUSE, mode, false);
    } finally {
      await rows.close();
    }
  }

  private session(request: ActionRequest): SnowflakeSession {
    const account = (request.params.account ?? "").trim();
    if (!ACCOUNT.test(account)) {
      throw new UserError("The Snowflake Account setting is not an account identifier: letters, digits, dashes, " +
        "underscores and dots, as in the account's URL (orgname-accountname or xy12345.us-east-2.aws).");
    }
    const user = (request.params.user ?? "").trim();
    const key = snowflakePrivateKey(request.params.private_key);
    const value = (name: string) => (request.params[name] ?? "").trim() || undefined;
    return {
      http: this.http, accountUrl: this.settings.apiUrl.replace(/\{account\}/g, account.toLowerCase()),
      token: () => keyPairJwt(account, user, key),
      context: { warehouse: value("warehouse"), database: value("database"), schema: value("schema"), role: value("role") },
      waitMs: this.settings.waitMs, logger: request.logger, signal: request.signal,
    };
  }
}
