// Frees the data path's spent buffers sooner. A delivery copied into an upload's parts (or cut
// into SFTP packets) leaves every chunk it read behind as garbage: the socket's 64 KiB reads,
// the push decoder's slices. V8 frees a Buffer's memory only when a GC collects the small JS
// object that owns it, and a byte-copying path allocates almost nothing on the JS heap, so
// scavenges are rare: the dead buffers piled up to V8's external-memory limit (about 64 MB)
// before a GC came. `npm run bench -- storage` (1 GiB, S3 and Azure, download_url): hub peak
// RSS 151-152 MB without this, 130-131 MB with a scavenge every few MiB copied. A scavenge
// of a young generation of dead buffers takes well under a millisecond.
//
// A chunk still in use at a scavenge (waiting for its socket or file write) is moved to the old
// generation, and only a full collection frees it. V8 starts those on its heap's growth, which
// such chunks hardly add to (their bytes lie outside it), so with the start flags' marking
// triggers (src/process/node_flags.ts) they piled up towards the external-memory limit: a 1 GiB
// download to SFTP peaked at 167-172 MB, the burst's one-at-a-time run at 175-184 MB. So after
// each scavenge the Buffers' memory is looked at, and once it stands EXTERNAL_GROWTH_BYTES above
// the lowest seen since the last full collection, one is asked for (bench/RESULTS.md, issue 30).
// A full collection every 32 MiB instead kept those peaks but cost Segment's rows 0.6-0.8 CPU s a
// million, where V8's own collections free the chunks anyway.
//
// The scavenge is V8's own `gc({ type: "minor" })`, exposed at run time the way Jest's leak
// detector does it (`--expose-gc` set, then `gc` read from a fresh context); where that is
// refused, nothing happens and V8 collects as it always does.
import * as fs from "fs";
import * as v8 from "v8";
import * as vm from "vm";

type Gc = (options?: { type: "minor" | "major" }) => void;

/** Bytes of spent data between two scavenges. */
export const SCAVENGE_EVERY_BYTES = 4 * 1024 * 1024;
/** At most one scavenge this often, however many deliveries copy at once (a cap on its CPU). */
const MIN_INTERVAL_MS = 10;
/** Growth of the Buffers' memory past its lowest since the last full collection that asks for one. */
export const EXTERNAL_GROWTH_BYTES = 12 * 1024 * 1024;

let gc: Gc | null | undefined;
let spent = 0;
let last = 0;
let externalFloor = Infinity;

function exposedGc(): Gc | null {
  if (gc === undefined) {
    gc = (globalThis as { gc?: Gc }).gc ?? null;
    if (!gc) {
      try {
        v8.setFlagsFromString("--expose-gc");
        gc = vm.runInNewContext("gc") as Gc;
      } catch {
        gc = null;
      }
    }
  }
  return gc;
}

/** Notes `bytes` of stream chunks consumed (now garbage); scavenges every SCAVENGE_EVERY_BYTES. */
export function spentBytes(bytes: number): void {
  spent += bytes;
  if (spent < SCAVENGE_EVERY_BYTES) { return; }
  const now = Date.now();
  if (now - last < MIN_INTERVAL_MS) { return; }
  spent = 0;
  last = now;
  const collect = exposedGc();
  if (!collect) { return; }
  collect({ type: "minor" });
  const external = v8.getHeapStatistics().external_memory;
  externalFloor = Math.min(externalFloor, external);
  if (external - externalFloor < EXTERNAL_GROWTH_BYTES) { return; }
  majorCollection();
}

/**
 * A file's bytes as a stream whose chunks count as spent when read (each is garbage once passed
 * on): a spool file read back into a request otherwise piles its chunks up as above (`npm run
 * bench -- slack`: a 500 MiB push uploaded from its spool had 58 MB of dead buffers at the peak).
 */
export function spentFileStream(file: string, options: { fd?: number; start?: number; autoClose?: boolean;
  highWaterMark?: number } = {}): fs.ReadStream {
  const stream = fs.createReadStream(file, options);
  const push = stream.push;
  stream.push = function (chunk: unknown, encoding?: BufferEncoding) {
    if (Buffer.isBuffer(chunk)) { spentBytes(chunk.length); }
    return push.call(this, chunk, encoding);
  };
  return stream;
}

/** A full collection now (V8's `gc({ type: "major" })`); false where gc could not be had. */
export function majorCollection(): boolean {
  const collect = exposedGc();
  collect?.({ type: "major" });
  // What it left (or more, until V8's sweeper frees the collected Buffers' memory: the next looks lower it).
  externalFloor = v8.getHeapStatistics().external_memory;
  return collect !== null;
}
