// What a failed outbound request ends in. Both kinds are user errors: the message names the
// destination's host, the status and a short excerpt of its answer, which is what a Looker
// user needs to act; they also carry the facts for integrations that word it their own way.
import { RetryableError, UserError } from "./errors";
import { networkFailure, networkMessage } from "./network_errors";

export interface HttpFailure {
  /** Host of the URL asked (never the path or query, which may hold tokens). */
  host: string;
  status?: number;
  /** A short, cleaned excerpt of the answer's body. */
  excerpt?: string;
  attempts: number;
  /** The network error code or timeout kind, when no answer came. */
  code?: string;
  /** The URL was plain http:// (a cut connection may be a TLS-only port). */
  plainHttp?: boolean;
}

/** An answer that will not change by retrying (4xx, or a status the caller refused). */
export class HttpStatusError extends UserError {
  constructor(message: string, readonly failure: HttpFailure) { super(message); }
}

/** Retries ran out on a transient failure (5xx, 429, network, timeout): may succeed later. */
export class HttpUnavailableError extends RetryableError {
  constructor(message: string, readonly failure: HttpFailure) { super(message); }
}

/** A timeout of one attempt; transient, so retried. */
export class HttpTimeoutError extends Error {
  readonly transient = true;
  constructor(readonly code: "connect_timeout" | "idle_timeout" | "total_timeout", ms: number) {
    super(`${code.replace("_", " ")} after ${ms} ms`);
  }
}

const MAX_EXCERPT = 200;

/**
 * Marks a vendor's own words inside a message (an invisible separator each side). The person
 * who reads the answer needs them, the log must not hold them: a vendor's error text can echo
 * what it was sent (an email address, a record). The answer to Looker drops the marks
 * (`unmarkVendorText`), the log replaces what they enclose (`redactVendorText`).
 */
const VENDOR_TEXT_MARK = "\u2063";
const MARKED_VENDOR_TEXT = /\u2063[^\u2063]*\u2063/g;

export function markVendorText(text: string): string {
  const clean = text.split(VENDOR_TEXT_MARK).join("");
  return clean ? `${VENDOR_TEXT_MARK}${clean}${VENDOR_TEXT_MARK}` : "";
}

/** The text as a person reads it. */
export function unmarkVendorText(text: string): string {
  return text.includes(VENDOR_TEXT_MARK) ? text.split(VENDOR_TEXT_MARK).join("") : text;
}

/** The text as the log keeps it: each vendor's words replaced, a stray mark dropped. */
export function redactVendorText(text: string): string {
  if (!text.includes(VENDOR_TEXT_MARK)) { return text; }
  return unmarkVendorText(text.replace(MARKED_VENDOR_TEXT, "[the vendor's words, not logged]"));
}

/**
 * The vendor's answer shortened for a message: its error text if JSON, tags and controls removed,
 * marked as the vendor's words (markVendorText).
 */
export function safeExcerpt(body: Buffer, contentType?: string): string {
  let text = body.subarray(0, 4096).toString("utf8");
  if (/json/i.test(contentType ?? "") || /^\s*[{[]/.test(text)) {
    try {
      const parsed = JSON.parse(body.toString("utf8"));
      const message = parsed?.error?.message ?? parsed?.message ?? parsed?.error ?? parsed?.error_description;
      if (typeof message === "string") { text = message; }
    } catch { /* not whole JSON: keep the text */ }
  }
  if (/html/i.test(contentType ?? "") || /^\s*</.test(text)) {
    text = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ");
  }
  text = text.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  return markVendorText(text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT - 1)}…` : text);
}

/** The message of a final failure; `who` names the destination (e.g. "Zapier"). */
export function failureMessage(failure: HttpFailure, retryable: boolean, who?: string): string {
  const name = who ?? `The server at ${failure.host}`;
  const tries = failure.attempts > 1 ? ` (tried ${failure.attempts} times)` : "";
  const later = retryable ? " It may be down or busy; try again later." : "";
  if (failure.status !== undefined) {
    const said = failure.excerpt ? `: "${failure.excerpt}"` : "";
    return `${name} answered HTTP ${failure.status}${said}${tries}.${later}`;
  }
  const found = networkFailure({ code: failure.code, overPlainHttp: failure.plainHttp });
  if (found) { return networkMessage(name, { ...found, transient: retryable }, failure.attempts); }
  return `${name} could not be reached: the connection failed${tries}.${later}`;
}

/** A connection that cannot succeed as it is (a certificate problem, https to a plain-http port, no such host). */
export class HttpConnectionError extends UserError {
  constructor(message: string, readonly failure: HttpFailure) { super(message); }
}
