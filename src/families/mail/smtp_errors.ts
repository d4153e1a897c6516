// What a failed SMTP conversation ends in, in words for the Looker user: which step failed, what
// the server said (its reply line, cleaned), and what to do. Temporary failures (4xx replies, a
// dropped or silent connection) are retryable errors; the rest are for the admin or user to fix.
import { RetryableError, UserError } from "../../lib/errors";
import { isTlsFailure, NetworkFailure, networkFailure } from "../../lib/network_errors";

export interface SmtpErrorContext {
  /** host:port of the relay. */
  server: string;
  timeoutSeconds: number;
  /** HTTP_TOTAL_TIMEOUT_SECONDS: the longest one conversation may take. */
  totalSeconds: number;
  /** Whether the URL is smtps:// (TLS from the first byte). */
  secure?: boolean;
}

interface NodemailerError extends Error {
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  rejected?: string[];
}

/** The server's reply, one line, without control characters, at most 200 characters. */
export function cleanReply(reply: string | undefined): string {
  const text = (reply ?? "").replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function said(reply: string | undefined): string {
  const text = cleanReply(reply);
  return text ? ` (it said "${text}")` : "";
}

const PRIVATE_CA_FIX = "If the relay uses a certificate from a private CA, ask your Looker admin to paste that CA's " +
  "PEM into the Email action's SMTP CA Certificate setting (or set SMTP_CA_CERTIFICATE for the hub-wide SMTP_URL).";

/** A failure of the secure connection (network_errors.ts's table), worded for a relay. */
function tlsProblem(server: string, found: NetworkFailure): UserError {
  if (found.kind === "tls" && /speak https/.test(found.what)) {
    return new UserError(`${server} does not speak TLS on that port (a plain SMTP port?). Use smtps:// only for a ` +
      "port that is TLS from the first byte (465); for 587 or 25 use smtp://, which upgrades with STARTTLS.");
  }
  if (found.kind === "tls") {
    return new UserError(`${server} could not set up a secure (TLS) connection. ${found.fix}`);
  }
  const fix = found.kind === "certificate_untrusted" || found.kind === "certificate" ? PRIVATE_CA_FIX : found.fix;
  return new UserError(`${server}'s TLS certificate could not be verified: ${found.what}. ${fix}`);
}

/** Maps a nodemailer failure to a UserError or RetryableError; anything unknown is rethrown as is. */
export function explainSmtpError(err: unknown, context: SmtpErrorContext): Error {
  // An aborted send carries why: the conversation's deadline, or the delivery's end (Looker hung up).
  const e = ((err as NodemailerError)?.code === "EABORT" ? (err as { cause?: unknown }).cause : err) as NodemailerError;
  if (!e || typeof e !== "object" || typeof e.code !== "string") { return e as Error; }
  const server = `The SMTP server ${context.server}`;
  if (e.code === "total_timeout") {
    return new RetryableError(`${server} did not finish the conversation within ${context.totalSeconds} ` +
      "seconds the hub allows (HTTP_TOTAL_TIMEOUT_SECONDS): it answered too slowly, so the email was not confirmed " +
      "as sent. Try again later; if it keeps happening, ask your admin to check the relay.");
  }
  const temporary = typeof e.responseCode === "number" && e.responseCode >= 400 && e.responseCode < 500;
  const fail = (message: string) =>
    temporary ? new RetryableError(`${message} Try again later.`) : new UserError(message);
  const found = networkFailure(e);
  if (found && isTlsFailure(found)) {
    return tlsProblem(server, found);
  }
  switch (e.code) {
    case "EAUTH":
      return fail(`${server} refused the login${said(e.response)}. Ask your Looker admin to check the user ` +
        "name and password in the SMTP URL (many providers want an app password or API key here).");
    case "ENOAUTH":
      return new UserError(`${server} requires a login. Ask your Looker admin to put the user name and ` +
        "password into the SMTP URL, as smtps://user:password@host.");
    case "EENVELOPE": {
      const who = e.rejected?.length ? `the recipient${e.rejected.length > 1 ? "s" : ""} ${e.rejected.join(", ")}`
        : e.command === "MAIL FROM" ? "the sender address" : "the message's addresses";
      return fail(`${server} refused ${who}${said(e.response)}, so nothing was sent. Check the addresses` +
        (e.command === "MAIL FROM" ? " (the relay may not allow this sender)." : "."));
    }
    case "EMESSAGE":
      return fail(`${server} refused the message${said(e.response)}. If it mentions size, the relay's limit is ` +
        "lower than the hub's: ask your admin to lower EMAIL_MAX_ATTACHMENT_BYTES.");
    case "ETIMEDOUT": {
      const greeting = e.command === "CONN" && /greeting/i.test(e.message);
      // A TLS-only port (465) waits for a TLS hello and never greets a plain smtp:// client.
      const tlsPort = greeting && context.secure === false ? " If the port is a TLS-only one (465), the URL must " +
        "start with smtps://." : "";
      return new RetryableError(`${server} did not answer within ${context.timeoutSeconds} seconds ` +
        `(${greeting ? "no greeting" : "it went silent"}). ` +
        `It may be down or busy; try again later, or ask your admin to check the SMTP URL and port.${tlsPort}`);
    }
    case "ECONNECTION":
    case "ESOCKET": {
      const refused = e.originalCode === "ECONNREFUSED" || /ECONNREFUSED/.test(e.message);
      return new RetryableError(refused
        ? `${server} refused the connection. Check the host and port in the SMTP URL, or try again later.`
        : `${server} closed the connection before the email was accepted${said(e.response)}. Nothing was ` +
          "delivered; try again later.");
    }
    case "EDNS":
      return new UserError(`${server}'s host name could not be found. Check the SMTP URL for typos.`);
    case "ETLS":
    case "EREQUIRETLS":
      return new UserError(`${server} could not start an encrypted connection${said(e.response)}. The hub ` +
        "requires TLS: use smtps:// (port 465) or a relay that offers STARTTLS; only a relay inside your " +
        "network should be configured with ?starttls=off.");
    case "EPROTOCOL":
      return new UserError(`${server} does not speak SMTP as expected${said(e.response)}. Check the port in ` +
        "the SMTP URL (465 for smtps://, 587 or 25 for smtp://).");
    default:
      return err as Error;
  }
}
