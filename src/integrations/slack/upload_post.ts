// Sends a file's bytes to the upload URL Slack handed out (files.getUploadURLExternal), through
// the hub's shared HTTP client: its timeouts, retries (a spooled file is sent again; a stream of
// a known length goes as it is read, its copy sent again) and bounded reading of the answer
// apply as to every other vendor call.
import { Readable } from "stream";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { Logger } from "../../lib/logger";
import { SpooledBody } from "../../lib/spool";

/** The bytes: a spooled file, or a stream of exactly the length Slack was told. */
export type UploadBody = SpooledBody | Readable;

export interface UploadPostOptions {
  http: HttpClient;
  /** Base URL of the Web API: an http (not https) upload URL is accepted only when this is http too. */
  apiUrl: string;
  logger?: Logger;
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

/** POSTs the file's bytes to Slack's upload URL; failures come back as the client's user errors. */
export async function postFileToUploadUrl(uploadUrl: string, file: UploadBody, size: number,
                                          options: UploadPostOptions) {
  await options.http.request({
    url: checkedUrl(uploadUrl, options.apiUrl),
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: file,
    // A stream of another length than Slack was told fails (BodyLengthError) rather than send it.
    ...(file instanceof Readable ? { streamed: { size } } : {}),
    // The address comes from Slack's answer to a call on the operator-configured SLACK_API_URL.
    trusted: true,
    who: "Slack's file upload",
    logger: options.logger,
    // Only the status matters; a long answer is cut rather than read.
    maxResponseBytes: 64 * 1024,
  });
}
