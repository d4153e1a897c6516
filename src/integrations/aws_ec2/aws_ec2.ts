// Stops the EC2 instances named by a clicked cell or by the query's field tagged
// `aws_resource_id`, through AWS's SDK (StopInstances, signed with SigV4). Named as the official
// hub's action; unlike it, each instance's outcome is reported: which stopped (and from which
// state), which did not, and why.
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { DownloadSetting, Format, iconBeside, Integration, Param, RequiredField } from "../../hub/integration";
import { Attempt, outcomesResponse, TargetOutcome, tryEach } from "../../hub/target_outcomes";
import { taggedValues } from "../../data/rows/tagged_values";
import { groupDigits } from "../../lib/digits";
import { UserError } from "../../lib/errors";
import { Ec2Options, ec2Client, stopInstance } from "./ec2_stop";

const TAG = "aws_resource_id";
const MAX_INSTANCES = 1000;
/** EC2 throttles mutating calls per account; a few at a time with the SDK's backoff stays inside. */
const CONCURRENCY = 4;

export class AwsEc2StopInstanceIntegration extends Integration {
  readonly name = "aws_ec2_stop_instance";
  readonly label = "AWS EC2 - Stop Instance";
  readonly description = "Stop the EC2 instances whose IDs are in a query or a clicked cell.";
  readonly icon = iconBeside(__dirname, "aws_ec2.svg");
  readonly params: Param[] = [{
    name: "access_key_id", label: "Access Key ID", required: true, sensitive: true,
    description: "The access key ID of an IAM user or role allowed ec2:StopInstances on the instances.",
  }, {
    name: "secret_access_key", label: "Secret Access Key", required: true, sensitive: true,
    description: "The secret access key that goes with the access key ID.",
  }, {
    name: "region", label: "Region", required: true, sensitive: false,
    description: "The AWS region of the instances, e.g. us-east-1.",
  }];
  readonly supportedActionTypes: ActionType[] = ["cell", "query"];
  readonly supportedFormats: Format[] = ["json_detail"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  readonly requiredFields: RequiredField[] = [{ tag: TAG }];

  constructor(private readonly options: Ec2Options) { super(); }

  readonly dryRunChecks = "the settings; the tagged instance IDs; and each instance's stop, sent with EC2's own " +
    "DryRun flag (EC2 checks the key, the permission and the instance, and stops nothing)";

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const { outcomes, region } = await this.stopEach(request, false);
    request.logger.info("ec2 stop requests", {
      instances: outcomes.length, failed: outcomes.filter((o) => !o.ok).length,
    });
    return outcomesResponse(outcomes, {
      done: (t) => `Stopped ${t}`, verb: "stop", noun: "instance", where: ` in ${region}`,
    });
  }

  /** Each tagged instance's stop sent with EC2's DryRun: what would be stopped and what refused. */
  async dryRun(request: ActionRequest): Promise<ActionResponse> {
    const { outcomes, region } = await this.stopEach(request, true);
    const allowed = outcomes.filter((o) => o.ok).length;
    const refused = outcomes.find((o) => !o.ok);
    return ActionResponse.dryRun(`Dry run, nothing was sent to ${this.label}: EC2's DryRun says the key may stop ` +
      `${groupDigits(allowed)} of ${groupDigits(outcomes.length)} instance${outcomes.length === 1 ? "" : "s"} in ` +
      `${region}${refused ? `; ${refused.target}: ${refused.detail}` : ""}. Checked: ${this.dryRunChecks}.`,
    { integration: this.name, checked: this.dryRunChecks, format: request.format, rows: outcomes.length,
      would_send: allowed, would_reject: outcomes.length - allowed });
  }

  /** Stops (or, with `dryRun`, asks EC2's DryRun about) every tagged instance, a few at a time. */
  private async stopEach(request: ActionRequest, dryRun: boolean)
    : Promise<{ outcomes: TargetOutcome[]; region: string }> {
    const region = request.params.region.trim().toLowerCase();
    if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) {
      throw new UserError("The Region setting is not an AWS region; ask your Looker admin to set one such as " +
        "us-east-1.");
    }
    const { values } = await taggedValues(request, TAG, { what: "instance ID", max: MAX_INSTANCES });
    const client = await ec2Client(this.options, region, {
      accessKeyId: request.params.access_key_id.trim(), secretAccessKey: request.params.secret_access_key.trim(),
    });
    try {
      const outcomes = await tryEach(values, CONCURRENCY, (id) => id, async (id): Promise<Attempt> => {
        if (!/^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
          return { target: `"${id}"`, ok: false, detail: "not an EC2 instance ID (i- and 8 or 17 hex digits)" };
        }
        return stopInstance(client, id, region, dryRun);
      });
      return { outcomes, region };
    } finally {
      client.destroy();
    }
  }
}
