// What a Segment sender does for a delivery, whichever way it reaches Segment (our own /v1/batch
// sender, or analytics-node), and how a failed batch is put to the Looker user.
import { RetryableError, UserError } from "../../lib/errors";
import { SegmentCall, SegmentMessage } from "./segment_mapper";
import { groupDigits } from "../../lib/digits";

/** `batch`: our sender over Segment's HTTP API (the default); `analytics-node`: Segment's SDK. */
export type SegmentSenderKind = "batch" | "analytics-node";
export const SEGMENT_SENDER_KINDS: readonly SegmentSenderKind[] = ["batch", "analytics-node"];

export interface SegmentSenderOptions {
  writeKey: string;
  /** Segment's collection API, e.g. https://api.segment.io. */
  host: string;
  /** Messages per /v1/batch request at most (batch: only the 500 KB limit by default; analytics-node: 20). */
  batchSize?: number;
  /** Batches in flight (analytics-node: queued or in flight) before `send` waits. */
  maxPendingBatches?: number;
  /** Retries of a batch after a network error, a 429 or a 5xx (batch: HTTP_MAX_ATTEMPTS - 1 by default). */
  retryCount?: number;
  /** analytics-node only: milliseconds before retry n (1-based). The batch sender uses HTTP_RETRY_*. */
  retryDelay?: (retry: number) => number;
  /** analytics-node only: milliseconds a batch request may take. The batch sender uses HTTP_*_TIMEOUT_SECONDS. */
  timeoutMs?: number;
}

/** Hands a delivery's messages to Segment in batches, with backpressure, counting what Segment acknowledged. */
export interface SegmentSender {
  /** Messages Segment acknowledged. */
  readonly sent: number;
  /** True once a batch has failed; stop sending, `abandon()`, then raise the error from `failure()`. */
  readonly failed: boolean;
  /**
   * Queues a message and waits while the window of batches is full. Throws `MessageRefused`.
   * May answer nothing when it need not wait (no promise per row for a million rows).
   */
  send(call: SegmentCall, message: SegmentMessage): Promise<void> | void;
  /** Sends what is queued and waits for every batch to be answered. */
  finish(): Promise<void>;
  /** Drops what was not handed to a request yet and waits for requests in flight. */
  abandon(): Promise<void>;
  /** The failure in words for the Looker user, counting rows Segment acknowledged. */
  failure(): UserError;
}

/** A message Segment would refuse whatever happens (no id, over 32 KB), found before sending it. */
export class MessageRefused extends Error {}

/** What is known about a failed batch, from either sender. */
export interface SendFailure {
  status?: number;
  /** Segment's own short explanation, when it gave one. */
  said?: string;
  /** The network error code or timeout kind, when no answer came. */
  code?: string;
  attempts: number;
}

/** What a failed batch says about the cause, in words for the Looker user. */
export function describeFailure(failure: SendFailure, sent: number): UserError {
  const { status, attempts } = failure;
  const before = `${groupDigits(sent)} row${sent === 1 ? " was" : "s were"} sent before it`;
  const said = failure.said && failure.said.length < 200 ? `: ${failure.said}` : "";
  if (status === 401 || status === 403) {
    return new UserError(`Segment refused the write key (HTTP ${status}${said}). Check the Segment Write Key ` +
      `under Admin > Actions > Segment: it must be the write key of a Segment source. ${before}.`);
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new UserError(`Segment rejected a batch of rows (HTTP ${status}${said}); the delivery stopped there. ` +
      `${before}.`);
  }
  const cause = status !== undefined ? `HTTP ${status}` : (failure.code ?? "network error");
  return new RetryableError(`Segment could not be reached or was unavailable (${cause}, ${attempts} attempt` +
    `${attempts === 1 ? "" : "s"}). ${before}; try again later.`);
}
