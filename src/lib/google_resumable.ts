// Google's resumable upload protocol, shared by every Google API that takes one (Cloud Storage
// objects, BigQuery load jobs): a session opened by the API's own POST; then each chunk (a
// multiple of 256 KiB) is a PUT with Content-Range, answered 308 with the bytes persisted so far,
// the last one answered 200/201 with the API's resource. A chunk that fails (network, 429, 5xx)
// is not a reason to start again: the session is asked how much it has (`bytes */*`) and the rest
// of that chunk is resent. A session that fails for good is cancelled (DELETE), so nothing half
// written is kept. Chunks are filled from the stream one at a time: constant memory at any size.
import { Readable } from "stream";
import { RetryableError, UserError } from "./errors";
import { HttpClient, HttpResponse } from "./http_client";
import { Logger } from "./logger";
import { countBytes, networkProblem } from "./object_stores/store_errors";
import { abortableSleep, currentSignal } from "./abort_scope";
import { backoffDelay, isRetryableStatus, isTransientNetworkError } from "./retry";

const QUANTUM = 256 * 1024;

export interface ResumableUpload {
  http: HttpClient;
  logger?: Logger;
  /** The API, in messages ("Google Cloud Storage"). */
  who: string;
  /** The session's address, from `sessionAddress`. */
  sessionUrl: string;
  /**
   * The bytes: a stream, or pieces each of which is copied into the chunk before the next is asked
   * for (so a producer may hand the same buffer again, refilled: nothing is held between pieces).
   */
  body: Readable | AsyncIterable<Buffer>;
  /** Bytes per PUT, rounded to a multiple of 256 KiB; default 8 MiB. */
  chunkSize?: number;
  /** Attempts per chunk; default 5. */
  maxAttempts?: number;
  /** First retry delay in ms; default 500. */
  retryBaseDelayMs?: number;
  /** The error for an answer that refuses a chunk (not 308, not retried). */
  refused(res: HttpResponse): UserError;
}

/**
 * The session address a POST answered in Location, refused unless on the API's own origin: it
 * carries the upload's authority, so data only ever goes to the API itself.
 */
export function sessionAddress(location: string, apiUrl: string, who: string): string {
  const session = new URL(location, apiUrl);
  if (session.origin !== new URL(apiUrl).origin) {
    throw new UserError(`${who} answered with an upload address on another host (${session.host}); nothing was sent.`);
  }
  return session.toString();
}

/** Streams the body through the session; answers the bytes sent and the last chunk's answer (the resource). */
export async function uploadResumable(u: ResumableUpload): Promise<{ bytes: number; last: HttpResponse }> {
  const chunkSize = Math.max(QUANTUM, Math.floor((u.chunkSize ?? 8 * 1024 * 1024) / QUANTUM) * QUANTUM);
  const counted = counting(u.body);
  const buffer = Buffer.allocUnsafe(chunkSize);
  let filled = 0;
  let offset = 0;
  let last: HttpResponse | undefined;
  try {
    for await (const piece of counted.stream) {
      let data = piece as Buffer;
      while (data.length) {
        const take = Math.min(data.length, chunkSize - filled);
        data.copy(buffer, filled, 0, take);
        filled += take;
        data = data.subarray(take);
        if (filled === chunkSize) {
          await sendChunk(u, buffer, offset, undefined);
          offset += chunkSize;
          filled = 0;
        }
      }
    }
    last = await sendChunk(u, buffer.subarray(0, filled), offset, offset + filled);
  } catch (err) {
    await cancelSession(u);
    throw counted.sourceError() ?? (err instanceof UserError ? err : networkProblem(err, u.who) ?? err);
  }
  return { bytes: counted.bytes(), last: last! };
}

/** The body's pieces, counted; a stream's failure kept apart from the upload's own. */
function counting(body: Readable | AsyncIterable<Buffer>):
    { stream: AsyncIterable<Buffer>; bytes(): number; sourceError(): Error | undefined } {
  if (body instanceof Readable) { return countBytes(body); }
  let bytes = 0;
  async function* pieces(): AsyncGenerator<Buffer> {
    for await (const piece of body) {
      bytes += piece.length;
      yield piece;
    }
  }
  return { stream: pieces(), bytes: () => bytes, sourceError: () => undefined };
}

/**
 * Sends `chunk` (which starts at `offset`), `total` set on the last one, whose answer it returns.
 * A failed PUT is retried from whatever the session says it persisted, never from the start.
 */
async function sendChunk(u: ResumableUpload, chunk: Buffer, offset: number, total: number | undefined):
    Promise<HttpResponse | undefined> {
  const maxAttempts = u.maxAttempts ?? 5;
  const policy = { maxAttempts, baseDelayMs: u.retryBaseDelayMs ?? 500, maxDelayMs: 30_000, retryAfterMaxMs: 0 };
  let sent = 0;
  let failures = 0;
  let askFirst = false;
  for (;;) {
    let res: HttpResponse | undefined;
    let failure: unknown;
    try {
      if (askFirst) {
        res = await putRange(u, Buffer.alloc(0), `bytes */${total ?? "*"}`);
      } else {
        const rest = chunk.subarray(sent);
        const first = offset + sent;
        const range = rest.length
          ? `bytes ${first}-${first + rest.length - 1}/${total ?? "*"}` : `bytes */${total ?? "*"}`;
        res = await putRange(u, rest, range);
      }
    } catch (err) {
      if (!isTransientNetworkError(err) && !(err instanceof RetryableError)) { throw err; }
      failure = err;
    }
    if (res && (res.status === 200 || res.status === 201)) { return res; }
    if (res && res.status === 308) {
      sent = Math.min(chunk.length, Math.max(0, persistedBytes(res) - offset));
      askFirst = false;
      if (sent >= chunk.length && total === undefined) { return undefined; }
      continue;
    }
    if (res && (res.status === 404 || res.status === 410)) {
      throw new RetryableError(`${u.who} ended the upload session before it completed. Nothing was written; try again.`);
    }
    if (res && !isRetryableStatus(res.status)) { throw u.refused(res); }
    failures++;
    if (failures >= maxAttempts) {
      if (res) { throw u.refused(res); }
      throw networkProblem(failure, u.who) ?? failure;
    }
    u.logger?.info("upload chunk retrying", { who: u.who, attempt: failures, status: res?.status });
    // The wait ends with the delivery too (Looker hung up).
    await abortableSleep(backoffDelay(failures, policy), currentSignal());
    // What arrived of a failed PUT is unknown: ask the session before sending again.
    askFirst = true;
  }
}

function putRange(u: ResumableUpload, body: Buffer, range: string): Promise<HttpResponse> {
  return u.http.request({
    url: u.sessionUrl, method: "PUT", trusted: true, who: u.who, logger: u.logger, maxAttempts: 1,
    headers: { "content-range": range }, body, acceptStatus: () => true,
  });
}

/** The byte count a 308's `Range: bytes=0-N` says is persisted. */
function persistedBytes(res: HttpResponse): number {
  const match = /bytes=0-(\d+)/.exec(String(res.headers.range ?? ""));
  return match ? Number(match[1]) + 1 : 0;
}

async function cancelSession(u: ResumableUpload): Promise<void> {
  await u.http.request({
    url: u.sessionUrl, method: "DELETE", trusted: true, who: u.who, logger: u.logger, maxAttempts: 2,
    acceptStatus: () => true,
  }).catch(() => undefined);
}
