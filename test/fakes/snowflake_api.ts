// A local fake of Snowflake's SQL API v2 on 127.0.0.1: POST /api/v2/statements and
// GET /api/v2/statements/{handle}, with key-pair JWT auth checked as Snowflake documents it
// (X-Snowflake-Authorization-Token-Type KEYPAIR_JWT; RS256 verified with the user's registered
// public key; iss ACCOUNT.USER.SHA256:<fingerprint>, sub ACCOUNT.USER, at most an hour), the
// request's warehouse/database/schema/role, positional bindings, MULTI_STATEMENT_COUNT, and
// Snowflake's answers: 200 ResultSet (code 090001), 202 for a statement still running (code
// 333334), 422 with {code, message, sqlState} for a refused statement, 401 (code 390144).
// It runs exactly the statements the snowflake integration sends (CREATE [TRANSIENT] TABLE,
// multi-row INSERT with binds, INSERT ... SELECT, ALTER TABLE ... SWAP WITH, DROP TABLE,
// BEGIN/COMMIT), on tables kept in memory: values are checked against the column types.
// The SQL text it parses and the values' type checks are in snowflake_sql.ts.
import * as crypto from "crypto";
import * as http from "http";
import * as jwt from "jsonwebtoken";
import { readAll } from "../helpers/deliveries";
import { LoopbackServer } from "./loopback_server";
import {
  columnDefinitions, converted, identifiers, LIST, NAME, SfTable, splitColumns, StatementError,
} from "./snowflake_sql";

export type { SfColumn, SfTable } from "./snowflake_sql";

