// The SMTP relay a mail goes through (an `email` delivery, SageMaker's status mails): the admin's
// smtp_url (user-typed, so its host passes the private-address guard) or the hub-wide SMTP_URL
// (operator-configured, trusted), made into nodemailer options. TLS is always verified: smtps://
// is TLS from the first byte; smtp:// must upgrade with STARTTLS unless the URL says
// `?starttls=optional` (upgrade when offered) or `?starttls=off` (a plain relay inside the
// network, e.g. a local Postfix).
import * as net from "net";
import { UserError } from "../../lib/errors";
import { UrlGuard } from "../../lib/url_guard";

export interface SmtpTarget {
  url: string;
  /** PEM of a private CA to trust besides the system's. */
  caCertificate?: string;
  /** True for the hub-wide SMTP_URL: the operator chose it, so the guard does not apply. */
  trusted: boolean;
}

export interface SmtpConnection {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  ignoreTLS: boolean;
  user?: string;
  pass?: string;
}

function refuse(message: string): never {
  throw new UserError(`${message} Ask your Looker admin to correct the SMTP URL of the Email action.`);
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return refuse("The SMTP URL's user name or password is not valid URL encoding.");
  }
}

/** Parses `smtps://user:pass@host:465` or `smtp://host:587?starttls=optional`. */
export function parseSmtpUrl(raw: string): SmtpConnection {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return refuse("The SMTP URL is not valid: it should look like smtps://user:password@smtp.example.com.");
  }
  const secure = url.protocol === "smtps:";
  if (!secure && url.protocol !== "smtp:") { refuse("The SMTP URL must start with smtps:// or smtp://."); }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) { refuse("The SMTP URL has no host name."); }
  const starttls = (url.searchParams.get("starttls") ?? "required").toLowerCase();
  if (!["required", "optional", "off"].includes(starttls)) {
    refuse(`The SMTP URL's starttls must be required, optional or off; it is "${starttls}".`);
  }
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && starttls === "required",
    ignoreTLS: !secure && starttls === "off",
    user: url.username ? decoded(url.username) : undefined,
    pass: url.password ? decoded(url.password) : undefined,
  };
}

/** The relay's host and port for messages: never the credentials. */
export function describeSmtp(connection: SmtpConnection): string {
  const host = connection.host.includes(":") ? `[${connection.host}]` : connection.host;
  return `${host}:${connection.port}`;
}

export interface TransportSettings {
  guard: UrlGuard;
  timeoutMs: number;
}

/** nodemailer SMTP options for the target, its host checked (and pinned) when user-typed. */
export async function transportOptions(target: SmtpTarget, connection: SmtpConnection, settings: TransportSettings) {
  let address: string | undefined;
  if (!target.trusted) {
    try {
      address = await settings.guard.checkHost(connection.host);
    } catch (err) {
      if (err instanceof UserError) {
        throw new UserError(`The SMTP URL of the Email action was refused. ${err.message}`);
      }
      throw err;
    }
  }
  return {
    // Connect to the address the guard checked; the certificate is still checked against the name.
    host: address ?? connection.host,
    port: connection.port,
    secure: connection.secure,
    requireTLS: connection.requireTLS,
    ignoreTLS: connection.ignoreTLS,
    auth: connection.user ? { user: connection.user, pass: connection.pass ?? "" } : undefined,
    tls: {
      rejectUnauthorized: true,
      minVersion: "TLSv1.2" as const,
      servername: net.isIP(connection.host) ? undefined : connection.host,
      ca: target.caCertificate ? [target.caCertificate] : undefined,
    },
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    // A little longer than the greeting's: a server that never greets is then said to be one (both
    // timers start with the connection, and the socket's used to win the race now and then).
    socketTimeout: settings.timeoutMs + 500,
    dnsTimeout: settings.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  };
}
