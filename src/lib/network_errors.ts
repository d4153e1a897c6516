// Network and TLS failures in words: the one place that tells what went wrong on the way to a
// destination (refused, reset, timed out, a name that does not resolve, every kind of certificate
// problem, a plain-http server behind an https URL) and what the person can do about it. The
// shared HTTP client and the SDK-based clients (object stores, SFTP, SMTP, Slack) all ask here,
// so the same fault reads the same everywhere and none reaches Looker as "internal error".
import { RetryableError, UserError } from "./errors";

export type NetworkFailureKind =
  | "refused" | "reset" | "timeout" | "unreachable" | "dns" | "dns_temporary"
  | "certificate_untrusted" | "certificate_expired" | "certificate_name" | "certificate" | "tls";

export interface NetworkFailure {
  kind: NetworkFailureKind;
  /** The system's or TLS library's code, for the log ("ECONNREFUSED", "CERT_HAS_EXPIRED"). */
  code: string;
  /** Worth another attempt: the connection broke, not the destination's setup. */
  transient: boolean;
  /** What happened, as the end of "… could not be reached: <what>". */
  what: string;
  /** What to do, one sentence, or "" when waiting is the answer. */
  fix: string;
}

/** Where an admin reads how to make the hub trust a private certificate authority. */
export const PRIVATE_CA_DOC = "docs/operations.md, \"Trusting a private certificate authority\"";

const UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_UNTRUSTED", "INVALID_CA",
  "CERT_SIGNATURE_FAILURE", "UNABLE_TO_DECRYPT_CERT_SIGNATURE", "CERT_CHAIN_TOO_LONG", "PATH_LENGTH_EXCEEDED",
]);
const EXPIRED = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const OTHER_CERTIFICATE = new Set([
  "CERT_REVOKED", "CERT_REJECTED", "INVALID_PURPOSE", "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", "ERR_TLS_CERT_SIGNATURE",
]);
const TIMEOUTS = new Set([
  "ETIMEDOUT", "ESOCKETTIMEDOUT", "connect_timeout", "idle_timeout", "total_timeout", "TimeoutError",
  "RequestTimeout", "ERR_TIMEOUT",
]);
const RESETS = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE", "UND_ERR_SOCKET"]);
const UNREACHABLE = new Set(["EHOSTUNREACH", "ENETUNREACH", "ENETDOWN", "EHOSTDOWN", "EADDRNOTAVAIL"]);

