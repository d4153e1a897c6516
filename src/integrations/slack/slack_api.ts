// One Slack Web API client per request (the token arrives with each request). Every call goes
// through `call()`, which waits out rate limits as Slack's Retry-After says and turns
// whatever went wrong into a `SlackCallError` that slack_errors.ts explains in words.
import type { LogLevel, Logger as SlackLogger, WebClient, WebClientOptions } from "@slack/web-api";
import { abortableSleep, currentSignal } from "../../lib/abort_scope";
import { Logger } from "../../lib/logger";
import { networkFailure } from "../../lib/network_errors";

export interface SlackApiOptions {
  /** Base URL of the Web API, ending in a slash. */
  apiUrl: string;
  /** Retries of network failures and 5xx answers, with backoff from `minRetryMs`. */
  retries?: number;
  minRetryMs?: number;
  /** How many rate-limit answers one call waits out before giving up. */
  rateLimitRetries?: number;
  /** A Retry-After longer than this is not waited out: the delivery fails as retryable. */
  maxRetryAfterSeconds?: number;
  /** Longest retry wait for network failures and 5xx answers. */
  maxRetryMs?: number;
  /** Longest silence on a call's connection (axios' timeout is a socket idle timeout). */
  timeoutMs?: number;
  /** Longest one attempt of a call may take: an answer that trickles or never ends is cut. */
  totalTimeoutMs?: number;
  /** Largest answer read; a longer one (a proxy streaming without end) fails the attempt. */
  maxResponseBytes?: number;
}

type SlackModule = typeof import("@slack/web-api");
let slackModule: Promise<SlackModule> | undefined;
/**
 * Slack's SDK loads at a process's first Slack call, not when the hub starts: a hub that never
 * delivers to Slack keeps about 6 MB less resident (bench/RESULTS.md, issue 29).
 */
const slackWebApi = () => (slackModule = slackModule ?? import("@slack/web-api"));

/** A page of 1000 channels or people runs to a few MB; far beyond is not a Web API answer. */
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export type SlackFailureKind = "platform" | "rate_limited" | "http" | "network" | "invalid_answer";

/** A failed Web API call, with what is needed to explain it. Never carries the token. */
export class SlackCallError extends Error {
  constructor(
    readonly kind: SlackFailureKind,
    readonly method: string,
    /** Slack's error code (`not_in_channel`, ...) for platform errors. */
    readonly code?: string,
    readonly details: { needed?: string; status?: number; retryAfter?: number; cause?: string; fix?: string } = {},
  ) {
    super(`Slack ${method} failed: ${code ?? kind}`);
    this.name = "SlackCallError";
  }
}

/** Slack's client logs request bodies at debug level (channels, comments): only warnings pass, as text. */
function quietLogger(logger: Logger, warn: LogLevel): SlackLogger {
  let level = warn;
  const text = (msg: unknown[]) => msg.filter((m) => typeof m === "string").join(" ");
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg: unknown[]) => logger.warn("slack client", { detail: text(msg) }),
    error: (...msg: unknown[]) => logger.warn("slack client", { detail: text(msg) }),
    setLevel: (l: LogLevel) => { level = l; },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** `signal`, ended also by the ambient delivery's signal when there is one. */
function withDelivery(signal: AbortSignal): AbortSignal {
  const delivery = currentSignal();
  return delivery ? AbortSignal.any([signal, delivery]) : signal;
}

export class SlackApi {
  private client?: { sdk: SlackModule; web: WebClient };
  private readonly rateLimitRetries: number;
  private readonly maxRetryAfterSeconds: number;

  constructor(private readonly token: string, readonly options: SlackApiOptions, private readonly logger: Logger) {
    this.rateLimitRetries = options.rateLimitRetries ?? 5;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 120;
  }

  /** The SDK's client, made at the first call. */
  private async webClient(): Promise<{ sdk: SlackModule; web: WebClient }> {
    if (this.client) { return this.client; }
    const sdk = await slackWebApi();
    this.client = this.client ?? { sdk, web: new sdk.WebClient(this.token, this.clientOptions(sdk)) };
    return this.client;
  }

