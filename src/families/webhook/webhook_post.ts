// Posts to a URL a user typed: a delivery (the webhook, Zapier and Tray integrations), or a JSON
// message a chat vendor's incoming webhook takes (Google Chat, Teams). A delivery's body
// is the data as Looker made it (or the JSON envelope): sent as it is read, with a copy spooled
// on the way so a retry resends the same bytes (src/lib/tee_body.ts); when signed, spooled whole
// first, since its HMAC heads the request. Headers name the format, schedule and delivery so
// receivers can route and deduplicate.
import { Readable } from "stream";
import { metered } from "../../data/delivery/delivery_meter";
import { requestContentType } from "../../data/files/file_naming";
import { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { spoolStream } from "../../lib/spool";
import { hostOf } from "../../lib/url_guard";
import { envelopeStream } from "./webhook_envelope";

export interface PostOptions {
  /** The form field holding the URL, named in validation errors. */
  field: string;
  /** Names the destination in messages, e.g. "Zapier". */
  who?: string;
  /** Adds X-Hub-Signature-256 with the HMAC-SHA256 of the body under this secret. */
  signingSecret?: string;
  /** Sends the JSON envelope (metadata + data) instead of the bare data. */
  envelope?: boolean;
}

export interface PostResult {
  host: string;
  bytes: number;
  status: number;
}

/** Checks the URL with the guard, answering a validation error on the form field. */
export async function checkedUrl(http: HttpClient, raw: string, field: string): Promise<URL> {
  try {
    return await http.guard.check(raw);
  } catch (err) {
    if (err instanceof UserError) { throw new UserError(err.message, { [field]: err.message }); }
    throw err;
  }
}

export async function postDelivery(
  http: HttpClient, request: ActionRequest, rawUrl: string, options: PostOptions,
): Promise<PostResult> {
  const url = await checkedUrl(http, rawUrl, options.field);
  const data = request.delivery ? await request.delivery.stream() : undefined;
  const body = options.envelope ? envelopeStream(request, data) : data ?? Readable.from([]);
  const headers: Record<string, string> = {
    "content-type": options.envelope ? "application/json" : requestContentType(request),
  };
  const named: Array<[string, string | undefined]> = [
    ["x-looker-webhook-id", request.webhookId],
    ["x-looker-instance", request.instanceId],
    ["x-looker-scheduled-plan-id", request.scheduledPlan?.scheduledPlanId],
    ["x-looker-format", request.format],
  ];
  for (const [name, value] of named) {
    if (value && /^[\x20-\x7e]+$/.test(value)) { headers[name] = value; }
  }
  const send = { url, method: "POST", headers, who: options.who, logger: request.logger };
  if (options.signingSecret === undefined) {
    // Sent as it is read (a copy kept for retries), with the length when the data announced it.
    const size = options.envelope ? undefined : data ? request.delivery?.knownSize?.() : 0;
    let bytes = 0;
    const counted = metered(body, (n) => { bytes += n; });
    const response = await http.request({ ...send, body: counted, streamed: { size } });
    return { host: hostOf(url), bytes, status: response.status };
  }
  // The signature heads the request, so the whole body is read (and spooled) before it is sent.
  const spooled = await spoolStream(body, { dir: http.settings.spoolDir, hmacKey: options.signingSecret });
  try {
    headers["x-hub-signature-256"] = `sha256=${spooled.hmacSha256Hex}`;
    const response = await http.request({ ...send, body: spooled });
    return { host: hostOf(url), bytes: spooled.size, status: response.status };
  } finally {
    await spooled.dispose();
  }
}

export interface MessageOptions {
  /** Names the vendor in messages, e.g. "Google Chat". */
  who: string;
  /** The JSON content type the vendor asks for (some want a charset). */
  contentType?: string;
}

/**
 * Posts a JSON message (a chat card) to a webhook URL that `checkedUrl` passed: checked before
 * the delivery is read, so a wrong URL is refused without fetching any data.
 */
export async function postJsonMessage(http: HttpClient, request: ActionRequest, url: URL, message: unknown,
                                      options: MessageOptions): Promise<HttpResponse> {
  return http.request({
    url, method: "POST", headers: { "content-type": options.contentType ?? "application/json" },
    body: JSON.stringify(message), who: options.who, logger: request.logger,
  });
}