/** Codes some clients leave only inside their message. */
const CODE_IN_WORDS = new RegExp("\\b(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|" +
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID|ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\\b");

const PLAIN_HTTP_FIX = "If the server speaks only https on that port, the address must start with https://.";

/**
 * Marks `err` as the failure of a plain-http (http://) request to a server that has not answered
 * yet (`answeredBefore` false), for the fix `networkFailure` gives: a connection cut after answers
 * is not a TLS-only port.
 */
export function overPlainHttp<T>(err: T, url: string | undefined, answeredBefore = false): T {
  if (!answeredBefore && err && typeof err === "object" && /^http:/i.test(url ?? "")) {
    (err as { overPlainHttp?: boolean }).overPlainHttp = true;
  }
  return err;
}

const TRUST_FIX = "If the server is yours, give it a certificate from a public certificate authority, or " +
  `have the hub's admin trust your own authority (${PRIVATE_CA_DOC}).`;

function failure(
  kind: NetworkFailureKind, code: string, transient: boolean, what: string, fix: string,
): NetworkFailure {
  return { kind, code, transient, what, fix };
}

function fromCode(code: string, message: string): NetworkFailure | undefined {
  if (UNTRUSTED.has(code)) {
    const self = code === "DEPTH_ZERO_SELF_SIGNED_CERT" || code === "SELF_SIGNED_CERT_IN_CHAIN";
    return failure("certificate_untrusted", code, false, self
      ? "its certificate is self-signed, so the hub cannot tell it from an impostor"
      : "its certificate is signed by a certificate authority the hub does not trust (a private one?)", TRUST_FIX);
  }
  if (EXPIRED.has(code)) {
    return failure("certificate_expired", code, false, code === "CERT_HAS_EXPIRED"
      ? "its certificate has expired" : "its certificate is not valid yet",
    "Whoever runs the server must renew its certificate (or set its clock right).");
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "HOSTNAME_MISMATCH") {
    return failure("certificate_name", code, false, "its certificate is for another name",
      "Use the host name the server's certificate names, or have its certificate cover this one.");
  }
  if (OTHER_CERTIFICATE.has(code)) {
    return failure("certificate", code, false, "its certificate was refused", TRUST_FIX);
  }
  if (code === "EPROTO" || code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_")) {
    if (/wrong version number|WRONG_VERSION_NUMBER|packet length too long|http request/i.test(`${code} ${message}`)) {
      return failure("tls", code, false, "it does not speak https on that port (a plain-http server?)",
        "Check the URL: its scheme (https:// or http://) and port must be what the server serves.");
    }
    return failure("tls", code, false, "the secure (TLS) connection could not be set up",
      "The server may require a TLS version or cipher the hub does not offer; check its TLS settings.");
  }
  if (code === "ECONNREFUSED") {
    return failure("refused", code, true, "the connection was refused",
      "Check the address and port, and that the server is running.");
  }
  if (RESETS.has(code)) {
    return failure("reset", code, true, "the connection was closed unexpectedly", "");
  }
  if (TIMEOUTS.has(code)) {
    const what = code === "connect_timeout" ? "it did not accept a connection in time"
      : code === "idle_timeout" ? "it stopped answering"
        : code === "total_timeout" ? "the request took longer than allowed" : "it did not answer in time";
    return failure("timeout", code, true, what, "");
  }
  if (UNREACHABLE.has(code)) {
    return failure("unreachable", code, true, "there is no network route to it", "");
  }
  if (code === "ENOTFOUND") {
    return failure("dns", code, false, "its host name does not exist (it does not resolve)",
      "Check the host name for typos.");
  }
  if (code === "EAI_AGAIN") {
    return failure("dns_temporary", code, true, "its host name could not be resolved right now", "");
  }
  return undefined;
}

/**
 * The network or TLS failure behind `err`, looking through the wrappers SDKs put around it
 * (`cause`, the shared client's `failure.code`, nodemailer's `originalCode`), or undefined when
 * `err` is not one.
 */
export function networkFailure(err: unknown): NetworkFailure | undefined {
  const found = findFailure(err, 0);
  // A TLS-only port closes at once on a plain-http request: over http://, a cut connection says so.
  if (found?.kind === "reset" && (err as { overPlainHttp?: unknown } | undefined)?.overPlainHttp === true) {
    return { ...found, fix: PLAIN_HTTP_FIX };
  }
  return found;
}

function findFailure(err: unknown, depth: number): NetworkFailure | undefined {
  if (!err || typeof err !== "object" || depth > 5) { return undefined; }
  const e = err as {
    code?: unknown; name?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown;
    failure?: { code?: unknown };
  };
  const message = typeof e.message === "string" ? e.message : "";
  for (const candidate of [e.code, e.originalCode, e.failure?.code, e.name]) {
    if (typeof candidate !== "string" || !candidate) { continue; }
    const found = fromCode(candidate, message);
    if (found) { return found; }
  }
  if (message === "socket hang up") { return fromCode("ECONNRESET", message); }
  // Some clients keep only the words (nodemailer's TLS failures, the AWS SDK's wrapped errors).
  const named = CODE_IN_WORDS.exec(message);
  if (named) { return fromCode(named[1], message); }
  if (/self[- ]signed certificate/i.test(message)) { return fromCode("DEPTH_ZERO_SELF_SIGNED_CERT", message); }
  if (/unable to verify the first certificate/i.test(message)) {
    return fromCode("UNABLE_TO_VERIFY_LEAF_SIGNATURE", message);
  }
  if (/certificate has expired/i.test(message)) { return fromCode("CERT_HAS_EXPIRED", message); }
  if (/wrong version number/i.test(message)) { return fromCode("EPROTO", message); }
  return findFailure(e.cause, depth + 1);
}

/**
 * "<who> could not be reached: <what> (tried N times). <fix>" — `who` names the destination
 * ("The server at hooks.example.com", "Zapier"); `retryable` adds that a later try may work.
 */
export function networkMessage(who: string, found: NetworkFailure, attempts = 1): string {
  const tries = attempts > 1 ? ` (tried ${attempts} times)` : "";
  const later = found.transient ? " It may be down or busy; try again later." : "";
  const fix = found.fix ? ` ${found.fix}` : "";
  const reached = isTlsFailure(found) ? "could not be reached safely"
    : "could not be reached";
  return `${who} ${reached}: ${found.what}${tries}.${later}${fix}`;
}

/**
 * `err` as the hub's error when it is a network or TLS failure (a RetryableError when another try
 * may work, else a UserError), worded by `networkMessage`; undefined for any other error.
 */
export function networkError(err: unknown, who: string, attempts = 1): UserError | undefined {
  const found = networkFailure(err);
  if (!found) { return undefined; }
  const message = networkMessage(who, found, attempts);
  return found.transient ? new RetryableError(message) : new UserError(message);
}

/** True for the failures of the secure connection itself (certificates, TLS on the wrong port). */
export function isTlsFailure(found: NetworkFailure): boolean {
  return found.kind.startsWith("certificate") || found.kind === "tls";
}
