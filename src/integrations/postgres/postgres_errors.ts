// PostgreSQL's refusals (SQLSTATE codes) and the ways to it that fail, as sentences for the
// Looker user: what went wrong, with the server's own words, and what to do. A refused value
// names its row (COPY counts one line a row) for Looker, and leaves the value out of the log.
import { RowError } from "../../families/warehouse/warehouse_values";
import { RetryableError, UserError } from "../../lib/errors";
import { networkFailure, networkMessage } from "../../lib/network_errors";

/** pg's DatabaseError, as far as it is read here. */
interface ServerError {
  code?: string;
  message?: string;
  where?: string;
  column?: string;
}

export interface ErrorContext {
  /** host:port. */
  server: string;
  user: string;
  database: string;
  /** The table, quoted as in SQL. */
  table: string;
}

const NOTHING = "Nothing was written: the table is as it was.";

export function missingTable(table: string): UserError {
  return new UserError(`The table ${table} does not exist. Create it, or pick "Create if missing" or "Replace" in ` +
    "the form's Write.", { table: "No such table." });
}

function rowRefused(err: ServerError): RowError | undefined {
  const line = /\bline (\d+)/.exec(err.where ?? "");
  if (!line) { return undefined; }
  const row = Number(line[1]);
  const column = /\bcolumn ([^:]+):/.exec(err.where ?? "")?.[1] ?? err.column;
  const where = `Row ${row}${column ? `, column "${column}"` : ""}`;
  return new RowError(`${where}: PostgreSQL refused the value (${err.message}). ${NOTHING} Fix the value in ` +
    "the query, or the column's type in the table, and send it again.",
  `${where}: PostgreSQL refused the value (SQLSTATE ${err.code}; the value went to Looker only). ${NOTHING}`, row);
}

/** The error to answer for anything that failed on the way to, or in, PostgreSQL. */
export function postgresFailure(err: unknown, context: ErrorContext): Error {
  if (err instanceof UserError) { return err; }
  const e = (err ?? {}) as ServerError;
  const said = e.message ? ` (${e.message})` : "";
  const code = typeof e.code === "string" ? e.code : "";
  switch (code) {
    case "28P01":
      return new UserError(`PostgreSQL at ${context.server} refused the password of user "${context.user}". ` +
        "Check the user and password in the connection URL (special characters percent-encoded).");
    case "28000":
      return new UserError(`PostgreSQL at ${context.server} refused user "${context.user}"${said}. Ask its admin ` +
        "to allow this hub's address for that user and database (pg_hba.conf), or use another user.");
    case "3D000":
      return new UserError(`PostgreSQL at ${context.server} has no database "${context.database}". ` +
        "Fix the database at the end of the connection URL.");
    case "42P01":
      return missingTable(context.table);
    case "3F000":
      return new UserError(`The schema of ${context.table} does not exist${said}. Create the schema first, or ` +
        "type the table with another schema.", { table: "No such schema." });
    case "42501":
      return new UserError(`User "${context.user}" may not write ${context.table}${said}. Grant it the rights it ` +
        "needs (INSERT to append; CREATE on the schema and ownership of the table to replace), or use another user.");
    case "42703":
      return new UserError(`The table ${context.table} has no column for one of the query's fields${said}. Add ` +
        "the column, or pick \"Replace\" to rebuild the table from the query's fields. " + NOTHING);
    case "2BP01":
      return new UserError(`${context.table} cannot be replaced: other objects (views) depend on it${said}. ` +
        `Drop or change them, or use Append. ${NOTHING}`);
    case "55P03":
      return new RetryableError(`${context.table} stayed locked by another session, so it could not be ` +
        `replaced in time. ${NOTHING} Try again when the other work has finished.`);
    case "57014":
      return new RetryableError(`PostgreSQL cancelled the write to ${context.table}${said}. ${NOTHING} Try again.`);
  }
  if (code.startsWith("22") || code.startsWith("23")) {
    const row = rowRefused(e);
    if (row) { return row; }
  }
  if (code.startsWith("53") || code.startsWith("57") || code.startsWith("08")) {
    return new RetryableError(`PostgreSQL at ${context.server} could not take the rows now${said}. ` +
      `${NOTHING} Try again later.`);
  }
  if (/server does not support SSL/i.test(e.message ?? "")) {
    return new UserError(`PostgreSQL at ${context.server} does not offer TLS, but the connection URL's sslmode ` +
      "asks for it. Turn TLS on at the server, or (on a trusted network only) set sslmode=disable.");
  }
  const network = networkFailure(err);
  if (network) {
    const fix = network.kind.startsWith("certificate") ? { ...network, fix: "Paste the server's CA certificate " +
      "into the \"CA certificate\" setting, or check the host name in the connection URL." } : network;
    const message = networkMessage(`PostgreSQL at ${context.server}`, fix);
    return network.transient ? new RetryableError(message) : new UserError(message);
  }
  // pg's words when the server hangs up with no reason given: a TLS-only port hit without TLS does that.
  if (/Connection terminated unexpectedly/i.test(e.message ?? "")) {
    return new RetryableError(`PostgreSQL at ${context.server} closed the connection unexpectedly. If it accepts ` +
      "only TLS connections, the connection URL's sslmode must ask for TLS (sslmode=verify-full); otherwise try " +
      "again later.");
  }
  if (/timeout/i.test(e.message ?? "")) {
    return new RetryableError(`PostgreSQL at ${context.server} did not answer in time${said}. Check the host ` +
      "and port in the connection URL, and that the hub may reach them; try again later.");
  }
  if (code) {
    return new UserError(`PostgreSQL refused the write to ${context.table}${said}. ${NOTHING}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
