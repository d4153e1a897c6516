// An open-loop load generator: request i starts at t0 + i / rate whatever the earlier ones
// are doing, so a slow hub cannot slow the offered load down (no coordinated omission).
// Latency is counted from the scheduled start. Bounded: exactly rate x seconds requests, each
// with a timeout, loopback only; it stops by itself.
import { RawHttpPool } from "./raw_http";

export interface RequestKind {
  name: string;
  /** Relative share of the traffic. */
  weight: number;
  path: string;
  body: string;
  /** An error message when the answer is not what a healthy hub gives, else undefined. */
  check(status: number, body: string): string | undefined;
}

export interface KindStats {
  name: string;
  sent: number;
  errors: number;
  /** Latencies in ms, from each request's scheduled start to the end of its answer. */
  latencies: number[];
}

export interface OpenLoopResult {
  /** From the first scheduled start to the last answer. */
  seconds: number;
  /** From the first scheduled start to the last actual start. */
  firedSeconds: number;
  sent: number;
  /** Requests not sent because too many were in flight (counted as errors): sent minus these reached the hub. */
  refused: number;
  completed: number;
  errors: number;
  /** Up to ten distinct error messages, with counts. */
  errorSamples: Map<string, number>;
  kinds: KindStats[];
  /** Worst delay between a request's scheduled start and its actual start, in ms. */
  worstStartLagMs: number;
}

export interface OpenLoopOptions {
  url: string;
  key: string;
  rate: number;
  seconds: number;
  kinds: RequestKind[];
  /** Called every `everyMs` with the seconds elapsed. */
  onTick?: (elapsed: number) => void;
  everyMs?: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** More requests in flight than this means the hub is not keeping up; further ones count as errors. */
const MAX_IN_FLIGHT = 2000;

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) { return NaN; }
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, kinds } = options;
  const total = Math.round(rate * options.seconds);
  // Keep-alive connections, as many as there are requests in flight (so traffic spreads over
  // cluster workers too); each kind's request bytes are built once.
  const pool = new RawHttpPool(options.url);
  const requests = kinds.map((k) => RawHttpPool.build(options.url, "POST", k.path,
    { "Authorization": `Token token="${options.key}"`, "Content-Type": "application/json" }, k.body));
  const stats: KindStats[] = kinds.map((k) => ({ name: k.name, sent: 0, errors: 0, latencies: [] }));
  const errorSamples = new Map<string, number>();
  let completed = 0;
  let inFlight = 0;
  let worstStartLagMs = 0;
  let refused = 0;
  const fail = (s: KindStats, message: string) => {
    s.errors++;
    if (errorSamples.has(message) || errorSamples.size < 10) {
      errorSamples.set(message, (errorSamples.get(message) ?? 0) + 1);
    }
  };
  // A fixed pattern of kinds, each spread evenly by its weight (deterministic, no randomness).
  const slots: Array<{ index: number; at: number }> = [];
  kinds.forEach((k, index) => {
    for (let w = 0; w < k.weight; w++) { slots.push({ index, at: (w + 0.5) / k.weight }); }
  });
  const pattern = slots.sort((a, b) => a.at - b.at).map((slot) => slot.index);

  let done: () => void;
  const allDone = new Promise<void>((resolve) => { done = resolve; });
  const finishOne = () => { completed++; inFlight--; if (completed === total) { done(); } };

  const fire = (i: number, scheduledAt: number) => {
    const kindIndex = pattern[i % pattern.length];
    const kind = kinds[kindIndex];
    const s = stats[kindIndex];
    s.sent++;
    worstStartLagMs = Math.max(worstStartLagMs, performance.now() - scheduledAt);
    if (inFlight >= MAX_IN_FLIGHT) {
      inFlight++;
      refused++;
      fail(s, "client: too many requests in flight");
      finishOne();
      return;
    }
    inFlight++;
    pool.send(requests[kindIndex], REQUEST_TIMEOUT_MS, (error, answer) => {
      const problem = error ?? kind.check(answer!.status, answer!.body);
      if (problem) { fail(s, `${kind.name}: ${problem}`); } else {
        s.latencies.push(performance.now() - scheduledAt);
      }
      finishOne();
    });
  };

  const t0 = performance.now();
  const intervalMs = 1000 / rate;
  let next = 0;
  let lastTick = 0;
  let firedSeconds = 0;
  const everyMs = options.everyMs ?? 5000;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && t0 + next * intervalMs <= now) { fire(next, t0 + next * intervalMs); next++; }
      if (options.onTick && now - t0 - lastTick >= everyMs) {
        lastTick += everyMs;
        options.onTick(lastTick / 1000);
      }
      if (next >= total) { firedSeconds = (performance.now() - t0) / 1000; resolve(); return; }
      setTimeout(tick, Math.max(0, t0 + next * intervalMs - performance.now()));
    };
    tick();
  });
  if (total > 0) { await allDone; }
  const seconds = (performance.now() - t0) / 1000;
  pool.destroy();
  stats.forEach((s) => s.latencies.sort((a, b) => a - b));
  return {
    seconds, firedSeconds, sent: total, refused, completed, errors: stats.reduce((sum, s) => sum + s.errors, 0),
    errorSamples,
    kinds: stats, worstStartLagMs,
  };
}