  private clientOptions(sdk: SlackModule): WebClientOptions {
    const options = this.options;
    const minRetryMs = options.minRetryMs ?? 1000;
    const totalTimeoutMs = options.totalTimeoutMs ?? 900_000;
    const maxContentLength = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    return {
      slackApiUrl: options.apiUrl,
      logger: quietLogger(this.logger, sdk.LogLevel.WARN),
      // Rate limits are handled in call() so the wait is bounded and logged without the URL.
      rejectRateLimitedCalls: true,
      retryConfig: {
        retries: options.retries ?? 3,
        minTimeout: minRetryMs,
        maxTimeout: options.maxRetryMs ?? minRetryMs * 8,
        factor: 2,
      },
      timeout: options.timeoutMs ?? 60_000,
      allowAbsoluteUrls: false,
      // axios reads answers whole and without limit, and its timeout is only for silence: an
      // endless answer would grow in memory for ever. Every attempt gets a size cap and a deadline.
      // The delivery's own signal too (abort_scope.ts): when Looker hangs up, the call stops.
      requestInterceptor: (config) => ({
        ...config, maxContentLength, signal: withDelivery(AbortSignal.timeout(totalTimeoutMs)),
      }),
    };
  }

  /** Runs one Web API call, waiting out rate limits; failures become `SlackCallError`. */
  async call<T>(method: string, run: (client: WebClient) => Promise<T>): Promise<T> {
    const { sdk, web } = await this.webClient();
    for (let attempt = 0; ; attempt++) {
      try {
        return await run(web);
      } catch (err) {
        const failure = toCallError(err, method, sdk.ErrorCode);
        const wait = failure.details.retryAfter;
        if (failure.kind === "rate_limited" && wait !== undefined && attempt < this.rateLimitRetries &&
            wait <= this.maxRetryAfterSeconds) {
          this.logger.info("slack rate limited; waiting", { method, seconds: wait, attempt: attempt + 1 });
          await abortableSleep(wait * 1000, currentSignal());
          continue;
        }
        throw failure;
      }
    }
  }
}

/** Slack's error codes are short snake_case words; anything else came from something that is not Slack. */
const SLACK_CODE = /^[a-z][a-z0-9_]{0,79}$/;

/** Why a request got no usable answer, in words (never the URL, which the library puts in messages). */
function networkCause(original: { code?: string; message?: string } | undefined): { cause: string; fix?: string } {
  const code = original?.code ?? "";
  const message = original?.message ?? "";
  if (/maxContentLength/i.test(message)) { return { cause: "its answer was far longer than any Web API answer" }; }
  if (code === "ERR_CANCELED" || /aborted|canceled/i.test(message)) {
    return { cause: "the call took longer than allowed" };
  }
  // axios names its own timeout ECONNABORTED, which is a reset elsewhere.
  if (code === "ECONNABORTED" || code === "ETIMEDOUT" || /timeout/i.test(message)) {
    return { cause: "it stopped answering" };
  }
  // Certificates, refused, reset, names: the same table as every other client (network_errors.ts).
  const found = networkFailure(original);
  // A fix only for what waiting does not mend (a certificate, https on a plain-http port, no such name).
  if (found) { return { cause: found.what, fix: found.transient ? undefined : found.fix || undefined }; }
  return { cause: "the connection failed" };
}

function toCallError(err: unknown, method: string, ErrorCode: SlackModule["ErrorCode"]): SlackCallError {
  if (err instanceof SlackCallError) { return err; }
  const e = err as {
    code?: string; data?: { error?: unknown; needed?: string }; retryAfter?: number; statusCode?: number;
    message?: string; original?: { code?: string; message?: string };
  };
  switch (e?.code) {
    case ErrorCode.PlatformError: {
      const code = e.data?.error;
      // The library reports an answer it cannot parse as a platform error whose code is the answer.
      if (typeof code !== "string" || !SLACK_CODE.test(code)) { return new SlackCallError("invalid_answer", method); }
      return new SlackCallError("platform", method, code, { needed: e.data?.needed });
    }
    case ErrorCode.RateLimitedError:
      return new SlackCallError("rate_limited", method, "ratelimited", { retryAfter: e.retryAfter });
    case ErrorCode.HTTPError:
      return new SlackCallError("http", method, undefined, { status: e.statusCode });
  }
  // A 429 without a usable Retry-After: the library gives up at once with a plain error.
  if (/Retry header did not contain a valid timeout/.test(e?.message ?? "")) {
    return new SlackCallError("rate_limited", method, "ratelimited");
  }
  return new SlackCallError("network", method, undefined, networkCause(e?.original ?? e));
}
