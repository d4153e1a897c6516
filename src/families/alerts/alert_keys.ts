// The keys the alerting destinations (PagerDuty, Opsgenie, Firebase) derive for deduplication:
// the schedule a delivery comes from, stable across its runs, and a short hash of key parts.
import * as crypto from "crypto";
import type { ActionRequest } from "../../hub/action_request";

/** The schedule (or query, or Look) the events come from: stable across runs of one schedule. */
export function scheduleIdentity(request: ActionRequest): string {
  const plan = request.scheduledPlan;
  if (plan?.scheduledPlanId) { return `plan:${plan.scheduledPlanId}`; }
  if (plan?.url) { return `url:${plan.url}`; }
  if (plan?.queryId) { return `query:${plan.queryId}`; }
  return `title:${request.suggestedTitle()}`;
}

/** The first `length` hex digits of the SHA-256 of the parts (as JSON): the same parts, the same key. */
export function keyOf(parts: unknown[], length = 32): string {
  return crypto.createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, length);
}
