// What every row destination (HubSpot, Marketo, Braze, mParticle) declares alike: query
// actions, json_detail by Looker version, unformatted values, push and url deliveries, and
// its one way to execute: the shared row pipeline (src/data/rows/row_pipeline.ts) to the
// destination the subclass builds for the request, failing past the rejection threshold.
import { DetailRowsIntegration } from "../../data/rows/detail_rows_integration";
import { maxRejectedParam, maxRejectedPercent } from "../../data/rows/rejection_threshold";
import { deliverRows, RowDestination } from "../../data/rows/row_pipeline";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { Param } from "../../hub/integration";

export abstract class RowIntegration extends DetailRowsIntegration {
  readonly minimumSupportedLookerVersion: string = "5.5.0";

  /** `defaultMaxRejectedPercent`: MAX_REJECTED_ROWS_PERCENT, when the admin param is empty. */
  constructor(private readonly defaultMaxRejectedPercent: number) { super(); }

  /** The vendor's params followed by the rejection threshold every row destination offers. */
  protected withThreshold(params: Param[]): Param[] {
    return [...params, maxRejectedParam(this.defaultMaxRejectedPercent)];
  }

  /** The destination for this request; throws a UserError for a param or form value that cannot work. */
  protected abstract destination(request: ActionRequest): RowDestination<unknown>;

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const threshold = maxRejectedPercent(request, this.defaultMaxRejectedPercent);
    return ActionResponse.ok(await deliverRows(request, this.destination(request), threshold));
  }
}
