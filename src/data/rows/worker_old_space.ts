// Keeps a row worker's old space near what is live in it. V8 lets an old generation grow by at
// least 8 MB past its live size before it collects it (its smallest growing step, whatever
// --heap-growing-percent says), and a row worker's old space fills fast with garbage: at
// 160,000 rows/s it grew from 5-6 MB live to 12-16 MB between V8's own mark-compacts, about
// every 250 ms (bench/RESULTS.md, issue 30 part 2). That is memory at the process's peak. So
// after each chunk of rows the worker looks at its old space and collects it once it has grown
// by OLD_GROWTH_BYTES since the last collection: 1M rows to HubSpot, Braze and mParticle peaked
// about 10 MB lower (alternating runs), for about 0.3 s more CPU a million rows.
import * as v8 from "v8";
import { majorCollection } from "../../lib/young_garbage";

/** Old-space growth between two collections at most. */
export const OLD_GROWTH_BYTES = 2 * 1024 * 1024;

/** The old space's use after the last collection (ours or V8's: it only falls then). */
let base = 0;

function oldSpaceUsed(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === "old_space")?.space_used_size ?? 0;
}

/**
 * Called between chunks of rows: collects the old space when it grew by OLD_GROWTH_BYTES since
 * the last collection; answers whether it did.
 */
export function boundOldSpace(): boolean {
  const used = oldSpaceUsed();
  if (used <= base || base === 0) {
    base = used;
    return false;
  }
  if (used - base < OLD_GROWTH_BYTES) { return false; }
  base = majorCollection() ? oldSpaceUsed() : Number.MAX_SAFE_INTEGER;
  return true;
}
