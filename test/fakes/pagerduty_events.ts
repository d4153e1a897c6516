// PagerDuty's Events API v2 enqueue endpoint: validates events as PagerDuty documents them and
// answers 202 `{status, message, dedup_key}`, or 400 `{status: "invalid event", message, errors}`.
// Incidents are kept as PagerDuty documents dedup_key: a trigger whose key names an open incident
// is added to that incident's log; otherwise it opens one.
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const ROUTING_KEY = "R0123456789abcdef0123456789abcde";

export class PagerDutyFake extends HttpReceiver {
  /** Extra refusals a test chooses (e.g. one row's event), as PagerDuty's `errors` list. */
  refuse?: (event: any) => string[] | undefined;
  /** Open incidents by dedup key: the summary that opened it and how many triggers it logged. */
  readonly incidents = new Map<string, { summary: string; triggers: number }>();

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  /** The events accepted, in order of arrival. */
  get events(): any[] {
    return this.received.filter((r) => r.path === "/v2/enqueue" && r.body.length).map((r) => JSON.parse(r.body.toString("utf8")));
  }

  private route(r: Received): Reply {
    if (r.method !== "POST" || r.path !== "/v2/enqueue") { return { status: 404, body: "Not found" }; }
    let event: any;
    try { event = JSON.parse(r.body.toString("utf8")); } catch { return invalid(["Event must be JSON"]); }
    const errors: string[] = [];
    if (typeof event.routing_key !== "string" || event.routing_key.length !== 32) {
      errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
    }
    if (!["trigger", "acknowledge", "resolve"].includes(event.event_action)) {
      errors.push("'event_action' is invalid");
    }
    const p = event.payload ?? {};
    if (!p.summary) { errors.push("'payload.summary' is missing or blank"); }
    if (!p.source) { errors.push("'payload.source' is missing or blank"); }
    if (!["critical", "error", "warning", "info"].includes(p.severity)) {
      errors.push("'payload.severity' is invalid");
    }
    if (typeof p.summary === "string" && p.summary.length > 1024) { errors.push("'payload.summary' is too long"); }
    if (typeof event.dedup_key === "string" && event.dedup_key.length > 255) { errors.push("'dedup_key' is too long"); }
    errors.push(...(this.refuse?.(event) ?? []));
    if (errors.length) { return invalid(errors); }
    if (event.event_action === "trigger") {
      const open = this.incidents.get(event.dedup_key);
      if (open) { open.triggers++; } else { this.incidents.set(event.dedup_key, { summary: p.summary, triggers: 1 }); }
    } else if (event.event_action === "resolve") {
      this.incidents.delete(event.dedup_key);
    }
    return { status: 202, headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "success", message: "Event processed", dedup_key: event.dedup_key }) };
  }
}

function invalid(errors: string[]): Reply {
  return { status: 400, headers: { "content-type": "application/json" },
    body: JSON.stringify({ status: "invalid event", message: "Event object is invalid", errors }) };
}
