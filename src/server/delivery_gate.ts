// At most MAX_CONCURRENT_DELIVERIES executes run at once in a process; the rest wait in
// arrival order, their bodies unread (the socket's backpressure holds the data in the
// client), while the execute route writes its keep-alive newlines. None is refused: at the
// top of the hour Looker fires hundreds of schedules and each must get through, and memory
// then grows by what a waiting request costs (its socket and first chunk), not by what a
// running delivery does.

export type Release = () => void;

export class DeliveryGate {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** Deliveries running now. */
  get active(): number { return this.running; }
  /** Deliveries waiting for a turn. */
  get waiting(): number { return this.queue.length; }

  /**
   * Resolves with the function that frees the turn (call it once the delivery is over) as
   * soon as there is room. When `signal` aborts first (the client hung up), the wait ends
   * with the signal's reason and the place is given up.
   */
  enter(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) { return Promise.reject(signal.reason); }
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const turn = () => {
        signal?.removeEventListener("abort", onAbort);
        this.running++;
        resolve(this.releaser());
      };
      const onAbort = () => {
        const at = this.queue.indexOf(turn);
        if (at >= 0) { this.queue.splice(at, 1); }
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(turn);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) { return; }
      released = true;
      this.running--;
      const next = this.queue.shift();
      if (next) { next(); }
    };
  }
}
