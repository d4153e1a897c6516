// Dropbox's errors (HTTP 409 with {error_summary, error}, 401 with the token's fate) as sentences.
import { UserError } from "../../lib/errors";
import { HttpResponse } from "../../lib/http_client";

export interface DropboxError {
  status: number;
  /** e.g. "path/insufficient_space/.." */
  summary: string;
  body: any;
}

export function dropboxError(response: HttpResponse): DropboxError {
  let body: any = {};
  try { body = response.json(); } catch { body = {}; }
  const summary = typeof body?.error_summary === "string" ? body.error_summary : response.text().slice(0, 200);
  return { status: response.status, summary, body };
}

/** Dropbox refused to write over what is at the path (`mode: add`, no autorename). */
export class DropboxConflict extends UserError {}

/** The sentence for a refused Dropbox call; `path` is the file or folder it was about. */
export function dropboxFailure(response: HttpResponse, path: string): UserError {
  const { status, summary } = dropboxError(response);
  if (/insufficient_space/.test(summary)) {
    return new UserError(`Your Dropbox is full, so ${path} was not saved. Free some space or upgrade the ` +
      "Dropbox plan, then send it again.");
  }
  if (/conflict/.test(summary)) {
    return new DropboxConflict(`Dropbox already has ${path} (or a folder in its way). Choose another file name, or set ` +
      "\"Include timestamp\" to Yes so every delivery gets its own name.");
  }
  if (/disallowed_name|malformed_path/.test(summary)) {
    return new UserError(`Dropbox does not allow the name ${path}. Choose a file name without characters such as ` +
      "< > : \" | ? * and without a trailing dot or space.");
  }
  if (/no_write_permission/.test(summary)) {
    return new UserError(`Your Dropbox account may not write to ${path}. Choose a folder you can edit.`);
  }
  if (/too_many_write_operations|too_many_requests/.test(summary)) {
    return new UserError("Dropbox is limiting how fast this account may write. Try again in a few minutes.");
  }
  if (/not_found/.test(summary)) {
    return new UserError(`Dropbox could not find the folder of ${path}: it was moved or deleted. Choose another ` +
      "folder in the form.");
  }
  const said = summary ? `: ${summary.replace(/\/\.*$/, "").replace(/\s+/g, " ").slice(0, 160)}` : "";
  return new UserError(`Dropbox answered HTTP ${status}${said}.`);
}
