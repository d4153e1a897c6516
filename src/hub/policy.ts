// The delivery policy (POLICY_FILE, docs/policy.md): which Looker instance is offered which
// integration, which users may deliver to one (by a user attribute Looker fills in), and what
// happens to fields carrying a LookML tag on their way to one. Decisions only: the server applies
// them (src/server/policy_gate.ts), the data layer rewrites rows (src/data/rows/policed_delivery.ts).
import type { FieldAction, FieldRule, InstanceRule, PolicySettings, UserRule } from "../config/policy";
import { ConfigError } from "../config/values";
import { UserError } from "../lib/errors";
import type { Param } from "./integration";

export type RuleKind = "fields" | "users" | "instances";

/** A delivery or form the policy refuses; the message names the rule, never a value. */
export class PolicyRefusal extends UserError {
  constructor(message: string, readonly rule: { id: string; line: number; kind: RuleKind }) {
    super(message);
  }
}

/** What to do with each field of a delivery: refuse it whole, or drop or hash some fields. */
export interface FieldTreatment {
  refused?: { field: string; tag: string; rule: FieldRule };
  drop: Set<string>;
  hash: Set<string>;
}

/** A field as the policy sees it: its name and its LookML tags. */
export interface TaggedField { name: string; tags: string[]; }

const STRENGTH: Record<FieldAction, number> = { refuse: 3, drop: 2, hash: 1 };

function names(rule: { integrations: string[] }, integration: string): boolean {
  return rule.integrations.includes("*") || rule.integrations.includes(integration);
}

/** The param Looker fills with the user's attribute, for a users rule. */
export function userAttributeParam(attribute: string): string {
  return `policy_${attribute}`;
}

export class DeliveryPolicy {
  constructor(readonly settings: PolicySettings, integrationNames: readonly string[]) {
    const known = new Set(integrationNames);
    for (const rule of [...settings.fields, ...settings.users, ...settings.instances]) {
      const unknown = rule.integrations.find((name) => name !== "*" && !known.has(name));
      if (unknown) {
        throw new ConfigError(`POLICY_FILE ${settings.file}: line ${rule.line}: ${rule.id} names "${unknown}", ` +
          "which is no integration of this hub (the names are those of GET / and the README's list).");
      }
    }
  }

  /** The instance rules that speak for this Looker (its X-Looker-Instance), if any. */
  private instanceRules(instanceId: string | undefined): InstanceRule[] {
    const id = (instanceId ?? "").trim().toLowerCase();
    return id ? this.settings.instances.filter((rule) => rule.instance.toLowerCase() === id) : [];
  }

  /** False when an instance rule names this Looker and does not list the integration. */
  offers(instanceId: string | undefined, integration: string): boolean {
    const rules = this.instanceRules(instanceId);
    return rules.length === 0 || rules.some((rule) => names(rule, integration));
  }

  /** Tells apart the Lookers whose action lists differ (a cache key); "" for every other one. */
  listKey(instanceId: string | undefined): string {
    return this.instanceRules(instanceId).map((rule) => rule.id).join(",");
  }

  /** Refuses an integration this Looker is not offered. */
  checkInstance(instanceId: string | undefined, integration: string, label: string): void {
    if (this.offers(instanceId, integration)) { return; }
    const rule = this.instanceRules(instanceId)[0];
    throw new PolicyRefusal(`This hub's policy does not offer ${label} to this Looker instance ` +
      `(rule ${rule.id}, line ${rule.line} of the hub's policy file). Ask the hub's admin.`,
    { id: rule.id, line: rule.line, kind: "instances" });
  }

  usersRulesFor(integration: string): UserRule[] {
    return this.settings.users.filter((rule) => names(rule, integration));
  }

  fieldRulesFor(integration: string): FieldRule[] {
    return this.settings.fields.filter((rule) => names(rule, integration));
  }

  /** The params users rules add to an integration's definition, one per user attribute. */
  paramsFor(integration: string): Param[] {
    const attributes = [...new Set(this.usersRulesFor(integration).map((rule) => rule.userAttribute))];
    return attributes.map((attribute) => ({
      name: userAttributeParam(attribute),
      label: `Policy: ${attribute}`,
      description: `Filled by Looker from each user's "${attribute}" user attribute. This hub's policy delivers ` +
        "only for users whose value is one it allows (docs/policy.md).",
      required: false,
      sensitive: false,
      user_attribute_name: attribute,
    }));
  }

  /** Refuses a user whose attribute (as Looker filled in the param) a users rule does not allow. */
  checkUser(integration: string, label: string, params: Record<string, string>): void {
    for (const rule of this.usersRulesFor(integration)) {
      const value = params[userAttributeParam(rule.userAttribute)];
      if (value !== undefined && rule.allow.includes(value.trim())) { continue; }
      const why = value === undefined || value.trim() === ""
        ? `your Looker user has no value for the user attribute "${rule.userAttribute}"`
        : `your Looker user's "${rule.userAttribute}" user attribute is not one it allows`;
      throw new PolicyRefusal(`This hub's policy lets only some users deliver to ${label}, and ${why} ` +
        `(rule ${rule.id}, line ${rule.line} of the hub's policy file). Ask your Looker admin.`,
      { id: rule.id, line: rule.line, kind: "users" });
    }
  }

  /** What the integration's field rules do with these fields (tags compared without case). */
  treatmentOf(integration: string, fields: TaggedField[]): FieldTreatment {
    const rules = this.fieldRulesFor(integration);
    const treatment: FieldTreatment = { drop: new Set(), hash: new Set() };
    for (const field of fields) {
      const tags = field.tags.map((tag) => tag.toLowerCase());
      let strongest: FieldRule | undefined;
      for (const rule of rules) {
        if (!tags.includes(rule.tag.toLowerCase())) { continue; }
        if (!strongest || STRENGTH[rule.action] > STRENGTH[strongest.action]) { strongest = rule; }
      }
      if (!strongest) { continue; }
      if (strongest.action === "refuse") {
        treatment.refused = treatment.refused ?? { field: field.name, tag: strongest.tag, rule: strongest };
      } else {
        treatment[strongest.action].add(field.name);
      }
    }
    return treatment;
  }

  /** What applies to one integration, for the console and the docs' examples. */
  describe(integration: string): PolicyView {
    const where = (rule: { id: string; line: number }) => ({ rule: rule.id, line: rule.line });
    return {
      file: this.settings.file,
      fields: this.fieldRulesFor(integration).map((rule) =>
        ({ ...where(rule), tag: rule.tag, action: rule.action, without_tags: rule.withoutTags })),
      users: this.usersRulesFor(integration).map((rule) =>
        ({ ...where(rule), user_attribute: rule.userAttribute, param: userAttributeParam(rule.userAttribute) })),
      instances: this.settings.instances
        .filter((rule) => !this.offers(rule.instance, integration))
        .map((rule) => ({ ...where(rule), instance: rule.instance, offered: false as const })),
    };
  }
}

export interface PolicyView {
  file: string;
  fields: Array<{ rule: string; line: number; tag: string; action: FieldAction; without_tags: string }>;
  users: Array<{ rule: string; line: number; user_attribute: string; param: string }>;
  /** The Looker instances that are not offered this integration. */
  instances: Array<{ rule: string; line: number; instance: string; offered: false }>;
}
