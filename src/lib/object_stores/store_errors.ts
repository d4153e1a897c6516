// What every store upload shares: counting the bytes that went through, telling a failure of
// the data's source (Looker's download cut off) from a failure of the store, and network
// failures as sentences.
import { PassThrough, Readable } from "stream";
import { RetryableError, UserError } from "../errors";

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

const UNREACHABLE = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN"]);
const CUT = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE", "UND_ERR_SOCKET"]);
const TIMEOUT = new Set(["ETIMEDOUT", "TimeoutError", "RequestTimeout", "ESOCKETTIMEDOUT"]);

/** A network failure as a sentence naming `who`, or undefined when `err` is something else. */
export function networkProblem(err: unknown, who: string): UserError | undefined {
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
  if (!e || typeof e !== "object") { return undefined; }
  // The shared HTTP client's errors carry the network code in `failure`.
  const code = String(e.code ?? (e as { failure?: { code?: string } }).failure?.code ?? "");
  const name = String(e.name ?? "");
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new UserError(`${who} could not be found (the host name does not resolve). Check the endpoint or region.`);
  }
  if (UNREACHABLE.has(code)) {
    return new RetryableError(`${who} could not be reached (${code}). Nothing was written; try again later.`);
  }
  if (CUT.has(code) || e.message === "socket hang up") {
    return new RetryableError(`The connection to ${who} was cut during the upload, even after retries. ` +
      "Nothing was written under the file's name; try again later.");
  }
  if (TIMEOUT.has(code) || TIMEOUT.has(name)) {
    return new RetryableError(`${who} stopped answering, so nothing was written under the file's name; ` +
      "try again later.");
  }
  if (e.cause && e.cause !== err) { return networkProblem(e.cause, who); }
  return undefined;
}
