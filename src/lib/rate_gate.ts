// Request starts spread to a vendor's rate limit, per key (Airtable: 5 requests per second per
// base): each start takes the next free slot, 1/rate seconds after the one before, so no second
// ever sees more than `perSecond` starts. Shared by every delivery of the process, so two
// schedules to one base do not add up to twice the limit. `hold` pushes a key's next slot out
// after the vendor said to wait (Airtable: 30 seconds after a 429).
import { sleep } from "./retry";

export class RateGate {
  private readonly next = new Map<string, number>();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  /** Resolves when a request for `key` may start. */
  async take(key: string): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.next.get(key) ?? 0);
    this.next.set(key, slot + 1000 / this.perSecond);
    if (this.next.size > 1000) { this.prune(now); }
    if (slot > now) { await this.wait(slot - now); }
  }

  /** No start for `key` before `ms` from now. */
  hold(key: string, ms: number): void {
    this.next.set(key, Math.max(this.next.get(key) ?? 0, this.now() + ms));
  }

  private prune(now: number): void {
    for (const [key, at] of this.next) { if (at < now) { this.next.delete(key); } }
  }
}
