// The integrations this hub offers, and their definitions as Looker sees them. Icons are
// read once at construction; the action list is built once per Looker version and kept.
import { NotFoundError } from "../lib/errors";
import {
  ALL_FORMATTINGS, ALL_VISUALIZATION_FORMATTINGS, iconDataUri, Integration, IntegrationDefinition,
} from "./integration";
import { LookerVersion, versionKey } from "./looker_version";
import { DeliveryPolicy } from "./policy";
import type { PolicySettings } from "../config/policy";

export interface ActionList {
  label: string;
  integrations: IntegrationDefinition[];
}

/** A declaration leaves some value out (none declared, or all of them, restricts nothing). */
function restricts<T>(declared: readonly T[], all: readonly T[]): boolean {
  return declared.length > 0 && all.some((value) => !declared.includes(value));
}

/** Versions Looker has shipped are few; this bounds the cache against odd User-Agents. */
const MAX_CACHED_VERSIONS = 200;

export class Registry {
  private readonly byName = new Map<string, Integration>();
  private readonly icons = new Map<string, string>();
  private readonly lists = new Map<string, string>();
  /** The delivery policy (POLICY_FILE), checked against these integrations' names. */
  readonly policy?: DeliveryPolicy;

  constructor(readonly integrations: Integration[], private readonly label: string, private readonly baseUrl: string,
    policy?: PolicySettings) {
    for (const integration of integrations) {
      if (this.byName.has(integration.name)) {
        throw new Error(`Two integrations are named "${integration.name}".`);
      }
      this.byName.set(integration.name, integration);
      this.icons.set(integration.name, iconDataUri(integration.icon));
    }
    if (policy) { this.policy = new DeliveryPolicy(policy, integrations.map((i) => i.name)); }
  }

  /** The integration of that name visible to that Looker, or a NotFoundError. */
  get(name: string, lookerVersion: LookerVersion): Integration {
    const integration = this.byName.get(name);
    if (!integration || !integration.isVisibleTo(lookerVersion)) {
      throw new NotFoundError(`No integration named "${name}" on this hub.`);
    }
    if (integration.needsSetup) {
      throw new NotFoundError(`${integration.label} is not set up on this hub yet: its admin must set ` +
        `${integration.oauth!.setupVariables.join(" and ")}.`);
    }
    return integration;
  }

  iconOf(name: string): string | undefined {
    return this.icons.get(name);
  }

  definition(integration: Integration, lookerVersion: LookerVersion): IntegrationDefinition {
    const actionUrl = `${this.baseUrl}/actions/${encodeURIComponent(integration.name)}`;
    const definition: IntegrationDefinition = {
      name: integration.name,
      label: integration.label,
      description: integration.description,
      icon_data_uri: this.icons.get(integration.name) ?? null,
      url: `${actionUrl}/execute`,
      form_url: integration.hasForm ? `${actionUrl}/form` : null,
      // A users rule of the policy adds the param Looker fills from the user attribute it names.
      params: this.policy ? [...integration.params, ...this.policy.paramsFor(integration.name)] : integration.params,
      required_fields: integration.requiredFields,
      supported_action_types: integration.supportedActionTypes,
      supported_formats: integration.formatsFor({ lookerVersion }),
      ...(restricts(integration.supportedFormattings, ALL_FORMATTINGS)
        ? { supported_formattings: integration.supportedFormattings } : {}),
      ...(restricts(integration.supportedVisualizationFormattings, ALL_VISUALIZATION_FORMATTINGS)
        ? { supported_visualization_formattings: integration.supportedVisualizationFormattings } : {}),
      supported_download_settings: integration.supportedDownloadSettings,
      uses_oauth: integration.usesOauth || integration.delegateOauth || !!integration.oauth,
      delegate_oauth: integration.delegateOauth,
    };
    if (integration.oauth?.tokenUrlFlow) { definition.token_url = `${actionUrl}/oauth_token`; }
    return definition;
  }

  /**
   * The serialized action list for that Looker version (and instance, when the policy offers
   * it only some integrations), built on first use.
   */
  listJson(lookerVersion: LookerVersion, instanceId?: string): string {
    const listKey = this.policy?.listKey(instanceId) ?? "";
    const key = `${versionKey(lookerVersion)}|${listKey}`;
    let json = this.lists.get(key);
    if (json === undefined) {
      const list: ActionList = {
        label: this.label,
        integrations: this.integrations
          .filter((i) => i.listed && i.isVisibleTo(lookerVersion) && !i.needsSetup)
          .filter((i) => !listKey || this.policy!.offers(instanceId, i.name))
          .map((i) => this.definition(i, lookerVersion)),
      };
      json = JSON.stringify(list);
      if (this.lists.size >= MAX_CACHED_VERSIONS) { this.lists.clear(); }
      this.lists.set(key, json);
    }
    return json;
  }
}
