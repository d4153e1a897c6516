// Opsgenie answers a create with 202 and processes it afterwards: GET /v2/alerts/requests/<id>
// says how it went (`{"data": {"isSuccess", "status", "alertId"}}`), or 404 "Request not found. It
// might not be processed, yet." while it waits. The hub asks a few times within a few seconds, so a
// create Opsgenie turned down (a responder that does not exist, a disabled integration) is reported
// as the failure it is rather than as accepted.
import { abortableSleep } from "../../lib/abort_scope";
import { HttpClient } from "../../lib/http_client";
import { UserError } from "../../lib/errors";
import { Logger } from "../../lib/logger";
import { requestJson } from "../../lib/vendor_json";

export type RequestOutcome =
  | { kind: "created"; alertId?: string }
  | { kind: "refused"; status: string }
  | { kind: "pending" }
  | { kind: "unknown" };

export interface StatusCheck {
  http: HttpClient;
  /** The Alert API's origin, ending in a slash. */
  baseUrl: string;
  key: string;
  requestId: string;
  logger?: Logger;
  /** Waits before each ask after the first, in ms: their sum bounds the check. */
  waitsMs: number[];
}

/** Asks Opsgenie how a create request went, until it was processed or the waits run out. */
export async function requestOutcome(check: StatusCheck): Promise<RequestOutcome> {
  const url = `${check.baseUrl}v2/alerts/requests/${encodeURIComponent(check.requestId)}`;
  for (let attempt = 0; attempt <= check.waitsMs.length; attempt++) {
    if (attempt > 0) { await abortableSleep(check.waitsMs[attempt - 1]); }
    let result;
    try {
      result = await requestJson(check.http, {
        url, method: "GET", trusted: true, who: "Opsgenie", logger: check.logger, maxAttempts: 1,
        headers: { authorization: `GenieKey ${check.key}` },
      });
    } catch (err) {
      // The alert was accepted: a status check that cannot connect leaves its outcome unknown, no more.
      if (err instanceof UserError) { return { kind: "unknown" }; }
      throw err;
    }
    if (result.unavailable) { continue; }
    if (result.status === 404) { continue; }
    const data = result.answer?.data;
    if (result.status !== 200 || typeof data?.isSuccess !== "boolean") { return { kind: "unknown" }; }
    if (data.isSuccess) {
      return { kind: "created", alertId: typeof data.alertId === "string" ? data.alertId.slice(0, 64) : undefined };
    }
    return { kind: "refused", status: typeof data.status === "string" ? data.status.slice(0, 300) : "" };
  }
  return { kind: "pending" };
}
