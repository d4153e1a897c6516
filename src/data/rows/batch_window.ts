// At most `size` batches in flight. `submit` waits for room, which is what slows the row
// reader down to the vendor's pace (backpressure): memory holds the batches in flight and the
// one being filled, whatever the delivery's size. The first failure is kept; later batches
// are not started, and `drain` waits for the ones still running.

export class BatchWindow {
  private readonly running = new Set<Promise<void>>();
  private error?: unknown;

  constructor(private readonly size: number) {}

  get failed(): boolean { return this.error !== undefined; }
  get failure(): unknown { return this.error; }

  /** Starts `task` once there is room; does nothing after a failure. */
  async submit(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= Math.max(1, this.size) && !this.failed) {
      await Promise.race(this.running);
    }
    if (this.failed) { return; }
    const run: Promise<void> = task().catch((err) => {
      if (!this.failed) { this.error = err ?? new Error("batch failed"); }
    }).finally(() => { this.running.delete(run); });
    this.running.add(run);
  }

  /** Waits for every batch in flight. */
  async drain(): Promise<void> {
    while (this.running.size > 0) { await Promise.race(this.running); }
  }
}
