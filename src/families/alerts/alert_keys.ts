// The keys the alerting destinations (PagerDuty, Opsgenie, Firebase) derive for deduplication:
// the schedule a delivery comes from, stable across its runs, and a short hash of key parts.
import * as crypto from "crypto";
import type { FormField } from "../../hub/action_form";
import type { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";

/** The schedule (or query, or Look) the events come from: stable across runs of one schedule. */
export function scheduleIdentity(request: ActionRequest): string {
  const plan = request.scheduledPlan;
  if (plan?.scheduledPlanId) { return `plan:${plan.scheduledPlanId}`; }
  if (plan?.url) { return `url:${plan.url}`; }
  if (plan?.queryId) { return `query:${plan.queryId}`; }
  return `title:${request.suggestedTitle()}`;
}

/**
 * The form's choice of what one alert stands for (docs/exactly_once.md, "Alerts"): per schedule (the
 * default, as before), every run of a schedule updates the alert it left open, which is what alert
 * de-duplication is for; per delivery, each delivery (Looker's webhook id) opens its own, and only the
 * same delivery sent again is merged into it.
 */
export const DEDUPLICATE_FIELD: FormField = {
  name: "deduplicate", label: "Deduplicate", type: "select", default: "schedule",
  options: [{ name: "schedule", label: "Per schedule: the next run updates the open alert" },
    { name: "delivery", label: "Per delivery: every run alerts anew" }],
  description: "Per schedule: runs of this schedule share one key, so an alert still open is updated rather than " +
    "raised again. Per delivery: each delivery has its own key; only the same delivery sent again is merged.",
};

/** What the keys of a query's alerts derive from: the schedule, or the delivery when the form says so. */
export function alertSource(request: ActionRequest): string {
  const choice = request.formParams.deduplicate || "schedule";
  if (choice !== "schedule" && choice !== "delivery") {
    throw new UserError("Deduplicate must be \"schedule\" or \"delivery\".", { deduplicate: "Pick one." });
  }
  if (choice === "schedule") { return scheduleIdentity(request); }
  // Without Looker's webhook id a delivery has no name: each is its own.
  return `delivery:${request.webhookId ?? crypto.randomUUID()}`;
}

/** The first `length` hex digits of the SHA-256 of the parts (as JSON): the same parts, the same key. */
export function keyOf(parts: unknown[], length = 32): string {
  return crypto.createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, length);
}
