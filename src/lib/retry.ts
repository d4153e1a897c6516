// When to try an outbound request again and how long to wait: exponential backoff with
// jitter (so many hubs retrying a vendor that came back do not arrive all at once), and the
// vendor's own Retry-After when it gives one.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this ends the retries: waiting would outlast the delivery. */
  retryAfterMaxMs: number;
}

/** The wait before attempt `failed + 1`: half fixed, half random, doubling each time, capped. */
export function backoffDelay(failed: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failed - 1));
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or undefined when absent or invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) { return undefined; }
  if (/^\d+(\.\d+)?$/.test(text)) { return Math.round(Number(text) * 1000); }
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Rate limits and server-side failures may pass; 501 and 505 say the request can never work. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

const TRANSIENT_CODES = new Set([
  "ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH",
  "ENETDOWN", "EAI_AGAIN", "UND_ERR_SOCKET", "ERR_STREAM_PREMATURE_CLOSE",
]);

/** Network failures worth another attempt (the connection broke, not the request). */
export function isTransientNetworkError(err: unknown): boolean {
  const e = err as { code?: string; message?: string; transient?: boolean };
  if (!e || typeof e !== "object") { return false; }
  if (e.transient === true) { return true; }
  return (e.code !== undefined && TRANSIENT_CODES.has(e.code)) || e.message === "socket hang up";
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
