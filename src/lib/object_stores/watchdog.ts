// A stall watchdog for SDK calls that have no client-side timeout of their own (Azure's
// `tryTimeoutInMs` only asks the server to give up): a store that stops answering would hold a
// delivery forever, so this aborts an operation when no progress (a page, a block) was made for
// `ms`, and `guard` rejects at once even when the SDK ignores the abort.
import { onAbort } from "../abort_scope";

export interface Watchdog {
  signal: AbortSignal;
  kick(): void;
  stop(): void;
  fired(): boolean;
  /** `work`, or a rejection as soon as the watchdog fires (the SDK does not always honour the abort). */
  guard<T>(work: Promise<T>): Promise<T>;
}

/**
 * Armed at once; `kick()` after each sign of progress; fails with `stalled()`, or with the reason
 * of `signal` (the delivery's: Looker hung up) as soon as that aborts.
 */
export function watchdog(ms: number, stalled: () => Error, signal?: AbortSignal): Watchdog {
  const controller = new AbortController();
  let fired = false;
  let gone: Error | undefined;
  let timer: NodeJS.Timeout;
  const arm = () => { timer = setTimeout(() => { fired = true; controller.abort(); }, ms); };
  arm();
  const fires = new Promise<never>((_resolve, reject) =>
    controller.signal.addEventListener("abort", () => reject(gone ?? stalled()), { once: true }));
  fires.catch(() => undefined);
  const stopOuter = onAbort(signal, (reason) => { gone = reason; clearTimeout(timer); controller.abort(); });
  return {
    signal: controller.signal,
    kick: () => { if (!controller.signal.aborted) { clearTimeout(timer); arm(); } },
    stop: () => { clearTimeout(timer); stopOuter(); },
    fired: () => fired,
    guard: <T>(work: Promise<T>) => {
      work.catch(() => undefined);
      return Promise.race([work, fires]);
    },
  };
}

