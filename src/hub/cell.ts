// What a cell action knows about the clicked cell beyond its value: the field's name and the
// link back to Looker. Shared by every integration with a cell action.
import { ActionRequest } from "./action_request";

/**
 * The field's name. Looker's cell payload carries only the value; a `field_label` or `field`
 * key in `data` (as some Lookers and LookML-built requests send) names the field.
 */
export function cellField(request: ActionRequest): string | undefined {
  const named = (request.params.field_label ?? request.params.field ?? "").trim();
  if (named) { return named; }
  const fields = request.scheduledPlan?.query?.fields;
  return Array.isArray(fields) && fields.length === 1 && typeof fields[0] === "string" ? fields[0] : undefined;
}

/** The link back to Looker: the plan's URL (the explore or Look the cell came from), when it is one. */
export function cellLink(request: ActionRequest): string | undefined {
  const url = request.scheduledPlan?.url ?? request.params.url;
  return url && /^https?:\/\/[^\s<>|]+$/i.test(url) ? url : undefined;
}
