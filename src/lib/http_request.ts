// What one outbound request says (its options) and what it gets back (the response), for the
// shared HTTP client (http_client.ts) and every caller that builds a request.
import * as http from "http";
import type { Readable } from "stream";
import type { HttpBody } from "./http_parts";
import type { Logger } from "./logger";

export interface HttpRequestOptions {
  /** A URL object is used as it is, not copied: it must not change while the request runs. */
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  body?: HttpBody;
  /** True for operator-configured vendor URLs; false (default) runs the URL guard. */
  trusted?: boolean;
  /** Names the destination in failure messages; default "The server at <host>". */
  who?: string;
  logger?: Logger;
  /** Statuses that are a success; default 2xx. */
  acceptStatus?: (status: number) => boolean;
  /**
   * Bytes of the answer kept in `body`. Reading stops there and the connection is closed (a vendor
   * that streams without end would otherwise hold the attempt until the total timeout); the
   * response then has `truncated` set. Default 1 MiB.
   */
  maxResponseBytes?: number;
  /**
   * Statuses whose answer the caller never reads (HubSpot's 200 to a batch repeats every record):
   * such an answer is read to its end, or cut at `maxResponseBytes` as any, but its bytes are not
   * kept, and `body` is empty. Only statuses `acceptStatus` takes: a failure keeps its body for its message.
   */
  unreadBody?: (status: number) => boolean;
  /** Overrides HTTP_MAX_ATTEMPTS for this request (e.g. 1 for a non-repeatable call). */
  maxAttempts?: number;
  /**
   * The wait (ms) a vendor asks for in its own rate-limit headers (HubSpot's, Braze's
   * X-RateLimit-Reset), when an answer is retried; undefined falls back to Retry-After. A wait
   * past HTTP_RETRY_AFTER_MAX_SECONDS (e.g. Infinity for a daily limit) ends the retries.
   */
  vendorRetryAfter?: (response: HttpResponse) => number | undefined;
  /** Ends the request (and its retries) when aborted; default: the ambient delivery signal. */
  signal?: AbortSignal;
  /**
   * A Readable body is sent as it is read on the first attempt, while a copy is spooled for any
   * later attempt (tee_body.ts), instead of spooled whole before the first: for vendors that take
   * a chunked request, or when `size` (then sent as Content-Length; the body must be exactly that
   * long) is known. The copy is kept only when a retry is possible (more than one attempt).
   */
  streamed?: { size?: number };
  /** A POST (or other method) that writes nothing: allowed during a dry run (src/lib/dry_run.ts). */
  readOnly?: boolean;
}

export class HttpResponse {
  private made?: http.IncomingHttpHeaders;

  /** `headers` may be a function: Node builds its header object only when asked, and most callers never ask. */
  constructor(
    readonly status: number, private readonly headersOf: http.IncomingHttpHeaders | (() => http.IncomingHttpHeaders),
    readonly body: Buffer,
    /** True when the answer was longer than `maxResponseBytes` and was not read to its end. */
    readonly truncated = false,
  ) {}

  get headers(): http.IncomingHttpHeaders {
    if (typeof this.headersOf !== "function") { return this.headersOf; }
    this.made ??= this.headersOf();
    return this.made;
  }
  text(): string { return this.body.toString("utf8"); }
  json<T = any>(): T { return JSON.parse(this.text()); }
}

const sentAsRead = new WeakSet<Readable>();

/**
 * Marks a stream body to be sent as it is read (as `streamed: {}` asks) by whichever vendor
 * wrapper passes it on: the helper that makes the body (multipart_file.ts) knows the request can
 * go chunked, the wrappers that send it need not.
 */
export function sendAsRead<T extends Readable>(body: T): T {
  sentAsRead.add(body);
  return body;
}

/** The `streamed` a body asks for (sendAsRead), when the request does not say. */
export function streamedOf(body: Readable): { size?: number } | undefined {
  return sentAsRead.has(body) ? {} : undefined;
}
