// The total deadline of one vendor exchange (HTTP_TOTAL_TIMEOUT_SECONDS), for the clients whose own
// timeouts stop at the answer's headers or catch only silence (the AWS and Azure SDKs' transports,
// nodemailer): a vendor that answers a byte a second is never silent, and would hold a delivery
// and its slot (MAX_CONCURRENT_DELIVERIES) for ever. The deadline's signal aborts when the time is
// up or when the delivery ends (Looker hung up: the ambient signal, abort_scope.ts), whichever
// comes first; its reason says which.
import { currentSignal } from "./abort_scope";
import { HttpTimeoutError } from "./http_errors";

export interface Deadline {
  /** Aborted at the deadline (reason: a TimeoutError, code total_timeout) or with the delivery. */
  signal: AbortSignal;
  /** True when the time ran out (not the delivery's end). */
  expired(): boolean;
  /** Stops the timer once the exchange is over. */
  clear(): void;
}

/** The error a passed deadline ends an exchange with: retried like a timeout, said as one. */
export function deadlineError(ms: number): HttpTimeoutError {
  const err = new HttpTimeoutError("total_timeout", ms);
  // The AWS SDK retries errors by this name, as it does its own timeouts.
  err.name = "TimeoutError";
  return err;
}

/** A deadline `ms` from now, also ended by `signals` and the ambient delivery's signal. */
export function deadline(ms: number, ...signals: Array<AbortSignal | undefined>): Deadline {
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(deadlineError(ms)), ms);
  timer.unref?.();
  const all = [own.signal, ...signals, currentSignal()].filter((s): s is AbortSignal => s instanceof AbortSignal);
  return {
    signal: all.length === 1 ? own.signal : AbortSignal.any(all),
    expired: () => own.signal.aborted,
    clear: () => clearTimeout(timer),
  };
}
