// Calls to Facebook's Graph API (Marketing API) with the user's token: `Authorization: Bearer`
// and `appsecret_proof` (an HMAC of the token under the app secret, which apps that require it
// refuse calls without). Graph errors become sentences: an expired or revoked token (code 190)
// asks for a new login, missing permissions and the Custom Audience terms say what to do, rate
// limits may succeed later. Messages never carry row data.
import * as crypto from "crypto";
import { FacebookSettings } from "../../config/ads";
import { TokenRejectedError } from "../../hub/oauth/login_errors";
import { RetryableError, UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { Logger } from "../../lib/logger";

export interface GraphCall {
  method?: "GET" | "POST";
  /** Path under the version, without the leading slash: "me/adaccounts". */
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  /** The JSON body made already (a row upload's records as a row worker serialised them), instead of `json`. */
  body?: string | Buffer;
  /** What the call is about, for messages: "the ad account act_123". */
  what: string;
}

interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_msg?: string;
}

/** Graph codes of a rate limit: the call may work later. */
const RATE_LIMITS = new Set([4, 17, 32, 341, 613, 80003, 80004]);
/** Graph codes of a missing permission (on the app's login or on the ad account). */
const PERMISSIONS = new Set([10, 200, 272, 294]);
/** Subcodes of the Custom Audience terms not accepted for the ad account. */
const TERMS = new Set([1870034, 1870047, 1870090]);

export class GraphApi {
  constructor(private readonly http: HttpClient, private readonly settings: FacebookSettings,
              private readonly logger?: Logger) {}

  url(path: string, query: Record<string, string | undefined> = {}): URL {
    const url = new URL(`${this.settings.graphUrl}/${this.settings.apiVersion}/${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) { url.searchParams.set(key, value); }
    }
    return url;
  }

  async call<T = any>(token: string, call: GraphCall): Promise<T> {
    const url = this.url(call.path, call.query);
    const secret = this.settings.client?.clientSecret;
    if (secret) {
      url.searchParams.set("appsecret_proof", crypto.createHmac("sha256", secret).update(token).digest("hex"));
    }
    const body = call.body ?? (call.json === undefined ? undefined : JSON.stringify(call.json));
    const response = await this.http.request({
      url, method: call.method ?? (body ? "POST" : "GET"), body, trusted: true, who: "Facebook", logger: this.logger,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      acceptStatus: (s) => s < 500 && s !== 429,
      maxResponseBytes: 2 * 1024 * 1024,
    });
    let answer: any;
    try { answer = response.body.length ? response.json() : {}; } catch { answer = undefined; }
    if (response.status >= 200 && response.status < 300 && answer && !answer.error) { return answer as T; }
    throw graphFailure(response.status, answer?.error, call.what);
  }
}

function said(error: GraphError): string {
  const text = (error.error_user_msg || error.message || "").replace(/\s+/g, " ").slice(0, 200);
  return text ? `: ${text}` : "";
}

/** The sentence for a Graph error. */
export function graphFailure(status: number, error: GraphError | undefined, what: string): Error {
  const e: GraphError = error && typeof error === "object" ? error : {};
  const code = Number(e.code);
  if (code === 190 || status === 401 || /OAuthException/.test(e.type ?? "") && code === 102) {
    return new TokenRejectedError(`Facebook no longer accepts your login${said(e)}.`);
  }
  const terms = /terms/i.test(e.message ?? "") && /custom audience/i.test(e.message ?? "");
  if (TERMS.has(Number(e.error_subcode)) || terms) {
    return new UserError(`Facebook refused ${what}: the Custom Audience terms have not been accepted for this ad ` +
      "account. An admin of the ad account must accept them in Meta Ads Manager (Audiences > Create audience > " +
      "Custom audience > Customer list shows the terms), then send again.");
  }
  if (PERMISSIONS.has(code) || status === 403) {
    return new UserError(`Facebook refused ${what}: your login lacks the permission (code ${code || status}` +
      `${said(e)}). Check that you have the Advertiser or Admin role on the ad account in Business Settings, ` +
      "then log in to Facebook again from the form and allow ads_management and business_management.");
  }
  if (RATE_LIMITS.has(code) || status === 429) {
    return new RetryableError(`Facebook is limiting calls to ${what} right now (code ${code || status}). ` +
      "Try again later or schedule the delivery at a quieter time.");
  }
  if (!error) {
    return new RetryableError(`Facebook sent an answer that could not be read for ${what} (HTTP ${status}). ` +
      "Try again later.");
  }
  return new UserError(`Facebook refused ${what} (code ${code || status}${said(e)}). Check the form's choices ` +
    "and try again.");
}

/** Pages of 100 read at most per list (10,000 entries). */
const MAX_PAGES = 100;

/** Every entry of a paged Graph list (`paging.cursors.after`). */
export async function pages(graph: GraphApi, token: string, path: string, fields: string, what: string)
    : Promise<any[]> {
  const all: any[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await graph.call(token, { path, query: { fields, limit: "100", after }, what });
    all.push(...(Array.isArray(answer.data) ? answer.data : []));
    after = answer.paging?.next ? answer.paging?.cursors?.after : undefined;
    if (!after) { break; }
  }
  return all;
}
