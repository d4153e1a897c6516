// How many rejected rows a row delivery tolerates before it counts as failed: the admin param
// `max_rejected_percent` of the integration, else MAX_REJECTED_ROWS_PERCENT (default 5).
import type { ActionRequest } from "../../hub/action_request";
import type { Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";

export const MAX_REJECTED_PARAM_NAME = "max_rejected_percent";

/** The admin param every row destination offers. */
export function maxRejectedParam(defaultPercent: number): Param {
  return {
    name: MAX_REJECTED_PARAM_NAME,
    label: "Rejected rows allowed (%)",
    description: `Fail a delivery when more than this % of its rows is rejected (0-100; ${defaultPercent} if empty).`,
    required: false,
    sensitive: false,
  };
}

/** The threshold for this request; a value that is not a percentage fails before any vendor call. */
export function maxRejectedPercent(request: ActionRequest, defaultPercent: number): number {
  const raw = request.params[MAX_REJECTED_PARAM_NAME]?.trim();
  if (!raw) { return defaultPercent; }
  const value = Number(raw.replace(/%$/, ""));
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new UserError(`The setting "Rejected rows allowed (%)" must be a number from 0 to 100. ` +
      "Ask your Looker admin to correct it under Admin > Actions.");
  }
  return value;
}
