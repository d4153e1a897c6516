// One Slack Web API client per request (the token arrives with each request). Every call goes
// through `call()`, which waits out rate limits as Slack's Retry-After says and turns
// whatever went wrong into a `SlackCallError` that slack_errors.ts explains in words.
import { ErrorCode, LogLevel, Logger as SlackLogger, WebClient } from "@slack/web-api";
import { Logger } from "../../lib/logger";

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
  /** Per-call timeout. */
  timeoutMs?: number;
}

export type SlackFailureKind = "platform" | "rate_limited" | "http" | "network";

/** A failed Web API call, with what is needed to explain it. Never carries the token. */
export class SlackCallError extends Error {
  constructor(
    readonly kind: SlackFailureKind,
    readonly method: string,
    /** Slack's error code (`not_in_channel`, ...) for platform errors. */
    readonly code?: string,
    readonly details: { needed?: string; status?: number; retryAfter?: number } = {},
  ) {
    super(`Slack ${method} failed: ${code ?? kind}`);
    this.name = "SlackCallError";
  }
}

/** Slack's client logs request bodies at debug level (channels, comments): only warnings pass, as text. */
function quietLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SlackApi {
  readonly client: WebClient;
  private readonly rateLimitRetries: number;
  private readonly maxRetryAfterSeconds: number;

  constructor(token: string, readonly options: SlackApiOptions, private readonly logger: Logger) {
    this.client = new WebClient(token, {
      slackApiUrl: options.apiUrl,
      logger: quietLogger(logger),
      // Rate limits are handled in call() so the wait is bounded and logged without the URL.
      rejectRateLimitedCalls: true,
      retryConfig: {
        retries: options.retries ?? 3,
        minTimeout: options.minRetryMs ?? 1000,
        maxTimeout: (options.minRetryMs ?? 1000) * 8,
        factor: 2,
      },
      timeout: options.timeoutMs ?? 60_000,
      allowAbsoluteUrls: false,
    });
    this.rateLimitRetries = options.rateLimitRetries ?? 5;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 120;
  }

  /** Runs one Web API call, waiting out rate limits; failures become `SlackCallError`. */
  async call<T>(method: string, run: (client: WebClient) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run(this.client);
      } catch (err) {
        const failure = toCallError(err, method);
        const wait = failure.details.retryAfter;
        if (failure.kind === "rate_limited" && wait !== undefined && attempt < this.rateLimitRetries &&
            wait <= this.maxRetryAfterSeconds) {
          this.logger.info("slack rate limited; waiting", { method, seconds: wait, attempt: attempt + 1 });
          await sleep(wait * 1000);
          continue;
        }
        throw failure;
      }
    }
  }
}

function toCallError(err: unknown, method: string): SlackCallError {
  if (err instanceof SlackCallError) { return err; }
  const e = err as {
    code?: string; data?: { error?: string; needed?: string }; retryAfter?: number; statusCode?: number;
  };
  switch (e?.code) {
    case ErrorCode.PlatformError:
      return new SlackCallError("platform", method, e.data?.error ?? "unknown_error", { needed: e.data?.needed });
    case ErrorCode.RateLimitedError:
      return new SlackCallError("rate_limited", method, "ratelimited", { retryAfter: e.retryAfter });
    case ErrorCode.HTTPError:
      return new SlackCallError("http", method, undefined, { status: e.statusCode });
    default:
      return new SlackCallError("network", method);
  }
}
