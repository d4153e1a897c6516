// Zapier and Tray only post to their own vendor's webhook hosts, so a form cannot be used to
// send data anywhere else under their name.
import { UserError } from "../../lib/errors";

/** True when the host is one of the domains or a subdomain of one. */
export function hostIsUnder(host: string, domains: string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return domains.some((d) => {
    const domain = d.toLowerCase().replace(/^\*?\./, "");
    return h === domain || h.endsWith(`.${domain}`);
  });
}

/** Refuses a URL outside the vendor's hosts, with a message naming the hosts accepted. */
export function requireVendorHost(
  raw: string, domains: string[], vendor: string, example: string, field: string,
): void {
  let host = "";
  try {
    host = new URL(raw.trim()).hostname;
  } catch {
    host = "";
  }
  if (host && hostIsUnder(host, domains)) { return; }
  const accepted = domains.map((d) => `${d} (or a subdomain)`).join(", ");
  const message = `${vendor} webhook URLs must be on ${accepted}, such as ${example}; ` +
    (host ? `this URL's host is ${host}.` : "this is not a valid URL.") + ` Copy the URL from ${vendor}.`;
  throw new UserError(message, { [field]: message });
}
