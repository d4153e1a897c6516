// Where the delivery policy (src/hub/policy.ts) meets the routes: the instance rules before a
// definition, form or execute; the users rules on the params Looker filled in; the field rules on
// the delivery's data before the integration reads any of it. Each refusal is logged with the rule
// that matched (never a value) and counted in /metrics.
import { ActionRequest } from "../hub/action_request";
import { Integration } from "../hub/integration";
import { DeliveryPolicy, PolicyRefusal } from "../hub/policy";
import { formatInfo } from "../hub/formats";
import { PolicedDelivery, TAGGED_FORMATS } from "../data/rows/policed_delivery";
import { Logger } from "../lib/logger";
import { HubMetrics } from "./metrics";

export class PolicyGate {
  constructor(readonly policy: DeliveryPolicy | undefined, private readonly metrics: HubMetrics) {}

  /** Counts and logs a refusal, then lets it go on to be answered. */
  private refused(err: unknown, integration: Integration, logger: Logger): never {
    if (err instanceof PolicyRefusal) {
      this.metrics.policyRefused(integration.name, err.rule.kind, err.rule.id);
      logger.info("policy refused", { rule: err.rule.id, line: err.rule.line, kind: err.rule.kind });
    }
    throw err;
  }

  /** Refuses an integration the policy does not offer this Looker instance. */
  checkInstance(integration: Integration, instanceId: string | undefined, logger: Logger): void {
    try {
      this.policy?.checkInstance(instanceId, integration.name, integration.label);
    } catch (err) {
      this.refused(err, integration, logger);
    }
  }

  /** The users rules, on a form or execute request. */
  checkUser(integration: Integration, request: ActionRequest): void {
    try {
      this.policy?.checkUser(integration.name, integration.label, request.params);
    } catch (err) {
      this.refused(err, integration, request.logger);
    }
  }

  /** The field rules: refuses the delivery, or puts the rewritten data in its place. */
  async applyFieldRules(integration: Integration, request: ActionRequest): Promise<void> {
    const rules = this.policy?.fieldRulesFor(integration.name) ?? [];
    if (!rules.length) { return; }
    try {
      await this.fieldRules(integration, request);
    } catch (err) {
      this.refused(err, integration, request.logger);
    }
  }

  private async fieldRules(integration: Integration, request: ActionRequest): Promise<void> {
    const policy = this.policy!;
    const tagged = request.type !== "cell" && TAGGED_FORMATS.includes(request.format ?? "");
    if (!tagged) {
      // A query with no data at all has nothing to check.
      if (request.type !== "cell" && !request.delivery) { return; }
      const strict = policy.fieldRulesFor(integration.name).find((rule) => rule.withoutTags === "refuse");
      if (!strict) { return; }
      const what = request.type === "cell" ? "a single value from a table" :
        `a ${formatInfo(request.format)?.extension.toUpperCase() ?? "file"} delivery`;
      throw new PolicyRefusal(`This hub's policy keeps fields tagged "${strict.tag}" from ${integration.label}, ` +
        `and ${what} carries no field tags the hub could check, so nothing was sent (rule ${strict.id}, line ` +
        `${strict.line} of the hub's policy file). Deliver the data as JSON with details where ${integration.label} ` +
        "offers it, or ask the hub's admin.", { id: strict.id, line: strict.line, kind: "fields" });
    }
    const policed = new PolicedDelivery(request.delivery!);
    const treatment = policy.treatmentOf(integration.name, await policed.readFields());
    if (treatment.refused) {
      await policed.abandon();
      const { field, tag, rule } = treatment.refused;
      throw new PolicyRefusal(`This hub's policy keeps fields tagged "${tag}" from ${integration.label}: the field ` +
        `"${field}" carries that tag, so nothing was sent (rule ${rule.id}, line ${rule.line} of the hub's policy ` +
        "file). Remove the field from the query, or ask the hub's admin.", { id: rule.id, line: rule.line, kind: "fields" });
    }
    policed.apply(treatment);
    request.delivery = policed;
    if (treatment.drop.size || treatment.hash.size) {
      request.logger.info("policy applied", { droppedFields: treatment.drop.size, hashedFields: treatment.hash.size });
    }
  }
}
