// Google Cloud Storage over its JSON API: listing buckets, checking an object, a resumable
// upload of a stream in chunks (constant memory), V4 signed download links, and the store's
// refusals as sentences. No Action API knowledge: the storage integrations and the email link
// store both use it. The access token comes from google_service_account.ts.
//
// Resumable upload (cloud.google.com/storage/docs/performing-resumable-uploads): a POST opens a
// session; each chunk (a multiple of 256 KiB) is a PUT with Content-Range, answered 308 with the
// bytes persisted so far. A chunk that fails (network, 429, 5xx) is not a reason to start again:
// the session is asked how much it has (`bytes */*`) and the rest of that chunk is resent. A
// session that fails for good is cancelled (DELETE), so no half object is left.
import { Readable } from "stream";
import { RetryableError, UserError } from "../errors";
import { HttpClient, HttpResponse } from "../http_client";
import { Logger } from "../logger";
import { backoffDelay, isRetryableStatus, isTransientNetworkError, sleep } from "../retry";
import { countBytes, networkProblem } from "./store_errors";

export interface GcsSession {
  http: HttpClient;
  /** GCS_API_URL without a trailing slash (https://storage.googleapis.com). */
  apiUrl: string;
  accessToken: string;
  logger?: Logger;
}

const WHO = "Google Cloud Storage";
const QUANTUM = 256 * 1024;

function authHeaders(s: GcsSession): Record<string, string> {
  return { authorization: `Bearer ${s.accessToken}` };
}

async function call(s: GcsSession, url: string, options: { method?: string; headers?: Record<string, string>;
  body?: string | Buffer; maxAttempts?: number; } = {}): Promise<HttpResponse> {
  return s.http.request({
    url, trusted: true, who: WHO, logger: s.logger, method: options.method,
    headers: { ...authHeaders(s), ...options.headers }, body: options.body, maxAttempts: options.maxAttempts,
    acceptStatus: (status) => status < 500 && status !== 429 && status !== 408,
  });
}

/** Every bucket of the project, by name (all pages). */
export async function listGcsBuckets(s: GcsSession, projectId: string): Promise<string[]> {
  const names: string[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const url = new URL(`${s.apiUrl}/storage/v1/b`);
    url.searchParams.set("project", projectId);
    url.searchParams.set("fields", "items(name),nextPageToken");
    if (pageToken) { url.searchParams.set("pageToken", pageToken); }
    const res = await call(s, url.toString());
    if (res.status !== 200) { throw gcsProblem(res, { action: "list", project: projectId }); }
    const answer = res.json();
    for (const item of answer.items ?? []) { if (typeof item.name === "string") { names.push(item.name); } }
    const next = typeof answer.nextPageToken === "string" && answer.nextPageToken ? answer.nextPageToken : undefined;
    // A token that repeats (a broken or hostile server) ends the listing.
    if (!next || next === pageToken) { break; }
    pageToken = next;
  }
  return names.sort((a, b) => a.localeCompare(b));
}

export interface GcsUploadOptions {
  bucket: string;
  name: string;
  body: Readable;
  contentType?: string;
  /** Bytes per PUT, rounded to a multiple of 256 KiB; default 8 MiB. */
  chunkSize?: number;
  /** Refuse to replace an existing object (ifGenerationMatch=0). */
  noOverwrite?: boolean;
  /** Attempts per chunk; default 5. */
  maxAttempts?: number;
  /** First retry delay in ms; default 500. */
  retryBaseDelayMs?: number;
  /** The setting that names the bucket, for messages; default "Bucket". */
  bucketSetting?: string;
}

/** Streams `body` to `bucket/name` with a resumable upload; answers the bytes written. */
export async function uploadGcsStream(s: GcsSession, options: GcsUploadOptions): Promise<{ bytes: number }> {
  const chunkSize = Math.max(QUANTUM, Math.floor((options.chunkSize ?? 8 * 1024 * 1024) / QUANTUM) * QUANTUM);
  const sessionUrl = await openSession(s, options);
  const counted = countBytes(options.body);
  const buffer = Buffer.allocUnsafe(chunkSize);
  let filled = 0;
  let offset = 0;
  const retry = { maxAttempts: options.maxAttempts ?? 5, baseDelayMs: options.retryBaseDelayMs ?? 500 };
  try {
    for await (const piece of counted.stream) {
      let data = piece as Buffer;
      while (data.length) {
        const take = Math.min(data.length, chunkSize - filled);
        data.copy(buffer, filled, 0, take);
        filled += take;
        data = data.subarray(take);
        if (filled === chunkSize) {
          await sendChunk(s, sessionUrl, buffer, offset, undefined, retry, options);
          offset += chunkSize;
          filled = 0;
        }
      }
    }
    await sendChunk(s, sessionUrl, buffer.subarray(0, filled), offset, offset + filled, retry, options);
  } catch (err) {
    await cancelSession(s, sessionUrl);
    throw counted.sourceError() ?? (err instanceof UserError ? err : networkProblem(err, WHO) ?? err);
  }
  return { bytes: counted.bytes() };
}

