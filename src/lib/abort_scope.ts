// Ending work nobody waits for. When Looker hangs up on an execute, the server aborts the
// request's signal; the download, the outbound HTTP client (its attempt, its retries, its
// spool) and anything else that takes a signal stop. The signal is also ambient: the client
// picks up the signal of the delivery it runs within (AsyncLocalStorage), so every
// integration's vendor calls stop without passing it along by hand.
import { AsyncLocalStorage } from "async_hooks";
import { UserError } from "./errors";

/** The reason of an aborted delivery: the client (Looker) went away. */
export class ClientGoneError extends UserError {
  constructor() {
    super("Looker closed the connection before the delivery finished, so the delivery was stopped. " +
      "Send it again; if this keeps happening, check the proxies between Looker and this hub for timeouts.");
  }
}

/** A signal, or what makes it when first asked (an AbortSignal costs; many deliveries never ask). */
export type SignalSource = AbortSignal | (() => AbortSignal);

const scope = new AsyncLocalStorage<SignalSource>();

/** Runs `work` with `signal` as the ambient signal of everything it starts. */
export function withSignal<T>(signal: SignalSource, work: () => Promise<T>): Promise<T> {
  return scope.run(signal, work);
}

/**
 * Runs `work` outside any delivery: for work that outlives its request (following a job after the
 * answer went out), which must not stop when that request's client leaves.
 */
export function detached<T>(work: () => T): T {
  return scope.exit(work);
}

/** The ambient signal, when the caller runs within a delivery. */
export function currentSignal(): AbortSignal | undefined {
  const source = scope.getStore();
  return typeof source === "function" ? source() : source;
}

/** The error an aborted signal carries, as an Error. */
export function abortReason(signal: AbortSignal): Error {
  const reason = signal.reason;
  return reason instanceof Error ? reason : new ClientGoneError();
}

/**
 * Calls `onAbort` once when `signal` aborts (at once if it already has); answers a function
 * that removes the listener.
 */
export function onAbort(signal: AbortSignal | undefined, onAbortCall: (reason: Error) => void): () => void {
  if (!signal) { return () => undefined; }
  if (signal.aborted) {
    onAbortCall(abortReason(signal));
    return () => undefined;
  }
  const listener = () => onAbortCall(abortReason(signal));
  signal.addEventListener("abort", listener, { once: true });
  return () => signal.removeEventListener("abort", listener);
}

/** Waits `ms`, or rejects with the abort reason as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let stop = () => undefined as void;
    const timer = setTimeout(() => { stop(); resolve(); }, ms);
    stop = onAbort(signal, (reason) => { clearTimeout(timer); reject(reason); });
  });
}
