// Hands messages to analytics-node with backpressure: at most `maxPendingBatches` batches are
// queued or in flight, so a million-row delivery never piles up in memory, and the first
// batch Segment refuses stops the delivery with a count of what got through before it.
import Analytics from "analytics-node";
import { RetryableError, UserError } from "../../hub/errors";
import { SegmentCall, SegmentMessage } from "./segment_mapper";

export interface SegmentSenderOptions {
  writeKey: string;
  /** Segment's collection API, e.g. https://api.segment.io. */
  host: string;
  /** Messages per /v1/batch request. */
  batchSize?: number;
  /** Batches queued or in flight before `send` waits (at least 2). */
  maxPendingBatches?: number;
  /** Retries of a batch after a network error, a 429 or a 5xx. */
  retryCount?: number;
  /** Milliseconds before retry n (1-based); analytics-node's exponential backoff by default. */
  retryDelay?: (retry: number) => number;
  /** Milliseconds a batch request may take. */
  timeoutMs?: number;
}

interface HttpError extends Error {
  code?: string;
  response?: { status?: number; data?: unknown };
}

/** What a failed batch says about the cause, in words for the Looker user. */
export function describeFailure(err: HttpError, attempts: number, sent: number): UserError {
  const status = err.response?.status;
  const before = `${sent.toLocaleString("en-US")} row${sent === 1 ? " was" : "s were"} sent before it`;
  const data = err.response?.data as { message?: unknown } | undefined;
  const said = typeof data?.message === "string" && data.message.length < 200 ? `: ${data.message}` : "";
  if (status === 401 || status === 403) {
    return new UserError(`Segment refused the write key (HTTP ${status}${said}). Check the Segment Write Key ` +
      `under Admin > Actions > Segment: it must be the write key of a Segment source. ${before}.`);
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new UserError(`Segment rejected a batch of rows (HTTP ${status}${said}); the delivery stopped there. ` +
      `${before}.`);
  }
  const cause = status !== undefined ? `HTTP ${status}` : (err.code ?? "network error");
  return new RetryableError(`Segment could not be reached or was unavailable (${cause}, ${attempts} attempt` +
    `${attempts === 1 ? "" : "s"}). ${before}; try again later.`);
}

/** analytics-node refused a message before queueing it (no id, over 32 KB). */
export class MessageRefused extends Error {}

export class SegmentSender {
  /** Messages Segment acknowledged. */
  sent = 0;
  private readonly client: Analytics;
  private readonly batchSize: number;
  private readonly window: number;
  private readonly attempts: number;
  private pending = 0;
  private error?: HttpError;
  private roomWaiter?: () => void;
  private drainWaiter?: () => void;

  constructor(options: SegmentSenderOptions) {
    // analytics-node 6 re-serializes its whole queue on every call (cost grows with the square of the
    // batch size), so its default of 20 is also its fastest; see bench/RESULTS.md.
    this.batchSize = options.batchSize ?? 20;
    // At least two: a partial batch waiting in analytics-node's queue must not hold the window shut.
    this.window = this.batchSize * Math.max(2, options.maxPendingBatches ?? 8);
    const retryCount = options.retryCount ?? 3;
    this.attempts = retryCount + 1;
    this.client = new Analytics(options.writeKey, {
      host: options.host,
      flushAt: this.batchSize,
      // A partial batch waits this long for more rows (a slow download); the end flushes at once.
      flushInterval: 1000,
      // Characters; Segment takes at most 500 KB per batch.
      maxQueueSize: 400 * 1024,
      timeout: options.timeoutMs ?? 30_000,
      retryCount,
      axiosRetryConfig: options.retryDelay ? { retryDelay: options.retryDelay } : undefined,
      // Without a handler analytics-node rethrows from flushes nobody awaits: an unhandled rejection.
      errorHandler: () => undefined,
    });
  }

  /** True once a batch has failed; stop sending, `abandon()`, then throw `failure()`. */
  get failed(): boolean { return this.error !== undefined; }

  /** Queues a message and waits while the window is full. Throws `MessageRefused`. */
  async send(call: SegmentCall, message: SegmentMessage): Promise<void> {
    this.pending++;
    try {
      this.client[call](message, (err) => this.settled(err as HttpError | undefined));
    } catch (err) {
      this.pending--;
      throw new MessageRefused((err as Error).message);
    }
    if (this.pending >= this.window && !this.error) {
      await new Promise<void>((resolve) => { this.roomWaiter = resolve; });
    }
  }

  /** Sends what is queued and waits for every batch to be answered. */
  async finish(): Promise<void> {
    // flush() hands one batch to a request synchronously; the requests then run together.
    while (this.client.queue.length > 0 && !this.error) { this.client.flush(); }
    await this.drained();
  }

  /** Drops what was not handed to a request yet and waits for requests in flight. */
  async abandon(): Promise<void> {
    this.pending -= this.client.queue.splice(0).length;
    await this.drained();
  }

  /** The failure in words for the Looker user, counting rows Segment acknowledged. */
  failure(): UserError {
    return describeFailure(this.error ?? new Error("unknown"), this.attempts, this.sent);
  }

  private drained(): Promise<void> {
    if (this.pending <= 0) { return Promise.resolve(); }
    return new Promise<void>((resolve) => { this.drainWaiter = resolve; });
  }

  private settled(err: HttpError | undefined): void {
    this.pending--;
    if (err) {
      this.error = this.error ?? err;
    } else {
      this.sent++;
    }
    if (this.roomWaiter && (this.error || this.pending <= this.window - this.batchSize)) {
      const wake = this.roomWaiter;
      this.roomWaiter = undefined;
      wake();
    }
    if (this.drainWaiter && this.pending <= 0) {
      const wake = this.drainWaiter;
      this.drainWaiter = undefined;
      wake();
    }
  }
}
