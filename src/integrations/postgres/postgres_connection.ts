// The admin's connection URL (`postgres://user:password@host:port/database?sslmode=...`) as
// pg's client settings: the host checked by the private-address guard (and the checked address
// dialled), TLS as `sslmode` asks with libpq's meanings, every wait bounded. Only the URL's own
// parts are read: parameters that name files on the hub (sslcert, sslkey, sslrootcert) are refused.
import type { ClientConfig } from "pg";
import * as net from "net";
import { checkServerIdentity, ConnectionOptions } from "tls";
import { UserError } from "../../lib/errors";
import { hostOf, UrlGuard } from "../../lib/url_guard";

export type SslMode = "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
const SSL_MODES: readonly SslMode[] = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];
const FILE_PARAMS = ["sslcert", "sslkey", "sslrootcert", "sslcrl", "passfile", "service"];

export interface PostgresUrl {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  sslMode: SslMode;
}

const USAGE = "It should look like postgres://user:password@db.example.com:5432/analytics?sslmode=verify-full " +
  "(special characters in the password percent-encoded).";

function decoded(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new UserError(`The ${what} in the PostgreSQL connection URL is not valid percent-encoding. ${USAGE}`);
  }
}

/** The URL's parts; a UserError (that never repeats the URL, which holds the password) when it is not one. */
export function parsePostgresUrl(text: string | undefined): PostgresUrl {
  const typed = (text ?? "").trim();
  if (!typed) { throw new UserError(`The PostgreSQL connection URL setting is empty. ${USAGE}`); }
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    throw new UserError(`The PostgreSQL connection URL is not a URL. ${USAGE}`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new UserError(`The PostgreSQL connection URL must start with postgres:// or postgresql://. ${USAGE}`);
  }
  const host = hostOf(url);
  if (!host) { throw new UserError(`The PostgreSQL connection URL has no host. ${USAGE}`); }
  const user = decoded(url.username, "user name");
  if (!user) { throw new UserError(`The PostgreSQL connection URL has no user name. ${USAGE}`); }
  const fileParam = FILE_PARAMS.find((p) => url.searchParams.has(p));
  if (fileParam) {
    throw new UserError(`The PostgreSQL connection URL names a file on the hub (${fileParam}), which this hub ` +
      "does not read. Paste the server's CA certificate into the \"CA certificate\" setting instead.");
  }
  const sslMode = (url.searchParams.get("sslmode") ?? "prefer").toLowerCase();
  if (!(SSL_MODES as readonly string[]).includes(sslMode)) {
    throw new UserError(`The PostgreSQL connection URL's sslmode "${sslMode}" is not one of ` +
      `${SSL_MODES.join(", ")}.`);
  }
  const database = decoded(url.pathname.replace(/^\//, ""), "database name") || user;
  return {
    host, port: url.port ? Number(url.port) : 5432, user,
    password: url.password ? decoded(url.password, "password") : undefined, database, sslMode: sslMode as SslMode,
  };
}

/** host:port, for messages (never the user or password). */
export function describeServer(url: PostgresUrl): string {
  return `${url.host.includes(":") ? `[${url.host}]` : url.host}:${url.port}`;
}

export interface ConnectionSettings {
  guard: UrlGuard;
  connectTimeoutMs: number;
  /** The admin's CA certificate (PEM), trusted besides the system's for verify-ca and verify-full. */
  caCertificate?: string;
}

/** TLS options for a mode, or false for none; prefer and allow start with TLS (see connectionConfigs). */
function tlsOptions(url: PostgresUrl, ca: string | undefined): false | ConnectionOptions {
  if (url.sslMode === "disable") { return false; }
  const servername = net.isIP(url.host) ? undefined : url.host;
  const verify = url.sslMode === "verify-ca" || url.sslMode === "verify-full" ||
    (url.sslMode === "require" && ca !== undefined);
  if (!verify) { return { rejectUnauthorized: false, servername }; }
  return {
    rejectUnauthorized: true, servername, ca: ca ? [ca] : undefined, minVersion: "TLSv1.2",
    // verify-full: the certificate names the URL's host (whatever address was dialled); verify-ca
    // (and require with a CA, as libpq): the chain is checked, not the name.
    checkServerIdentity: url.sslMode === "verify-full" ? (_name, cert) => checkServerIdentity(url.host, cert)
      : () => undefined,
  };
}

/**
 * The client settings to try in order: one, or for prefer and allow a TLS one then a plain one
 * (taken only when the server says it has no TLS). The host is checked by the guard first.
 */
export async function connectionConfigs(url: PostgresUrl, settings: ConnectionSettings): Promise<ClientConfig[]> {
  let address: string | undefined;
  try {
    address = await settings.guard.checkHost(url.host);
  } catch (err) {
    if (err instanceof UserError) {
      throw new UserError(`The PostgreSQL connection URL was refused. ${err.message.replace(/URL's host/g, "host")} ` +
        "Warehouses often live on a private network: the hub's admin can allow its address with PRIVATE_URL_ALLOWLIST.");
    }
    throw err;
  }
  const ca = settings.caCertificate?.trim() || undefined;
  const base: ClientConfig = {
    host: address ?? url.host, port: url.port, user: url.user, password: url.password ?? "", database: url.database,
    connectionTimeoutMillis: settings.connectTimeoutMs, keepAlive: true, application_name: "looker-integration-service",
  };
  const ssl = tlsOptions(url, ca);
  const first = { ...base, ssl };
  return url.sslMode === "prefer" || url.sslMode === "allow" ? [first, { ...base, ssl: false }] : [first];
}
