// A dry run (an execute carrying `X-Hub-Dry-Run: true`) checks what can be checked and writes
// nothing. Besides each integration's own care, the shared HTTP client refuses any request that
// may write while a dry run is under way (everything but GET and HEAD, unless the caller marks it
// read-only), so a vendor's write endpoint cannot be reached by mistake. The flag is ambient, as
// the abort signal is (abort_scope.ts).
import { AsyncLocalStorage } from "async_hooks";
import { UserError } from "./errors";

const scope = new AsyncLocalStorage<true>();

/** Runs `work` as a dry run: the HTTP client refuses every call that may write. */
export function withDryRun<T>(work: () => Promise<T>): Promise<T> {
  return scope.run(true, work);
}

/** True within a dry run. */
export function inDryRun(): boolean {
  return scope.getStore() === true;
}

/** A call that may write, stopped because this is a dry run. */
export class DryRunWriteError extends UserError {
  constructor(method: string, host: string) {
    super(`Dry run: this integration was about to call ${host} with ${method}, which may write, so the dry run ` +
      "stopped there and nothing was sent.");
  }
}

const READING_METHODS = new Set(["GET", "HEAD"]);

// The one exception for SQL: a warehouse whose SQL API takes every statement as a POST
// (Snowflake's /api/v2/statements) may, in a dry run, send these statements and no other: `SELECT 1`
// (the sign-in) and `DESCRIBE TABLE <name>` (whether the table exists, and its columns). Each is the
// whole statement: one statement, no bindings, a name of plain or double-quoted identifiers, so
// nothing can follow it (docs/dry_run.md, "Guarantee").
const IDENTIFIER = String.raw`(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")`;
const READ_ONLY_SQL = [
  /^SELECT 1$/i,
  new RegExp(String.raw`^DESCRIBE TABLE ${IDENTIFIER}(?:\.${IDENTIFIER}){0,2}$`, "i"),
];

/** True for a statement a dry run may send through a POST-only SQL API: it reads, and nothing can follow it. */
export function readOnlySql(statement: string): boolean {
  return READ_ONLY_SQL.some((shape) => shape.test(statement));
}

/** Throws when a dry run is under way and the call may write. */
export function checkDryRunCall(method: string, host: string, readOnly: boolean | undefined): void {
  if (inDryRun() && !readOnly && !READING_METHODS.has(method.toUpperCase())) {
    throw new DryRunWriteError(method.toUpperCase(), host);
  }
}

/** A record with its values masked: keys as they are, each value's first character and its length. */
export function masked(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) { return null; }
  if (depth > 8) { return "…"; }
  if (value instanceof Date) { return "<date>"; }
  if (Array.isArray(value)) { return value.map((item) => masked(item, depth + 1)); }
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => [key, masked(inner, depth + 1)]));
  }
  if (typeof value === "number") { return "<number>"; }
  if (typeof value === "boolean") { return "<boolean>"; }
  const text = String(value);
  return text.length <= 1 ? "•" : `${text[0]}${"•".repeat(Math.min(text.length - 1, 8))} (${text.length} characters)`;
}
