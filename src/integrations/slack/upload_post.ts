// Sends a spooled file's bytes to the upload URL Slack handed out (files.getUploadURLExternal).
// This is the one place the Slack integration speaks raw HTTP; it moves to the hub's shared
// HTTP client (src/lib/http_client.ts) once that exists.
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { RetryableError, UserError } from "../../hub/errors";

export interface UploadPostOptions {
  /** Base URL of the Web API: an http (not https) upload URL is accepted only when this is http too. */
  apiUrl: string;
  /** Retries of network failures and 5xx answers; the file on disk is sent again. */
  retries?: number;
  retryDelayMs?: number;
  /** Idle socket timeout. */
  timeoutMs?: number;
  /** Longest one attempt may take, sending included. */
  totalTimeoutMs?: number;
}

class UploadFailure extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

function checkedUrl(uploadUrl: string, apiUrl: string): URL {
  let url: URL;
  try {
    url = new URL(uploadUrl);
  } catch {
    throw new UserError("Slack handed out an upload address the integration service cannot use. Try again later.");
  }
  const plainAllowed = new URL(apiUrl).protocol === "http:";
  if (url.protocol !== "https:" && !(plainAllowed && url.protocol === "http:")) {
    throw new UserError("Slack handed out an upload address that is not https; the file was not sent.");
  }
  return url;
}

function postOnce(url: URL, file: string, bytes: number, timeoutMs: number, totalTimeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === "https:" ? https : http;
    const body = fs.createReadStream(file);
    let settled = false;
    const settle = (failure?: UploadFailure) => {
      if (settled) { return; }
      settled = true;
      clearTimeout(deadline);
      body.destroy();
      req.destroy();
      return failure ? reject(failure) : resolve();
    };
    const req = transport.request(url, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream", "Content-Length": String(bytes) },
    }, (res) => {
      // Only the status matters, so the answer is not read: one that never ends costs nothing.
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) { return settle(); }
      settle(new UploadFailure(`HTTP ${status}`, status >= 500 || status === 429));
    });
    const deadline = setTimeout(() => settle(new UploadFailure("it took too long", true)), totalTimeoutMs);
    req.setTimeout(timeoutMs, () => settle(new UploadFailure("Slack stopped answering", true)));
    req.on("error", (err) => settle(new UploadFailure(err.message, true)));
    body.on("error", (err) => settle(new UploadFailure(err.message, true)));
    body.pipe(req);
  });
}

/** POSTs the file's bytes to Slack's upload URL, retrying transient failures. */
export async function postFileToUploadUrl(
  uploadUrl: string, file: string, bytes: number, options: UploadPostOptions,
): Promise<void> {
  const url = checkedUrl(uploadUrl, options.apiUrl);
  const retries = options.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    try {
      return await postOnce(url, file, bytes, options.timeoutMs ?? 120_000, options.totalTimeoutMs ?? 900_000);
    } catch (err) {
      const failure = err as UploadFailure;
      if (failure.retryable && attempt < retries) {
        await new Promise((r) => setTimeout(r, (options.retryDelayMs ?? 1000) * 2 ** attempt));
        continue;
      }
      if (failure.retryable) {
        throw new RetryableError(`Sending the file to Slack failed (${failure.message}). Try again later.`);
      }
      throw new UserError(`Slack refused the file's bytes (${failure.message}). Try again; if it persists, ` +
        "send fewer rows or another format.");
    }
  }
}