async function openSession(s: GcsSession, options: GcsUploadOptions): Promise<string> {
  const url = new URL(`${s.apiUrl}/upload/storage/v1/b/${encodeURIComponent(options.bucket)}/o`);
  url.searchParams.set("uploadType", "resumable");
  url.searchParams.set("name", options.name);
  if (options.noOverwrite) { url.searchParams.set("ifGenerationMatch", "0"); }
  const contentType = options.contentType ?? "application/octet-stream";
  const res = await call(s, url.toString(), {
    method: "POST", body: JSON.stringify({ name: options.name, contentType }),
    headers: { "content-type": "application/json; charset=UTF-8", "x-upload-content-type": contentType },
  });
  const location = res.headers.location;
  if (res.status !== 200 || typeof location !== "string") {
    throw gcsProblem(res, { action: "write", bucket: options.bucket, name: options.name,
      bucketSetting: options.bucketSetting });
  }
  // The session URL carries the upload's authority: only ever send data to the API's own origin.
  const session = new URL(location, s.apiUrl);
  if (session.origin !== new URL(s.apiUrl).origin) {
    throw new UserError(`${WHO} answered with an upload address on another host (${session.host}); nothing was sent.`);
  }
  return session.toString();
}

/**
 * Sends `chunk` (which starts at `offset`), `total` set on the last one. A failed PUT is retried
 * from whatever the session says it persisted, never from the start of the upload.
 */
async function sendChunk(
  s: GcsSession, sessionUrl: string, chunk: Buffer, offset: number, total: number | undefined,
  retry: { maxAttempts: number; baseDelayMs: number }, options: GcsUploadOptions,
): Promise<void> {
  const policy = {
    maxAttempts: retry.maxAttempts, baseDelayMs: retry.baseDelayMs, maxDelayMs: 30_000, retryAfterMaxMs: 0,
  };
  let sent = 0;
  let failures = 0;
  let askFirst = false;
  for (;;) {
    let res: HttpResponse | undefined;
    let failure: unknown;
    try {
      if (askFirst) {
        res = await putRange(s, sessionUrl, Buffer.alloc(0), `bytes */${total ?? "*"}`);
      } else {
        const rest = chunk.subarray(sent);
        const first = offset + sent;
        const range = rest.length
          ? `bytes ${first}-${first + rest.length - 1}/${total ?? "*"}` : `bytes */${total ?? "*"}`;
        res = await putRange(s, sessionUrl, rest, range);
      }
    } catch (err) {
      if (!isTransientNetworkError(err) && !(err instanceof RetryableError)) { throw err; }
      failure = err;
    }
    if (res && (res.status === 200 || res.status === 201)) { return; }
    if (res && res.status === 308) {
      sent = Math.min(chunk.length, Math.max(0, persistedBytes(res) - offset));
      askFirst = false;
      if (sent >= chunk.length && total === undefined) { return; }
      continue;
    }
    if (res && (res.status === 404 || res.status === 410)) {
      throw new RetryableError(`${WHO} ended the upload session before it completed. Nothing was written; try again.`);
    }
    if (res && !isRetryableStatus(res.status)) {
      throw gcsProblem(res, { action: "write", bucket: options.bucket,
        bucketSetting: options.bucketSetting });
    }
    failures++;
    if (failures >= retry.maxAttempts) {
      if (res) { throw gcsProblem(res, { action: "write", bucket: options.bucket,
        bucketSetting: options.bucketSetting }); }
      throw networkProblem(failure, WHO) ?? failure;
    }
    s.logger?.info("storage chunk retrying", { store: "gcs", attempt: failures, status: res?.status });
    await sleep(backoffDelay(failures, policy));
    // What arrived of a failed PUT is unknown: ask the session before sending again.
    askFirst = true;
  }
}

