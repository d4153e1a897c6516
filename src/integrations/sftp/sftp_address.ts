// The SFTP form's `address` (sftp://host[:port]/path/) and the server's host key fingerprint.
import * as crypto from "crypto";
import { UserError } from "../../lib/errors";

export interface SftpAddress {
  host: string;
  port: number;
  /** The folder to write into, ending in a slash ("/" or "uploads/" relative to the login folder). */
  directory: string;
}

const FIELD = { address: "Use sftp://host/folder/ or sftp://host:2222/folder/." };

/** Parses `sftp://host[:port]/path/` (the scheme may be left out). */
export function parseSftpAddress(raw: string | undefined): SftpAddress {
  const text = (raw ?? "").trim();
  if (!text) { throw new UserError("The address is empty: give the server as sftp://host/folder/.", FIELD); }
  // A mistyped scheme (sftp:/host, sftp/host) would otherwise read as a host named "sftp".
  if (!text.includes("://") && /^(sftp[:/]|[a-z][a-z0-9+.-]*:\/)/i.test(text)) {
    throw new UserError("\"Address\" is not an SFTP address: write it as sftp://host[:port]/folder/.", FIELD);
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `sftp://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UserError("\"Address\" is not an SFTP address: write it as sftp://host[:port]/folder/.", FIELD);
  }
  if (url.protocol !== "sftp:") {
    throw new UserError("\"Address\" must start with sftp://.", FIELD);
  }
  if (!url.hostname) { throw new UserError("The address has no host name.", FIELD); }
  if (url.username || url.password) {
    throw new UserError("Put the user name and password in their own fields, not in the address.", FIELD);
  }
  const port = url.port ? Number(url.port) : 22;
  let directory = decodeURIComponent(url.pathname || "/");
  if (directory.split("/").includes("..")) {
    throw new UserError("The address's folder may not contain \"..\".", FIELD);
  }
  // `sftp://host/~/x/` means a folder below the login folder; SFTP paths without a leading slash are.
  if (directory.startsWith("/~/")) { directory = directory.slice(3); }
  if (!directory.endsWith("/")) { directory += "/"; }
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port, directory };
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${crypto.createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** The admin's fingerprint in the same form, or a UserError when it is not a SHA256 fingerprint. */
export function normaliseFingerprint(raw: string): string {
  const value = raw.trim().replace(/^sha256:/i, "").replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]{43}$/.test(value)) {
    throw new UserError("The host key fingerprint setting is not a SHA256 fingerprint: it looks like " +
      "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s (run ssh-keyscan host | ssh-keygen -lf - to get it).");
  }
  return `SHA256:${value}`;
}
