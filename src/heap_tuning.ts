// How far V8 lets garbage pile up. After each full collection V8 lets the heap grow to a
// multiple of what was live before it collects again; on a machine with gigabytes of memory
// that multiple approaches 4. A delivery streams, so what is live stays small (15-30 MB), but
// it allocates fast (rows parsed, mapped and serialised): with V8's factor a million-row
// HubSpot delivery peaked at 176 MB and an ad audience at 294 MB, with 1.5 at 131 and 167 MB
// for the same CPU; with 1.25 (the default), a million rows to Braze at 114 MB where 1.5 left
// 166 MB, for 5% more CPU (bench/RESULTS.md). The hub sets the factor once at start.
import * as v8 from "v8";

const FLAG = "--heap-growing-percent";

/**
 * Sets V8's heap growing factor to 1 + percent/100, unless percent is 0 or the node command
 * line sets it already; answers whether it did.
 */
export function tuneHeapGrowth(percent: number, execArgv: readonly string[] = process.execArgv,
                               setFlags: (flags: string) => void = v8.setFlagsFromString): boolean {
  if (percent <= 0 || execArgv.some((arg) => arg === FLAG || arg.startsWith(`${FLAG}=`))) { return false; }
  setFlags(`${FLAG}=${percent}`);
  return true;
}
