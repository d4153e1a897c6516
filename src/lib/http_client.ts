// The shared outbound HTTP client. Every integration that speaks HTTP to a vendor uses it:
// `createHttpClient(config)` once (src/integrations/index.ts), then `http.request({ url, method,
// headers, body, trusted, who, logger, signal })`; docs/http_client.md is its manual.
//
// What it does for the caller:
// - Timeouts per attempt (connect, idle, total: HTTP_*_TIMEOUT_SECONDS) and a User-Agent.
// - Retries on network errors, timeouts, 408, 429 and 5xx (not 501/505): exponential backoff
//   with jitter, at least the vendor's Retry-After, at most HTTP_MAX_ATTEMPTS attempts, every one
//   with the same bytes: a Readable body is spooled first, or with `streamed` (or `sendAsRead`)
//   sent as it is read while a copy is kept for later attempts and for a 411 (tee_body.ts).
// - Redirects: 307/308 with the same method and body; 301/302/303 as GET for GET/HEAD only;
//   Authorization and cookies dropped when a redirect leaves the origin.
// - The UrlGuard (url_guard.ts) for untrusted URLs: before the request, on the address actually
//   connected, and on every redirect.
// - Answers outside 2xx (or `acceptStatus`) end in HttpStatusError or HttpUnavailableError,
//   UserErrors carrying the status and a short safe excerpt (http_errors.ts).
// - An abort signal (`signal`, else the delivery's: Looker hung up) ends the attempt, the wait
//   and the spooling. Nothing beyond method, host, status and timing is ever logged.
import * as http from "http";
import * as https from "https";
import { Readable } from "stream";
import { Config, HttpSettings } from "../config";
import {
  failureMessage, HttpConnectionError, HttpFailure, HttpStatusError, HttpUnavailableError,
  safeExcerpt,
} from "./http_errors";
import { networkFailure, networkMessage } from "./network_errors";
import { checkDryRunCall } from "./dry_run";
import { abortableSleep, abortReason, currentSignal, onAbort } from "./abort_scope";
import { backoffDelay, isRetryableStatus, isTransientNetworkError, parseRetryAfter, RetryPolicy } from "./retry";
import { replayable, ReplayableBody, withoutCredentials } from "./http_parts";
import { headerList, RequestTarget, requestTarget, sendAttempt } from "./http_attempt";
import { SpooledBody, spoolStream } from "./spool";
import { TeeBody } from "./tee_body";
import { LookupFunction, systemLookup, UrlGuard } from "./url_guard";

export type { HttpBody, StreamBody } from "./http_parts";

export { HttpResponse } from "./http_request";
export type { HttpRequestOptions } from "./http_request";
import { HttpRequestOptions, HttpResponse, streamedOf } from "./http_request";

