// What every row destination (HubSpot, Marketo, Braze, mParticle) declares alike: query
// actions, json_detail by Looker version, unformatted values, push and url deliveries, and
// its one way to execute: the shared row pipeline (src/data/rows/row_pipeline.ts) to the
// destination the subclass builds for the request, failing past the rejection threshold.
import { DetailRowsIntegration } from "../../data/rows/detail_rows_integration";
import { maxRejectedParam, maxRejectedPercent } from "../../data/rows/rejection_threshold";
import { deliverRows, RowDestination, rowsOutcome } from "../../data/rows/row_pipeline";
import { masked } from "../../lib/dry_run";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { Param } from "../../hub/integration";

/** What a row destination's dry run checks. */
export const ROW_DRY_RUN_CHECKS = "the settings, the form's values and the required tags; every row is read and " +
  "mapped to the vendor's record as a delivery would map it (rows without an id rejected, as they would be); " +
  "no batch is sent, so what the vendor itself would refuse is not known";

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

  readonly dryRunChecks: string = ROW_DRY_RUN_CHECKS;

  /** Every row read and mapped as `execute` would, no batch sent: the records that would go and those rejected. */
  async dryRun(request: ActionRequest): Promise<ActionResponse> {
    // The credentials first, where the vendor has a call that only reads (Integration.dryRunPreflight).
    const tried = this.dryRunPreflight ? `${(await this.dryRunPreflight(request)).replace(/\.$/, "")}; ` : "";
    const outcome = await rowsOutcome(request, this.destination(request),
      maxRejectedPercent(request, this.defaultMaxRejectedPercent));
    const first = outcome.firstRecord === undefined ? "" :
      ` First record (values masked): ${JSON.stringify(masked(outcome.firstRecord))}.`;
    return ActionResponse.dryRun(`Dry run, nothing was sent to ${this.label}: ${tried}${outcome.message}${first} ` +
      `Checked: ${this.dryRunChecks}.`, {
      integration: this.name, checked: this.dryRunChecks, format: request.format, rows: outcome.rows,
      would_send: outcome.accepted, would_reject: outcome.rejected,
      first_record: outcome.firstRecord === undefined ? undefined : masked(outcome.firstRecord),
    });
  }
}
