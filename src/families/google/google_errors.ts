// Google's JSON errors ({error: {code, message, errors: [{reason}], status}}) as sentences a
// Looker user can act on.
import { RetryableError, UserError } from "../../lib/errors";
import { HttpResponse } from "../../lib/http_client";

export interface GoogleError {
  status: number;
  reason: string;
  message: string;
}

export function googleError(response: HttpResponse): GoogleError {
  let body: any = {};
  try { body = response.json(); } catch { /* not JSON */ }
  const error = body && typeof body.error === "object" && body.error ? body.error : {};
  const fallback = typeof body.error === "string" ? body.error : "";
  const reason = String(error.errors?.[0]?.reason ?? error.status ?? fallback);
  const message = String(error.message ?? body.error_description ?? "").replace(/\s+/g, " ").slice(0, 200);
  return { status: response.status, reason, message };
}

/** The error for a refused Google call; `api` names it ("Google Drive"), `what` the object ("the folder"). */
export function googleFailure(response: HttpResponse, api: string, what = "the file"): UserError {
  const e = googleError(response);
  const said = e.message ? ` (${e.message})` : "";
  switch (e.reason) {
    case "storageQuotaExceeded":
    case "quotaExceeded":
      if (e.status === 403 && e.reason === "storageQuotaExceeded") {
        return new UserError(`Your Google Drive storage is full, so ${api} did not save ${what}. ` +
          "Free some space (or ask for more) and send it again.");
      }
      break;
    case "insufficientFilePermissions":
    case "insufficientPermissions":
    case "forbidden":
    case "PERMISSION_DENIED":
      return new UserError(`Your Google account may not write to ${what}${said}. Choose a folder you can edit, ` +
        "or ask its owner for edit access.");
    case "notFound":
    case "NOT_FOUND":
      return new UserError(`${api} could not find ${what}: it was deleted, or your Google account cannot see it. ` +
        "Choose another in the form.");
    case "rateLimitExceeded":
    case "userRateLimitExceeded":
    case "RESOURCE_EXHAUSTED":
      return new RetryableError(`${api} is limiting how fast this account may write${said}. ` +
        "Try again in a few minutes.");
    case "accessNotConfigured":
    case "SERVICE_DISABLED":
      return new UserError(`The ${api} API is not enabled in the Google Cloud project of this hub's OAuth client. ` +
        "Ask the hub's admin to enable it in the Google Cloud console (APIs & Services > Library).");
  }
  if (e.status === 404) {
    return new UserError(`${api} could not find ${what}. Choose another in the form.`);
  }
  return new UserError(`${api} answered HTTP ${e.status}${said}.`);
}
