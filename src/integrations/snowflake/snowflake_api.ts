// Snowflake's SQL API v2 (POST /api/v2/statements): one request per statement (or per batch of
// statements with MULTI_STATEMENT_COUNT), bind variables in `bindings`, a statement still
// running answered 202 and followed with GET /api/v2/statements/{handle} until it ends (within
// the wait). Snowflake's error bodies ({code, message, sqlState}) become sentences; 429 and 5xx
// are retried by the shared HTTP client, each request with its own requestId and retry=true, so
// Snowflake runs a retried statement once.
import * as crypto from "crypto";
import { RetryableError, UserError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { Logger } from "../../lib/logger";
import { abortableSleep } from "../../lib/abort_scope";
import { readOnlySql } from "../../lib/dry_run";

export interface SnowflakeSession {
  http: HttpClient;
  /** The account's URL (SNOWFLAKE_API_URL with the account in it). */
  accountUrl: string;
  /** Makes a fresh JWT (each is valid for an hour). */
  token(): string;
  /** Where statements run; Snowflake takes these names as they are (case-sensitive). */
  context: { warehouse?: string; database?: string; schema?: string; role?: string };
  waitMs: number;
  logger?: Logger;
  signal?: AbortSignal;
}

export type Binding = { type: string; value: string | null };

/** A statement Snowflake refused: its code, SQL state and words. */
export class SnowflakeError extends UserError {
  constructor(message: string, readonly code: string, readonly sqlState: string, readonly said: string) {
    super(message);
  }
}

function answer(res: HttpResponse): any {
  try { return res.json(); } catch { return {}; }
}

function failure(res: HttpResponse): Error {
  const body = answer(res);
  const code = String(body.code ?? "");
  const said = String(body.message ?? "").replace(/\s+/g, " ").trim().slice(0, 300);
  const detail = `${code ? `${code}: ` : ""}${said || `HTTP ${res.status}`}`;
  if (res.status === 401 || code === "390144" || code === "390318") {
    return new UserError(`Snowflake refused the key-pair login (${detail}). Check the account, the user, and that ` +
      "the user's RSA_PUBLIC_KEY is the public half of the private key set here.");
  }
  if (res.status === 403) {
    return new UserError(`Snowflake refused the request (${detail}). Check the role and its grants.`);
  }
  if (res.status === 404) {
    return new UserError(`Snowflake answered 404 at the account's URL (${detail}). Check the account identifier.`);
  }
  if (res.status === 429 || res.status >= 500) {
    return new RetryableError(`Snowflake kept failing (${detail}) even after retries. Try again later.`);
  }
  return new SnowflakeError(`Snowflake refused the statement (${detail}${body.sqlState ? `, SQL state ` +
    `${body.sqlState}` : ""}).`, code, String(body.sqlState ?? ""), said);
}

function request(s: SnowflakeSession, method: string, path: string, body?: unknown, readOnly = false)
    : Promise<HttpResponse> {
  return s.http.request({
    url: `${s.accountUrl}${path}`, method, trusted: true, who: "Snowflake", logger: s.logger, readOnly,
    headers: { "authorization": `Bearer ${s.token()}`, "x-snowflake-authorization-token-type": "KEYPAIR_JWT",
      "accept": "application/json", ...(body ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    acceptStatus: (status) => status < 500 && status !== 429 && status !== 408,
  });
}

/** Runs one statement (or `count` of them, separated by `;`) with its bindings; answers Snowflake's result. */
export async function runStatement(s: SnowflakeSession, statement: string, bindings?: Record<string, Binding>,
                                   count = 1): Promise<any> {
  const until = Date.now() + s.waitMs;
  const timeout = Math.max(1, Math.ceil(s.waitMs / 1000));
  const query = `?requestId=${crypto.randomUUID()}&retry=true`;
  // The SQL API takes every statement as a POST: a dry run lets through only the statements its guard
  // knows read (SELECT 1, DESCRIBE TABLE), sent alone (src/lib/dry_run.ts).
  const reads = count === 1 && !bindings && readOnlySql(statement);
  let res = await request(s, "POST", `/api/v2/statements${query}`, {
    statement, timeout, ...s.context, ...(bindings ? { bindings } : {}),
    ...(count > 1 ? { parameters: { MULTI_STATEMENT_COUNT: String(count) } } : {}),
  }, reads);
  let pause = 250;
  while (res.status === 202) {
    const handle = String(answer(res).statementHandle ?? "");
    if (!handle || Date.now() + pause > until) {
      throw new UserError(`Snowflake was still running a statement after ${timeout} s (SNOWFLAKE_STATEMENT_WAIT_SECONDS). ` +
        "Nothing is kept unless it ends; try again when the warehouse is less busy, or raise the wait.");
    }
    await abortableSleep(pause, s.signal);
    pause = Math.min(pause * 2, 5_000);
    res = await request(s, "GET", `/api/v2/statements/${encodeURIComponent(handle)}`);
  }
  if (res.status !== 200) { throw failure(res); }
  const result = answer(res);
  if (typeof result.statementHandle !== "string" && !Array.isArray(result.statementHandles)) {
    throw new RetryableError("Snowflake answered with something that is not a SQL API result (no statement handle), " +
      "so whether the statement ran is unknown. Check SNOWFLAKE_API_URL; try again later.");
  }
  return result;
}
