// What a dry run can learn of a URL a user typed (a webhook, an incoming-webhook of a chat tool)
// without writing: the URL passes the private-address guard, then gets one HEAD request, which
// by HTTP's rules reads and writes nothing. A receiver that answers it proves the address, TLS
// and route reachable; most receivers take only POST and refuse a HEAD (404, 405), and a POST
// may write, so the URL itself (its token, its hook id) is not proven, and the answer says so.
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { hostOf } from "../../lib/url_guard";
import { checkedUrl } from "./webhook_post";

/** What the dry runs of typed-URL integrations check, for their READMEs (docs/dry_run.md). */
export const WEBHOOK_DRY_RUN_CHECKS = "the settings and the form's values; the typed URL, which passes the " +
  "private-address guard and gets one HEAD request (it writes nothing: a connection, TLS or name that would fail " +
  "the delivery fails the dry run; a receiver that takes only POST refuses a HEAD, and the URL itself is then not " +
  "proven, since only a POST, which may write, would prove it); and the data Looker sent (bytes, rows, the first " +
  "row with its values masked)";

/** A read the vendor documents on the webhook's own URL (Discord's "Get Webhook with Token"): it proves the URL. */
export interface WebhookRead {
  /** What the read is called, e.g. "Get Webhook with Token". */
  name: string;
}

/**
 * Tries the typed URL with HEAD, or with the vendor's documented GET of it (`read`), which proves
 * the URL itself: a 401, 403 or 404 to it fails the dry run as the delivery would fail. Answers what
 * the receiver said, in a sentence for the dry run's report.
 */
export async function tryWebhookUrl(http: HttpClient, raw: string, field: string, who: string,
                                    read?: WebhookRead): Promise<string> {
  const url = await checkedUrl(http, raw, field);
  const method = read ? "GET" : "HEAD";
  const res = await http.request({ url, method, who, acceptStatus: () => true, maxAttempts: 1 });
  if (read && res.status < 300) { return `${who} knows the webhook: its "${read.name}" (a GET) answered ${res.status}`; }
  if (read && [401, 403, 404].includes(res.status)) {
    const said = `${who} answered "${read.name}" (a GET of the URL, which writes nothing) with ${res.status}: the ` +
      "webhook's id or token in the URL is wrong, or the webhook was deleted, so the delivery would be refused too. " +
      "Copy the URL again.";
    throw new UserError(`Dry run: ${said}`, { [field]: said });
  }
  const answered = `the URL's server (${hostOf(url)}) answered a ${method} request with ${res.status}`;
  if (res.status < 300) {
    return `${answered}: the address is reachable and the URL exists (a HEAD writes nothing; that it takes ` +
      "the delivery's POST is not proven)";
  }
  if (res.status < 400) { return `${answered} (a redirect): the address is reachable; the URL itself is not proven`; }
  return `${answered}: the address is reachable, but receivers that take only POST refuse a HEAD, so the URL ` +
    "itself (its path or token) is not proven; only the delivery's POST would prove it, and a POST may write, so the " +
    "dry run sends none";
}
