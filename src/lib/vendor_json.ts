// A JSON API call whose refusals (4xx) the caller words itself, per target: the shared client's
// retries still apply to 429 and 5xx, and when those outlast the retries the answer says which
// (rate limited or down) instead of throwing, so one target's failure does not end the others.
import { HttpClient, HttpRequestOptions } from "./http_client";
import { HttpUnavailableError } from "./http_errors";

export type JsonAnswer =
  | { status: number; answer: any; unavailable?: undefined }
  | {
    unavailable: "rate_limited" | "down"; status?: undefined; answer?: undefined;
    /** What the shared client said (the cause and the fix: a refused connection, a timeout, HTTP 503). */
    message: string;
  };

export async function requestJson(http: HttpClient, options: HttpRequestOptions): Promise<JsonAnswer> {
  try {
    const response = await http.request({ acceptStatus: (s) => s < 500 && s !== 429, ...options });
    let answer: any;
    try { answer = response.json(); } catch { answer = undefined; }
    return { status: response.status, answer };
  } catch (err) {
    if (err instanceof HttpUnavailableError) {
      return { unavailable: err.failure.status === 429 ? "rate_limited" : "down", message: err.message };
    }
    throw err;
  }
}
