// What every store upload shares: counting the bytes that went through, telling a failure of
// the data's source (Looker's download cut off) from a failure of the store, and network
// failures as sentences (network_errors.ts).
import { PassThrough, Readable } from "stream";
import { RetryableError, UserError } from "../errors";
import { networkError, networkFailure } from "../network_errors";

export interface CountedStream {
  /** The source's bytes, counted as the store reads them. */
  stream: Readable;
  bytes(): number;
  /** The error the source failed with, if it did (then it is the upload's real cause). */
  sourceError(): Error | undefined;
}

/** Passes `source` through, counting bytes and remembering a failure of the source itself. */
export function countBytes(source: Readable): CountedStream {
  let bytes = 0;
  let failure: Error | undefined;
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  source.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (!out.write(chunk)) { source.pause(); }
  });
  out.on("drain", () => source.resume());
  source.once("end", () => out.end());
  source.once("error", (err) => {
    failure = err;
    out.destroy(err);
  });
  // The store gave up (or finished early): stop reading the source.
  out.once("close", () => { if (!source.readableEnded) { source.destroy(); } });
  return { stream: out, bytes: () => bytes, sourceError: () => failure };
}

/**
 * A network or TLS failure as a sentence naming `who` (network_errors.ts: the same table as the
 * shared HTTP client), or undefined when `err` is something else. A cut connection, a silent store
 * and one too slow are said for an upload: nothing was written under the file's name.
 */
export function networkProblem(err: unknown, who: string): UserError | undefined {
  const found = networkFailure(err);
  if (!found) { return undefined; }
  if (found.kind === "reset") {
    return new RetryableError(`The connection to ${who} was cut during the upload, even after retries. ` +
      `Nothing was written under the file's name; try again later.${found.fix ? ` ${found.fix}` : ""}`);
  }
  if (found.code === "total_timeout") {
    return new RetryableError(`${who} did not finish answering within the time the hub allows ` +
      "(HTTP_TOTAL_TIMEOUT_SECONDS): it stopped answering or answered too slowly. Nothing was written under the " +
      "file's name; try again later.");
  }
  if (found.kind === "timeout") {
    return new RetryableError(`${who} stopped answering, so nothing was written under the file's name; ` +
      "try again later.");
  }
  return networkError(err, who);
}
