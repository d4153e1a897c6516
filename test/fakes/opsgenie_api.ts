// Opsgenie's Alert API v2 create endpoint (POST /v2/alerts) as Opsgenie documents it: the key in
// `Authorization: GenieKey <key>`; 202 `{"result": "Request will be processed", "took", "requestId"}`;
// 401 "Could not authenticate"; 403 for a key without create access; 422 with `errors` per field;
// 429 when over the rate limit. Field limits: message 130, alias 512, description 15,000, 20 tags.
// Deduplication as Opsgenie documents the alias: a create whose alias names an open alert adds one
// to that alert's count instead of opening another.
import * as crypto from "crypto";
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const API_KEY = "eb243592-faa2-4ba2-a551q-1afdf565c889";
export const READ_ONLY_KEY = "0d3c1c1e-6f4e-4b55-9f1b-readonly0001";

function json(status: number, body: Record<string, unknown>, requestId: string = crypto.randomUUID()): Reply {
  return { status, headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, took: 0.004, requestId }) };
}

interface CreateRequest { alert: any; asks: number; }

export function tooManyRequests(): Reply {
  return json(429, { message: "You are making too many requests! To avoid errors, we recommend you limit requests." });
}

export class OpsgenieFake extends HttpReceiver {
  /** The alerts Opsgenie accepted, as it read them. */
  readonly alerts: any[] = [];
  /** Open alerts by alias (Opsgenie's deduplication key): the message that opened it and its count. */
  readonly open = new Map<string, { message: string; count: number }>();
  /** Asks of a create request's status answered 404 "not processed yet" before its outcome. */
  processAfterAsks = 0;
  /** When set, processing turns each create down with this status (isSuccess false). */
  refuseWith?: string;
  private readonly requests = new Map<string, CreateRequest>();

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  private route(r: Received): Reply {
    const status = /^\/v2\/alerts\/requests\/([^/?]+)$/.exec(r.path);
    if (r.method === "GET" && status) { return this.requestStatus(r, decodeURIComponent(status[1])); }
    // List alerts: any key with Read Access (both keys here have it).
    if (r.method === "GET" && /^\/v2\/alerts(\?.*)?$/.test(r.path)) {
      const key = String(r.headers.authorization ?? "");
      if (key !== `GenieKey ${API_KEY}` && key !== `GenieKey ${READ_ONLY_KEY}`) {
        return json(401, { message: "Could not authenticate" });
      }
      return json(200, { data: [...this.open.values()].slice(0, 1), took: 0.01, requestId: "r-list" });
    }
    if (r.method !== "POST" || r.path !== "/v2/alerts") { return json(404, { message: "Not found" }); }
    const auth = String(r.headers.authorization ?? "");
    if (auth === `GenieKey ${READ_ONLY_KEY}`) {
      return json(403, { message: "You are not authorized to perform this operation." });
    }
    if (auth !== `GenieKey ${API_KEY}`) { return json(401, { message: "Could not authenticate" }); }
    let alert: any;
    try { alert = JSON.parse(r.body.toString("utf8")); } catch { return json(400, { message: "Could not parse request body" }); }
    const errors: Record<string, string> = {};
    if (typeof alert.message !== "string" || !alert.message.trim()) { errors.message = "Message can not be empty."; }
    else if (alert.message.length > 130) { errors.message = "Message can not be longer than 130 characters."; }
    if (alert.priority !== undefined && !["P1", "P2", "P3", "P4", "P5"].includes(alert.priority)) {
      errors.priority = "Priority should be one of [P1, P2, P3, P4, P5]";
    }
    if (typeof alert.alias === "string" && alert.alias.length > 512) { errors.alias = "Alias can not be longer than 512 characters."; }
    if (typeof alert.description === "string" && alert.description.length > 15000) {
      errors.description = "Description can not be longer than 15000 characters.";
    }
    if (Array.isArray(alert.tags) && alert.tags.length > 20) { errors.tags = "Tags can not be more than 20."; }
    if (alert.details && JSON.stringify(alert.details).length > 8000) { errors.details = "Details can not be longer than 8000 characters."; }
    if (Object.keys(errors).length) {
      return json(422, { message: "Request body is not processable. Please check the errors.", errors });
    }
    this.alerts.push(alert);
    const alias = typeof alert.alias === "string" && alert.alias ? alert.alias : alert.message;
    const opened = this.open.get(alias);
    if (opened) { opened.count++; } else { this.open.set(alias, { message: alert.message, count: 1 }); }
    const requestId = crypto.randomUUID();
    this.requests.set(requestId, { alert, asks: 0 });
    return json(202, { result: "Request will be processed" }, requestId);
  }

  private requestStatus(r: Received, requestId: string): Reply {
    if (r.headers.authorization !== `GenieKey ${API_KEY}`) { return json(401, { message: "Could not authenticate" }); }
    const found = this.requests.get(requestId);
    if (!found || found.asks++ < this.processAfterAsks) {
      return json(404, { message: "Request not found. It might not be processed, yet." });
    }
    const ok = this.refuseWith === undefined;
    return json(200, { data: { success: ok, action: "Create", processedAt: "2026-11-28T00:00:01.000Z",
      integrationId: "c9cec2cb-e782-4ebb-bc1d-1b2fa703cf03", isSuccess: ok, status: ok ? "Created alert" : this.refuseWith,
      alertId: ok ? `alert-${this.alerts.indexOf(found.alert) + 1}` : "", alias: found.alert.alias } });
  }
}
