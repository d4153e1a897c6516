// Addresses and header values of an email, checked before anything is sent. Every value that
// becomes a header (to, cc, from, subject, the file name) is refused when it holds a line break:
// a CR or LF there would let a form value add headers or recipients of its own.
import { UserError } from "../../lib/errors";

export interface MailAddress {
  email: string;
  name?: string;
}

// A practical address: dot-atom local part, a domain of labels with a letter TLD (or an IP literal
// would need brackets, which no relay of a business user needs). Quoted local parts are refused.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** True when `email` is a plain address a relay accepts: local@domain.tld. */
export function isValidEmail(email: string): boolean {
  if (email.length > 254) { return false; }
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1) { return false; }
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split(".");
  if (local.length > 64 || !LOCAL.test(local) || labels.length < 2) { return false; }
  return labels.every((l) => LABEL.test(l)) && TLD.test(labels[labels.length - 1]);
}

/** Refuses line breaks (and other control characters) in a value that becomes a header. */
export function headerSafe(value: string, label: string, field: string): string {
  if (/[\r\n]/.test(value)) {
    const message = `${label} may not contain a line break. Put it on one line.`;
    throw new UserError(message, { [field]: message });
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) {
    const message = `${label} contains a control character. Retype it.`;
    throw new UserError(message, { [field]: message });
  }
  return value;
}

/** One address, `ada@example.com` or `Ada Lovelace <ada@example.com>`. */
function parseOne(text: string): MailAddress | undefined {
  const named = /^(.*?)\s*<([^<>\s]+)>$/.exec(text);
  const email = (named ? named[2] : text).trim();
  if (!isValidEmail(email)) { return undefined; }
  const name = named ? named[1].trim().replace(/^"(.*)"$/, "$1").trim() : "";
  if (/["<>]/.test(name)) { return undefined; }
  return name ? { email, name } : { email };
}

/**
 * The addresses of a comma- (or semicolon-) separated list, each validated; the message names
 * the first bad one. An empty list is an error when `required`.
 */
export function parseAddressList(
  raw: string | undefined, label: string, field: string, required: boolean,
): MailAddress[] {
  const text = headerSafe(raw ?? "", label, field).trim();
  const parts = text ? text.split(/[,;]/).map((p) => p.trim()).filter(Boolean) : [];
  if (!parts.length) {
    if (!required) { return []; }
    const message = `${label} needs at least one email address.`;
    throw new UserError(message, { [field]: message });
  }
  const out: MailAddress[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const address = parseOne(part);
    if (!address) {
      const message = `"${part}" in ${label} is not a valid email address (it should look like name@example.com).`;
      throw new UserError(message, { [field]: message });
    }
    if (!seen.has(address.email.toLowerCase())) { out.push(address); }
    seen.add(address.email.toLowerCase());
  }
  return out;
}

/** One sender address (`from`); the message says where it came from. */
export function parseSender(raw: string, label: string, field: string): MailAddress {
  const list = parseAddressList(raw, label, field, true);
  if (list.length > 1) {
    const message = `${label} must be a single email address.`;
    throw new UserError(message, { [field]: message });
  }
  return list[0];
}

/** `Ada <ada@example.com>` or `ada@example.com`, for messages and nodemailer. */
export function formatAddress(address: MailAddress): string {
  return address.name ? `"${address.name}" <${address.email}>` : address.email;
}