export interface HttpClientOptions {
  /** The hub's version, for the User-Agent. */
  version: string;
  /** DNS resolution; tests inject one so names resolve to loopback. */
  lookup?: LookupFunction;
}

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export class HttpClient {
  readonly userAgent: string;
  readonly guard: UrlGuard;
  private readonly agents: Record<"guarded" | "trusted", { http: http.Agent; https: http.Agent }>;
  /** The trusted URL string parsed last, and its URL (trustedUrl). */
  private lastTrusted?: { text: string; url: URL };

  constructor(readonly settings: HttpSettings, options: HttpClientOptions) {
    this.userAgent = `LookerIntegrationService/${options.version} (+https://github.com/looker-integration-service)`;
    const lookup = options.lookup ?? systemLookup;
    this.guard = new UrlGuard({
      allowPrivate: settings.allowPrivateUrls,
      allowHttp: settings.allowHttpUrls,
      allowlist: settings.privateUrlAllowlist,
    }, lookup);
    const trustedLookup = new UrlGuard({ allowPrivate: true, allowHttp: true, allowlist: [] }, lookup).connectLookup;
    const agentsWith = (connectLookup: any) => ({
      http: new http.Agent({ keepAlive: true, lookup: connectLookup }),
      https: new https.Agent({ keepAlive: true, lookup: connectLookup }),
    });
    this.agents = { guarded: agentsWith(this.guard.connectLookup), trusted: agentsWith(trustedLookup) };
  }

  get retryPolicy(): RetryPolicy {
    const s = this.settings;
    return {
      maxAttempts: s.maxAttempts, baseDelayMs: s.retryBaseDelayMs, maxDelayMs: s.retryMaxDelayMs,
      retryAfterMaxMs: s.retryAfterMaxMs,
    };
  }

  /** Sends the request with retries; answers the final accepted response or throws. */
  async request(options: HttpRequestOptions): Promise<HttpResponse> {
    const signal = options.signal ?? currentSignal();
    if (signal?.aborted) { throw abortReason(signal); }
    // Only a string body's bytes are kept: a string held through each request outlived young-generation GCs.
    const body = typeof options.body === "string" ? Buffer.from(options.body) : options.body;
    options = { ...options, signal, body };
    const url = options.trusted ? this.trustedUrl(options.url) : await this.guard.check(options.url);
    const target = requestTarget(url);
    checkDryRunCall(options.method ?? (body ? "POST" : "GET"), target.hostname, options.readOnly);
    const source = body instanceof Readable ? body : undefined;
    const streamed = source && (options.streamed ?? streamedOf(source));
    if (source && streamed) { return this.streamedRequest(target, options, source, streamed.size); }
    let spooled: SpooledBody | undefined;
    if (source) {
      const stopSpooling = onAbort(signal, (reason) => source.destroy(reason));
      try {
        spooled = await spoolStream(source, { dir: this.settings.spoolDir });
      } finally {
        stopSpooling();
      }
    }
    try {
      return await this.withRetries(target, options, replayable(body instanceof Readable ? spooled : body));
    } finally {
      await spooled?.dispose();
    }
  }

  /**
   * A trusted URL, parsed: a URL object as it is; a string parsed once while the same string comes
   * again: a row delivery sends hundreds to thousands of requests to one batch URL (HubSpot 10,000
   * a million rows), each of which parsed it. One entry serves every integration; deliveries
   * running at once to different URLs parse as before. The URL is only read, never changed.
   */
  private trustedUrl(url: string | URL): URL {
    if (url instanceof URL) { return url; }
    const last = this.lastTrusted;
    if (last !== undefined && last.text === url) { return last.url; }
    const parsed = new URL(url);
    this.lastTrusted = { text: url, url: parsed };
    return parsed;
  }

  /** A Readable body sent as it is read, a copy spooled for later attempts (tee_body.ts). */
  private async streamedRequest(target: RequestTarget, options: HttpRequestOptions, source: Readable, size?: number,
  ): Promise<HttpResponse> {
    const keepCopy = (options.maxAttempts ?? this.settings.maxAttempts) > 1;
    const tee = new TeeBody(source, { dir: this.settings.spoolDir, keepCopy, size });
    // Looker hanging up stops the source too, should a later attempt be spooling the rest of it.
    const stopSource = onAbort(options.signal, (reason) => source.destroy(reason));
    try {
      return await this.withRetries(target, options, tee);
    } finally {
      stopSource();
      await tee.dispose();
    }
  }

  private async withRetries(
    target: RequestTarget, options: HttpRequestOptions, body?: ReplayableBody,
  ): Promise<HttpResponse> {
    const policy = { ...this.retryPolicy, maxAttempts: options.maxAttempts ?? this.settings.maxAttempts };
    const accept = options.acceptStatus ?? isSuccess;
    const host = target.hostname;
    /** An attempt got an answer: a later cut connection is no TLS-only port. */
    let answered = false;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let response: HttpResponse | undefined;
      let failure: HttpFailure;
      try {
        const chunked = body !== undefined && body.size === undefined;
        response = await this.followRedirects(target, options, body);
        answered = true;
        if (response.status === 411 && chunked && attempt < policy.maxAttempts) {
          // Length Required: a vendor that refuses a chunked body gets the kept copy, with its length.
          options.logger?.info("outbound request resent with a length", { host, attempt });
          continue;
        }
        options.logger?.debug("outbound request", {
          method: options.method ?? (body ? "POST" : "GET"), host, status: response.status, attempt,
          ms: Date.now() - started,
        });
        if (accept(response.status)) { return response; }
        failure = {
          host, status: response.status, attempts: attempt,
          excerpt: safeExcerpt(response.body, String(response.headers["content-type"] ?? "")),
        };
        if (!isRetryableStatus(response.status)) {
          throw new HttpStatusError(failureMessage(failure, false, options.who), failure);
        }
      } catch (err) {
        if (options.signal?.aborted) { throw abortReason(options.signal); }
        if (err instanceof HttpStatusError) { throw err; }
        // The data itself failed (cut off, too large): no attempt can send it.
        if (body?.failure) { throw body.failure; }
        if (!isTransientNetworkError(err)) {
          // A certificate problem, https on a plain-http port, a name that does not exist: said in
          // words (network_errors.ts); anything else is not a network failure and goes up as it is.
          const found = networkFailure(err);
          if (!found) { throw err; }
          options.logger?.warn("outbound request failed", { host, code: found.code, attempt });
          throw new HttpConnectionError(networkMessage(options.who ?? `The server at ${host}`, found, attempt),
            { host, attempts: attempt, code: found.code });
        }
        const code = (err as { code?: string }).code;
        options.logger?.debug("outbound request failed", { host, code, attempt, ms: Date.now() - started });
        failure = { host, attempts: attempt, code, plainHttp: !target.https && !answered };
      }
      let delay = backoffDelay(attempt, policy);
      const retryAfter = response
        ? options.vendorRetryAfter?.(response) ?? parseRetryAfter(response.headers["retry-after"]) : undefined;
      if (retryAfter !== undefined) { delay = Math.max(delay, retryAfter); }
      if (attempt >= policy.maxAttempts || (retryAfter !== undefined && retryAfter > policy.retryAfterMaxMs)) {
        options.logger?.warn("outbound request gave up", { host, status: failure.status, code: failure.code, attempt });
        throw new HttpUnavailableError(failureMessage(failure, true, options.who), failure);
      }
      options.logger?.info("outbound request retrying", {
        host, status: failure.status, code: failure.code, attempt, delayMs: delay,
      });
      await abortableSleep(delay, options.signal);
    }
  }

  /** One attempt: the request and any redirects it answers with. */
  private async followRedirects(
    start: RequestTarget, options: HttpRequestOptions, body?: ReplayableBody,
  ): Promise<HttpResponse> {
    let target = start;
    let method = (options.method ?? (body ? "POST" : "GET")).toUpperCase();
    let headers = options.headers ?? {};
    const agents = this.agents[options.trusted ? "trusted" : "guarded"];
    const accept = options.acceptStatus ?? isSuccess;
    const unreadBody = options.unreadBody;
    // Only an accepted answer may go unread: a failure's words go into its message.
    const unread = unreadBody && ((status: number) => accept(status) && unreadBody(status));
    for (let hop = 0; ; hop++) {
      if (body?.prepare) { await body.prepare(); }
      const response = await sendAttempt({
        target, method, headers: headerList(target, this.userAgent, headers, body?.size), body,
        limit: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, unread, signal: options.signal,
        agent: target.https ? agents.https : agents.http,
      }, this.settings);
      const location = response.status >= 300 && response.status <= 399 ? response.headers.location : undefined;
      if (response.status === 304 || !location) { return response; }
      const host = start.hostname;
      if (hop >= this.settings.maxRedirects) {
        throw new HttpStatusError(`${options.who ?? `The server at ${host}`} redirected too many times.`,
          { host, status: response.status, attempts: 1 });
      }
      const next = new URL(location, target.url);
      const keepsMethod = response.status === 307 || response.status === 308;
      if (!keepsMethod && method !== "GET" && method !== "HEAD") {
        throw new HttpStatusError(`${options.who ?? `The server at ${host}`} answered HTTP ${response.status}, a ` +
          `redirect to ${next.host} that would drop the data. Use the URL it redirects to.`,
          { host, status: response.status, attempts: 1 });
      }
      if (!keepsMethod) { method = method === "HEAD" ? "HEAD" : "GET"; body = undefined; }
      if (!options.trusted) { await this.guard.check(next); }
      if (next.origin !== target.url.origin) { headers = withoutCredentials(headers); }
      target = requestTarget(next);
    }
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The hub's client, built from its configuration. */
export function createHttpClient(config: Config, lookup?: LookupFunction): HttpClient {
  return new HttpClient(config.http, { version: config.version, lookup });
}
