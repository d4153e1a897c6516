// Calls to the Google Ads API (REST, GOOGLE_ADS_API_VERSION) with the user's token: the
// developer-token header (the hub's), `login-customer-id` (the account the user logs in through,
// a manager for its clients) and Bearer. GoogleAdsFailure errors become sentences: a refused
// token is refreshed once (TokenRejectedError), a missing permission, an unapproved developer
// token and Customer Match's policy refusals say who must do what; 429 and 5xx are retried by
// the shared client. Messages never carry row data.
import { GoogleAdsSettings } from "../../config/ads";
import { TokenRejectedError } from "../../hub/oauth/login_errors";
import { RetryableError, UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { Logger } from "../../lib/logger";

export interface AdsCall {
  /** Path under the version: "customers/123/userLists:mutate". */
  path: string;
  method?: "GET" | "POST";
  json?: unknown;
  /** The JSON body made already (a row upload's records as a row worker serialised them), instead of `json`. */
  body?: string | Buffer;
  /** What the call is about, for messages: "the account 123-456-7890". */
  what: string;
}

interface AdsError { errorCode?: Record<string, string>; message?: string; }

/** Error codes of Customer Match's terms and eligibility. */
const POLICY = /CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS|NOT_ON_ALLOWLIST|NOT_ALLOWLISTED|POLICY/;
const DEVELOPER_TOKEN = /DEVELOPER_TOKEN/;
const PERMISSION = /USER_PERMISSION_DENIED|CUSTOMER_NOT_ENABLED|ACTION_NOT_PERMITTED|PERMISSION_DENIED/;

/** "1234567890" as Google Ads shows it: "123-456-7890". */
export const dashed = (cid: string) => cid.replace(/^(\d{3})(\d{3})(\d{4})$/, "$1-$2-$3");

export class GoogleAdsApi {
  constructor(private readonly http: HttpClient, private readonly settings: GoogleAdsSettings,
              private readonly loginCid: string | undefined, private readonly logger?: Logger) {}

  async call<T = any>(token: string, call: AdsCall): Promise<T> {
    const body = call.body ?? (call.json === undefined ? undefined : JSON.stringify(call.json));
    const headers: Record<string, string> = { "authorization": `Bearer ${token}`,
      "developer-token": this.settings.developerToken ?? "" };
    if (this.loginCid) { headers["login-customer-id"] = this.loginCid; }
    if (body) { headers["content-type"] = "application/json"; }
    const response = await this.http.request({
      url: `${this.settings.apiUrl}/${this.settings.apiVersion}/${call.path}`, method: call.method ?? (body ? "POST" : "GET"),
      headers, body, trusted: true, who: "Google Ads", logger: this.logger,
      acceptStatus: (s) => s < 500 && s !== 429 && s !== 408, maxResponseBytes: 4 * 1024 * 1024,
    });
    let answer: any;
    try { answer = response.body.length ? response.json() : {}; } catch { answer = undefined; }
    if (response.status >= 200 && response.status < 300 && answer && typeof answer === "object") { return answer as T; }
    throw adsFailure(response.status, answer?.error, call.what);
  }

  /** Every row of a GAQL query (googleAds:search, all pages). */
  async search(token: string, cid: string, query: string, what: string, maxPages = 50): Promise<any[]> {
    const rows: any[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const answer = await this.call(token, { path: `customers/${cid}/googleAds:search`, what,
        json: pageToken ? { query, pageToken } : { query } });
      rows.push(...(Array.isArray(answer.results) ? answer.results : []));
      pageToken = typeof answer.nextPageToken === "string" && answer.nextPageToken ? answer.nextPageToken : undefined;
      if (!pageToken) { break; }
    }
    return rows;
  }
}

/** The GoogleAdsFailure errors of an error answer. */
export function adsErrors(error: any): AdsError[] {
  const details = Array.isArray(error?.details) ? error.details : [];
  return details.flatMap((d: any) => (Array.isArray(d?.errors) ? d.errors : []));
}

/** An error's code, e.g. "USER_PERMISSION_DENIED" (the value of its one errorCode entry). */
export function codeOf(error: AdsError): string {
  return Object.values(error.errorCode ?? {}).map(String)[0] ?? "";
}

function said(message: unknown): string {
  const text = typeof message === "string" ? message.replace(/\s+/g, " ").slice(0, 200) : "";
  return text ? `: ${text}` : "";
}

export function adsFailure(status: number, error: any, what: string): Error {
  const errors = adsErrors(error);
  const codes = errors.map(codeOf).join(" ");
  const first = errors[0]?.message ?? error?.message;
  if (status === 401) { return new TokenRejectedError(`Google Ads refused your login${said(first)}.`); }
  if (DEVELOPER_TOKEN.test(codes)) {
    return new UserError(`Google Ads refused the hub's developer token for ${what} (${codes}). Ask the hub's admin ` +
      "to check GOOGLE_ADS_DEVELOPER_TOKEN and its access level (API Center of the manager account).");
  }
  if (POLICY.test(codes)) {
    return new UserError(`Google Ads refused ${what} for Customer Match (${codes}${said(first)}). The account must ` +
      "accept the Customer Match terms and meet Google's Customer Match policy (Tools > Audience manager in " +
      "Google Ads); ask the account's admin to check, then send again.");
  }
  if (PERMISSION.test(codes) || status === 403) {
    return new UserError(`Google Ads refused ${what}: your login has no access to it (${codes || `HTTP ${status}`}). ` +
      "Choose an account your Google login can manage, or ask the account's admin for Standard or Admin access; " +
      "for a client of a manager account, log in through the manager account.");
  }
  if (status === 0 || error === undefined) {
    return new RetryableError(`Google Ads sent an answer that could not be read for ${what} (HTTP ${status}). ` +
      "Try again later.");
  }
  return new UserError(`Google Ads refused ${what} (${codes || error?.status || `HTTP ${status}`}${said(first)}). ` +
    "Check the form's choices and try again.");
}
