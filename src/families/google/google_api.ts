// JSON calls to Google's APIs with the user's access token, through the shared HTTP client. A 401
// becomes TokenRejectedError (the session refreshes once and repeats); other refusals become
// sentences (google_errors.ts); 429 and 5xx are retried by the client.
import { TokenRejectedError } from "../../hub/oauth/login_errors";
import { RetryableError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { Logger } from "../../lib/logger";
import { googleFailure } from "./google_errors";

export interface GoogleCall {
  method?: string;
  /** Path under the API's base URL, without the leading slash. */
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  /** A body that is JSON bytes already. */
  jsonBytes?: Buffer;
  headers?: Record<string, string>;
  /** Names what the call is about in failure messages ("the folder"). */
  what?: string;
  maxAttempts?: number;
  /** Statuses answered to the caller instead of failing. */
  accept?: (status: number) => boolean;
}

export class GoogleApi {
  constructor(
    private readonly http: HttpClient, readonly baseUrl: string, readonly api: string,
    private readonly logger?: Logger,
  ) {}

  url(path: string, query: Record<string, string | undefined> = {}): string {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) { url.searchParams.set(key, value); }
    }
    return url.toString();
  }

  async response(token: string, call: GoogleCall): Promise<HttpResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...call.headers };
    let body: string | Buffer | undefined;
    if (call.json !== undefined || call.jsonBytes !== undefined) {
      body = call.jsonBytes ?? JSON.stringify(call.json);
      headers["content-type"] = "application/json; charset=UTF-8";
    }
    const response = await this.http.request({
      url: this.url(call.path, call.query), method: call.method ?? (body ? "POST" : "GET"), headers, body,
      trusted: true, who: this.api, logger: this.logger, maxAttempts: call.maxAttempts,
      acceptStatus: (s) => (s >= 200 && s < 300) || s === 401 || (s >= 400 && s < 500 && s !== 429 && s !== 408),
    });
    if (response.status === 401) { throw new TokenRejectedError(`Google refused your login for ${this.api}.`); }
    if ((response.status < 200 || response.status > 299) && !call.accept?.(response.status)) {
      throw googleFailure(response, this.api, call.what);
    }
    return response;
  }

  async json<T = any>(token: string, call: GoogleCall): Promise<T> {
    const response = await this.response(token, call);
    if (!response.body.length) { return {} as T; }
    try {
      return response.json();
    } catch {
      throw new RetryableError(`${this.api} sent an answer that is not JSON (HTTP ${response.status}). ` +
        "Try again later.");
    }
  }
}