export class FakeSnowflake extends LoopbackServer {
  readonly account = "TESTORG-TESTACCOUNT";
  readonly user = "LOOKER_HUB";
  readonly keys = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  readonly databases = new Set(["ANALYTICS"]);
  readonly warehouses = new Set(["LOOKER_WH"]);
  /** Tables by DATABASE.SCHEMA.TABLE. */
  tables = new Map<string, SfTable>();
  /** Every statement request, as received (body and headers). */
  readonly requests: Array<{ body: any; headers: http.IncomingHttpHeaders }> = [];
  /** Statements answered 202 first, then on GET: how many GETs say "still running". */
  runningGets = 0;
  /** The next statement's HTTP status and body, once. */
  nextReply?: { status: number; body: unknown };
  private handles = new Map<string, { body: unknown; gets: number }>();

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.handle(req, res).catch(() => res.destroy());
  }

  get privateKeyPem(): string { return this.keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(); }
  /** SNOWFLAKE_API_URL for the hub: the account goes in the path, so one fake serves any account. */
  get apiUrlTemplate(): string { return `${this.url}/{account}`; }

  table(name: string): SfTable | undefined { return this.tables.get(name); }

  private reply(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private fingerprint(): string {
    const der = this.keys.publicKey.export({ type: "spki", format: "der" });
    return `SHA256:${crypto.createHash("sha256").update(der).digest("base64")}`;
  }

  /** Snowflake's checks of a key-pair JWT; the failure's message, or undefined. */
  private authProblem(req: http.IncomingMessage, account: string): string | undefined {
    if (req.headers["x-snowflake-authorization-token-type"] !== "KEYPAIR_JWT") { return "Missing token type."; }
    const token = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    try {
      const claims = jwt.verify(token, this.keys.publicKey, { algorithms: ["RS256"] }) as jwt.JwtPayload;
      const qualified = `${account.split(".")[0].toUpperCase()}.${this.user}`;
      if (claims.sub !== qualified || claims.iss !== `${qualified}.${this.fingerprint()}`) { return "JWT token is invalid."; }
      if (!claims.exp || !claims.iat || claims.exp - claims.iat > 3600) { return "JWT token is invalid."; }
      return undefined;
    } catch {
      return "JWT token is invalid.";
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const m = /^\/([^/]+)\/api\/v2\/statements(?:\/([^/]+))?$/.exec(url.pathname);
    const body = (await readAll(req)).toString("utf8");
    if (!m) { return this.reply(res, 404, { message: "Not found" }); }
    if (decodeURIComponent(m[1]).toUpperCase() !== this.account) {
      return this.reply(res, 404, { code: "390404", message: "Account not found." });
    }
    const problem = this.authProblem(req, decodeURIComponent(m[1]));
    if (problem) { return this.reply(res, 401, { code: "390144", message: problem }); }
    if (m[2]) {
      const handle = this.handles.get(m[2]);
      if (!handle) { return this.reply(res, 404, { code: "000709", message: "Statement not found." }); }
      if (handle.gets++ < this.runningGets) {
        return this.reply(res, 202, { code: "333334", message: "Asynchronous execution in progress.", statementHandle: m[2] });
      }
      const [status, answer] = handle.body as [number, unknown];
      return this.reply(res, status, answer);
    }
    let request: any;
    try { request = JSON.parse(body); } catch { return this.reply(res, 400, { code: "390142", message: "Bad JSON." }); }
    this.requests.push({ body: request, headers: req.headers });
    if (this.nextReply) {
      const next = this.nextReply;
      this.nextReply = undefined;
      return this.reply(res, next.status, next.body);
    }
    const handle = crypto.randomUUID();
    const [status, answer] = this.execute(request, handle);
    if (this.runningGets > 0) {
      this.handles.set(handle, { body: [status, answer], gets: 0 });
      return this.reply(res, 202, { code: "333334", message: "Asynchronous execution in progress.",
        statementHandle: handle, statementStatusUrl: `/api/v2/statements/${handle}` });
    }
    this.reply(res, status, answer);
  }

  private execute(request: any, handle: string): [number, unknown] {
    const statements = String(request.statement ?? "").split(/;\s*\n/).map((s) => s.trim()).filter(Boolean);
    const count = Number(request.parameters?.MULTI_STATEMENT_COUNT ?? 1);
    try {
      if (statements.length !== count) {
        throw new StatementError("000008", "0A000", `Actual statement count ${statements.length} did not match the ` +
          `desired statement count ${count}.`);
      }
      if (!request.warehouse || !this.warehouses.has(request.warehouse)) {
        throw new StatementError("000606", "57P03", "No active warehouse selected in the current session. Select an " +
          "active warehouse with the 'use warehouse' command.");
      }
      if (!this.databases.has(request.database)) {
        throw new StatementError("002043", "02000", `Object does not exist, or operation cannot be performed.`);
      }
      const described = new RegExp(`^DESCRIBE TABLE ${NAME}$`, "is").exec(statements[0]);
      if (described && count === 1) { return [200, this.describe(described[1], request, handle)]; }
      const before = new Map([...this.tables].map(([k, t]) => [k, { ...t, rows: [...t.rows] }]));
      let inTransaction = false;
      let rowCount = 0;
      try {
        for (const statement of statements) {
          if (/^BEGIN$/i.test(statement)) { inTransaction = true; continue; }
          if (/^COMMIT$/i.test(statement)) { inTransaction = false; continue; }
          rowCount = this.run(statement, request, statements.length === 1 ? request.bindings ?? {} : {});
        }
      } catch (err) {
        if (inTransaction || statements.length > 1) { this.tables = before; }
        throw err;
      }
      return [200, { code: "090001", sqlState: "00000", message: "Statement executed successfully.",
        statementHandle: handle, resultSetMetaData: { numRows: 1, format: "jsonv2",
          rowType: [{ name: "number of rows inserted", type: "fixed" }] }, data: [[String(rowCount)]] }];
    } catch (err) {
      if (!(err instanceof StatementError)) { throw err; }
      return [422, { code: err.code, message: err.message, sqlState: err.sqlState, statementHandle: handle }];
    }
  }

  private key(name: string, request: any): string {
    const parts = identifiers(name);
    const full = [request.database, request.schema ?? "PUBLIC"].slice(0, 3 - parts.length).concat(parts);
    return full.join(".");
  }

  private existing(name: string, request: any): SfTable {
    const table = this.tables.get(this.key(name, request));
    if (!table) {
      throw new StatementError("002003", "42S02", `SQL compilation error:\nTable '${identifiers(name).join(".")}' ` +
        "does not exist or not authorized.");
    }
    return table;
  }

  /** DESCRIBE TABLE's result set as Snowflake answers it: a row per column, its name first. */
  private describe(name: string, request: any, handle: string): unknown {
    const table = this.existing(name, request);
    const rowType = ["name", "type", "kind", "null?", "default", "primary key", "unique key", "check", "expression",
      "comment", "policy name"].map((column) => ({ name: column, type: "text" }));
    return { code: "090001", sqlState: "00000", message: "Statement executed successfully.", statementHandle: handle,
      resultSetMetaData: { numRows: table.columns.length, format: "jsonv2", rowType },
      data: table.columns.map((c) => [c.name, c.type, "COLUMN", "Y", null, "N", "N", null, null, null, null]) };
  }

  /** One statement; answers the rows it inserted. */
  private run(statement: string, request: any, bindings: Record<string, { type: string; value: unknown }>): number {
    let m = new RegExp(`^CREATE (TRANSIENT )?TABLE (IF NOT EXISTS )?${NAME} \\((.*)\\)$`, "is").exec(statement);
    if (m) {
      const key = this.key(m[3], request);
      if (this.tables.has(key)) {
        if (m[2]) { return 0; }
        throw new StatementError("002002", "42710", `SQL compilation error:\nObject '${key}' already exists.`);
      }
      this.tables.set(key, { columns: columnDefinitions(m[4]), rows: [], transient: !!m[1] });
      return 0;
    }
    m = new RegExp(`^CREATE TABLE IF NOT EXISTS ${NAME} LIKE ${NAME}$`, "is").exec(statement);
    if (m) {
      const key = this.key(m[1], request);
      if (!this.tables.has(key)) {
        this.tables.set(key, { columns: [...this.existing(m[2], request).columns], rows: [], transient: false });
      }
      return 0;
    }
    m = new RegExp(`^INSERT INTO ${NAME} ${LIST} VALUES (.+)$`, "is").exec(statement);
    if (m) {
      const table = this.existing(m[1], request);
      const columns = splitColumns(m[2]).map((c) => identifiers(c)[0]);
      const tuples = m[3].match(/\([?,\s]+\)/g) ?? [];
      const rows: unknown[][] = [];
      let n = 0;
      for (const _tuple of tuples) {
        const values = new Map<string, unknown>();
        for (const column of columns) {
          const binding = bindings[String(++n)];
          if (!binding) { throw new StatementError("002049", "22000", `Bind variable ${n} not set.`); }
          const target = table.columns.find((c) => c.name === column);
          if (!target) { throw new StatementError("000904", "42000", `SQL compilation error: error line 1 at position 0\ninvalid identifier '"${column}"'`); }
          values.set(column, converted(binding.value, target));
        }
        rows.push(table.columns.map((c) => values.has(c.name) ? values.get(c.name) : null));
      }
      table.rows.push(...rows);
      return rows.length;
    }
    m = new RegExp(`^INSERT INTO ${NAME} ${LIST} SELECT (.+) FROM ${NAME}$`, "is").exec(statement);
    if (m) {
      const target = this.existing(m[1], request);
      const source = this.existing(m[4], request);
      const columns = splitColumns(m[2]).map((c) => identifiers(c)[0]);
      const rows = source.rows.map((row) => {
        const values = new Map(source.columns.map((c, i) => [c.name, row[i]]));
        return target.columns.map((c) => {
          if (!columns.includes(c.name)) { return null; }
          return converted(values.get(c.name) ?? null, c);
        });
      });
      target.rows.push(...rows);
      return rows.length;
    }
    m = new RegExp(`^ALTER TABLE ${NAME} SWAP WITH ${NAME}$`, "is").exec(statement);
    if (m) {
      const a = this.key(m[1], request);
      const b = this.key(m[2], request);
      const first = this.existing(m[1], request);
      const second = this.existing(m[2], request);
      this.tables.set(a, second);
      this.tables.set(b, first);
      return 0;
    }
    m = new RegExp(`^DROP TABLE IF EXISTS ${NAME}$`, "is").exec(statement);
    if (m) { this.tables.delete(this.key(m[1], request)); return 0; }
    if (/^SELECT 1$/i.test(statement)) { return 0; }
    throw new StatementError("001003", "42000", `SQL compilation error: syntax error: unexpected '${statement.slice(0, 20)}'.`);
  }
}
