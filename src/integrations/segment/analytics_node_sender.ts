// The analytics-node sender (SEGMENT_SENDER=analytics-node): hands messages to Segment's SDK
// with backpressure. At most `maxPendingBatches` batches are queued or in flight, so a
// million-row delivery never piles up in memory, and the first batch Segment refuses stops the
// delivery with a count of what got through before it. analytics-node re-serializes its whole
// queue on every call, so it is several times slower than the batch sender (bench/RESULTS.md).
import Analytics from "analytics-node";
import { UserError } from "../../lib/errors";
import { SegmentCall, SegmentMessage } from "./segment_mapper";
import { describeFailure, MessageRefused, SegmentSender, SegmentSenderOptions } from "./segment_sender";

interface HttpError extends Error {
  code?: string;
  response?: { status?: number; data?: unknown };
}

export class AnalyticsNodeSender implements SegmentSender {
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

  get failed(): boolean { return this.error !== undefined; }

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

  async finish(): Promise<void> {
    // flush() hands one batch to a request synchronously; the requests then run together.
    while (this.client.queue.length > 0 && !this.error) { this.client.flush(); }
    await this.drained();
  }

  async abandon(): Promise<void> {
    this.pending -= this.client.queue.splice(0).length;
    await this.drained();
  }

  failure(): UserError {
    const err: HttpError = this.error ?? new Error("unknown");
    const message = (err.response?.data as { message?: unknown } | undefined)?.message;
    return describeFailure({
      status: err.response?.status, said: typeof message === "string" ? message : undefined, code: err.code,
      attempts: this.attempts,
    }, this.sent);
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
