// What ends a download besides its own end: Looker hanging up on the delivery (the request's
// abort signal), the total time limit, and a source slower than the minimum rate. One watch
// per download, from the first request to the last byte; whatever stage the download is in
// (connecting, reading) registers how to fail it.
import { Readable, Transform, TransformCallback } from "stream";
import { spentBytes } from "../../lib/young_garbage";
import { DeliveryLimits } from "./read_once";
import { onAbort } from "../../lib/abort_scope";
import { PayloadTooLargeError, UserError } from "../../lib/errors";

export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} seconds`;
}

/** Counts bytes through, failing past the limit; each chunk is garbage once passed on (young_garbage.ts). */
export function byteGuard(maxBytes: number): Transform & { bytes: number } {
  const guard = new Transform({
    highWaterMark: 256 * 1024,
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      guard.bytes += chunk.length;
      spentBytes(chunk.length);
      if (maxBytes && guard.bytes > maxBytes) {
        return done(new PayloadTooLargeError(
          `The data at the download URL is larger than this integration service accepts (${maxBytes} bytes).`,
        ));
      }
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  guard.bytes = 0;
  return guard;
}

export class DownloadWatch {
  private fail: ((err: Error) => void) | undefined;
  private pending: Error | undefined;
  private readonly totalTimer: NodeJS.Timeout | undefined;
  private rateTimer: NodeJS.Timeout | undefined;
  private readonly stopAbort: () => void;
  private stopped = false;

  constructor(private readonly limits: DeliveryLimits, signal?: AbortSignal) {
    const total = limits.totalTimeoutMs;
    if (total) {
      this.totalTimer = setTimeout(() => this.end(new UserError(
        `The download from Looker took longer than ${seconds(total)} (DOWNLOAD_TOTAL_TIMEOUT_SECONDS), so the ` +
        "delivery was stopped. Send less data, or ask the hub's admin to raise the limit.",
      )), total);
    }
    this.stopAbort = onAbort(signal, (reason) => this.end(reason));
  }

  /** Who fails the download now (undefined between stages). */
  onFail(fail: ((err: Error) => void) | undefined): void {
    this.fail = fail;
    if (fail && this.pending) { fail(this.pending); }
  }

  /**
   * Fails the download when a rate window passes with fewer bytes than the minimum rate. A
   * window in which the consumer held the source back (the response paused) does not count.
   */
  watchRate(res: Readable, guard: { bytes: number }): void {
    const rate = this.limits.minBytesPerSecond ?? 0;
    const windowMs = this.limits.rateWindowMs ?? 30_000;
    if (!rate || this.stopped) { return; }
    let from = guard.bytes;
    let heldBack = false;
    res.on("pause", () => { heldBack = true; });
    this.rateTimer = setInterval(() => {
      const got = guard.bytes - from;
      const needed = rate * windowMs / 1000;
      if (!heldBack && !res.isPaused() && got < needed) {
        this.end(new UserError(
          `The download from Looker was too slow: ${got} bytes in ${seconds(windowMs)}, under the minimum of ` +
          `${rate} bytes per second (DOWNLOAD_MIN_BYTES_PER_SECOND), after ${guard.bytes} bytes. Try again later.`,
        ));
      }
      from = guard.bytes;
      heldBack = false;
    }, windowMs);
  }

  /** The download ended, or failed by its own means: nothing more to watch. */
  stop(): void {
    if (this.stopped) { return; }
    this.stopped = true;
    clearTimeout(this.totalTimer);
    clearInterval(this.rateTimer);
    this.stopAbort();
  }

  private end(err: Error): void {
    if (this.stopped) { return; }
    const fail = this.fail;
    if (fail) {
      this.stop();
      fail(err);
    } else {
      this.pending = err;
    }
  }
}
