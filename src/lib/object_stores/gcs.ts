// Google Cloud Storage over its JSON API: listing buckets, checking an object, a resumable
// upload of a stream in chunks (constant memory), V4 signed download links, and the store's
// refusals as sentences. No Action API knowledge: the storage integrations and the email link
// store both use it. The access token comes from google_service_account.ts.
// The upload itself is Google's resumable upload protocol (google_resumable.ts): a POST here opens
// the session.
import { Readable } from "stream";
import { RetryableError, UserError } from "../errors";
import { sessionAddress, uploadResumable } from "../google_resumable";
import { HttpClient, HttpResponse } from "../http_client";
import { Logger } from "../logger";

export interface GcsSession {
  http: HttpClient;
  /** GCS_API_URL without a trailing slash (https://storage.googleapis.com). */
  apiUrl: string;
  accessToken: string;
  logger?: Logger;
}

const WHO = "Google Cloud Storage";

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
  const sessionUrl = await openSession(s, options);
  const { bytes } = await uploadResumable({
    http: s.http, logger: s.logger, who: WHO, sessionUrl, body: options.body, chunkSize: options.chunkSize,
    maxAttempts: options.maxAttempts, retryBaseDelayMs: options.retryBaseDelayMs,
    refused: (res) => gcsProblem(res, { action: "write", bucket: options.bucket, bucketSetting: options.bucketSetting }),
  });
  return { bytes };
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
  return sessionAddress(location, s.apiUrl, WHO);
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

/** Cloud Storage refused to replace an existing object (ifGenerationMatch=0 answered 412). */
export class GcsObjectExists extends UserError {}

/** A GCS error answer as a sentence for the person who set up the schedule. */
export function gcsProblem(res: HttpResponse, ctx: ProblemContext): UserError {
  let error: any = {};
  try { error = res.json().error ?? {}; } catch { /* not JSON */ }
  const reason = String(error.errors?.[0]?.reason ?? "");
  const detail = scrubbed(String(error.message ?? ""), ctx).slice(0, 300);
  const bucket = ctx.bucket !== undefined ? `the bucket named in "${ctx.bucketSetting ?? "Bucket"}"` : "the bucket";
  const theBucket = bucket.charAt(0).toUpperCase() + bucket.slice(1);
  const permission = ctx.action === "list" ? "storage.buckets.list" : "storage.objects.create";
  if (res.status < 300) {
    // A success status where Cloud Storage answers otherwise (an upload's start without its Location):
    // whatever answered is not Cloud Storage's JSON API.
    return new UserError(`${WHO} answered with HTTP ${res.status} but not as Cloud Storage does` +
      `${ctx.action === "write" ? " (no upload address), so nothing was written" : ""}. Ask the hub's admin to ` +
      "check GCS_API_URL (Cloud Storage's is https://storage.googleapis.com).");
  }
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
      return new GcsObjectExists(`An object of the file's name already exists in ${bucket} and "Overwrite" ` +
        "is off; nothing was replaced.");
    case 429:
      return new RetryableError(`${WHO} kept rate-limiting the upload even after retries. Try again later.`);
  }
  if (res.status >= 500) {
    return new RetryableError(`${WHO} kept failing (HTTP ${res.status}) even after retries. Nothing was written; ` +
      "the next run may succeed.");
  }
  return new UserError(`${WHO} refused the request (HTTP ${res.status})${detail ? `: ${detail}` : ""}. Nothing was ` +
    "written; check the service account, the bucket and its permissions, and try again.");
}