function putRange(s: GcsSession, sessionUrl: string, body: Buffer, range: string): Promise<HttpResponse> {
  return s.http.request({
    url: sessionUrl, method: "PUT", trusted: true, who: WHO, logger: s.logger, maxAttempts: 1,
    headers: { "content-range": range }, body, acceptStatus: () => true,
  });
}

/** The byte count a 308's `Range: bytes=0-N` says is persisted. */
function persistedBytes(res: HttpResponse): number {
  const match = /bytes=0-(\d+)/.exec(String(res.headers.range ?? ""));
  return match ? Number(match[1]) + 1 : 0;
}

async function cancelSession(s: GcsSession, sessionUrl: string): Promise<void> {
  await s.http.request({
    url: sessionUrl, method: "DELETE", trusted: true, who: WHO, logger: s.logger, maxAttempts: 2,
    acceptStatus: () => true,
  }).catch(() => undefined);
}

interface ProblemContext {
  action: "list" | "write";
  /** The values typed: never quoted (a failure's message is logged), and removed from Google's own words. */
  bucket?: string; name?: string; project?: string;
  /** The setting that names the bucket; default "Bucket". */
  bucketSetting?: string;
}

/** Google's message without the values the request carried (bucket, object, project, account emails). */
function scrubbed(text: string, ctx: ProblemContext): string {
  let out = text;
  for (const value of [ctx.bucket, ctx.name, ctx.project]) {
    if (value && value.length > 1) { out = out.split(value).join("…"); }
  }
  return out.replace(/[^\s@"']+@[^\s@"']+/g, "the service account");
}

/** A GCS error answer as a sentence for the person who set up the schedule. */
export function gcsProblem(res: HttpResponse, ctx: ProblemContext): UserError {
  let error: any = {};
  try { error = res.json().error ?? {}; } catch { /* not JSON */ }
  const reason = String(error.errors?.[0]?.reason ?? "");
  const detail = scrubbed(String(error.message ?? ""), ctx).slice(0, 300);
  const bucket = ctx.bucket !== undefined ? `the bucket named in "${ctx.bucketSetting ?? "Bucket"}"` : "the bucket";
  const theBucket = bucket.charAt(0).toUpperCase() + bucket.slice(1);
  const permission = ctx.action === "list" ? "storage.buckets.list" : "storage.objects.create";
  switch (res.status) {
    case 401:
      return new UserError(`${WHO} refused the service account's access token${detail ? ` (${detail})` : ""}. ` +
        "Check the client email and private key.");
    case 403:
      if (/billing/i.test(reason + detail)) {
        return new UserError(`${WHO} refused the request: billing is disabled for the project. ` +
          "Enable billing in the Cloud console.");
      }
      if (/quota|exceeded/i.test(reason)) {
        return new UserError(`${WHO} refused the upload: the project's storage quota is used up. ` +
          "Raise it or free space.");
      }
      const where = ctx.action === "list" ? "the project's buckets" : `in ${bucket}`;
      const role = ctx.action === "list" ? "a role with storage.buckets.list, such as Storage Admin"
        : "Storage Object Creator";
      return new UserError(`The service account may not ${ctx.action} ${where}: it needs the ${permission} ` +
        `permission (${role}).`);
    case 404:
      return ctx.project && ctx.action === "list"
        ? new UserError(`${WHO} has no project by the id in "Project Id". Check that setting.`)
        : new UserError(`${theBucket} does not exist in ${WHO}. Pick an existing bucket.`);
    case 400:
      if (/invalid.*project|project/i.test(detail) && ctx.action === "list") {
        return new UserError(`${WHO} does not accept the project id in "Project Id": ${detail}`);
      }
      return new UserError(`${WHO} refused the request: ${detail || "bad request"}.`);
    case 410: // the upload session expired
      return new RetryableError(`${WHO} ended the upload session before it completed. Try again.`);
    case 412:
      return new UserError(`An object of the file's name already exists in ${bucket} and "Overwrite" ` +
        "is off; nothing was replaced.");
    case 429:
      return new RetryableError(`${WHO} kept rate-limiting the upload even after retries. Try again later.`);
  }
  if (res.status >= 500) {
    return new RetryableError(`${WHO} kept failing (HTTP ${res.status}) even after retries. Nothing was written; ` +
      "the next run may succeed.");
  }
  return new UserError(`${WHO} refused the request (HTTP ${res.status})${detail ? `: ${detail}` : ""}.`);
}
