// Where a person types an address the hub connects to: every URL-like param or form field (URLs,
// addresses, endpoints, hosts, domains) of the registered integrations, found from their
// definitions and forms, with the other values set so that a delivery reaches the vendor. The
// suites that type hostile or broken addresses there (test_private_addresses.ts,
// test_fault_matrix.ts) build on it: a new integration is covered without editing them.
import { ActionType } from "../../src/hub/action_request";
import { Integration } from "../../src/hub/integration";
import { loginData } from "../hardening/oauth_states";
import { firstFormat, sentinelAttachment, taggedAttachment, targetTag } from "../hardening/sentinel_requests";
import { shapedFields, shapedParams, unusedParams } from "./suite_settings";

/** A param or field that holds where the hub connects to. */
export const URL_LIKE = /(url|address|endpoint|host|domain)$/i;

export interface Field {
  name: string; type?: string; default?: string; description?: string; interactive?: boolean;
  options?: Array<{ name: string }>;
}

/**
 * Params that reach the vendor: URL-like ones at `vendorUrl`, the vendor's shapes where declared;
 * other optional ones left out (their defaults: a made-up threshold or certificate would be refused).
 */
export function paramsFor(integration: Integration, vendorUrl: string): Record<string, string> {
  const shaped = shapedParams(integration.name, vendorUrl);
  const given = integration.params.filter((p) => p.required || URL_LIKE.test(p.name) || shaped[p.name] !== undefined);
  const values: Record<string, string> = Object.fromEntries(given.map((p) => [p.name,
    shaped[p.name] ?? (URL_LIKE.test(p.name) ? vendorUrl : `test-${p.name}`)]));
  if (integration.delegateOauth) { values.state_json = "xoxb-test-state"; }
  return { ...values, ...loginData(integration, "case") };
}

/** A form value that reaches the vendor. */
export function fieldValue(field: Field, vendorUrl: string): string {
  if (URL_LIKE.test(field.name)) { return `${vendorUrl}/hooks/case`; }
  if (field.type === "select" && field.options?.length) { return field.options[0].name; }
  if (/^(to|cc|from)$/.test(field.name)) { return "case@example.com"; }
  if (/campaign/i.test(field.name) && field.type !== "select") { return "1001"; }
  return field.default ?? "C0123ABCD";
}

/** One URL-like param or field, with the rest of a delivery that reaches the vendor. */
export interface AddressTarget {
  integration: Integration;
  name: string;
  /** A param (the admin's) rather than a form field (the user's). */
  param: boolean;
  /** False for a param the integration keeps but never connects to (suite settings' unusedParams). */
  dialled: boolean;
  /** The value that reaches the vendor (`vendorUrl` in the shape this param or field takes). */
  working: string;
  /** What the param or field says it takes (its description). */
  description: string;
  data: Record<string, unknown>;
  form: Record<string, string>;
  type: ActionType;
  /** `target name`, e.g. "webhook field url". */
  label: string;
  /** The healthy vendor the other values point at. */
  vendorUrl: string;
}

/** Asks an integration's form (as Looker does) and answers the body. */
export type AskForm = (integration: Integration, body: Record<string, unknown>) => Promise<any>;

/** Every URL-like param and form field of `integrations`; forms are asked with values that reach `vendorUrl`. */
export async function addressTargets(
  integrations: Integration[], vendorUrl: string, askForm: AskForm,
): Promise<AddressTarget[]> {
  const targets: AddressTarget[] = [];
  for (const integration of integrations) {
    const data = paramsFor(integration, vendorUrl);
    let fields: Field[] = [];
    if (integration.form) {
      fields = await formFields(integration, data, vendorUrl, askForm);
      // A form that needs the vendor's answer (a bucket list) may fail here: its fields as an execute checks them.
      if (!fields.length && integration.validationForm) {
        fields = (await integration.validationForm(undefined as any)).fields;
      }
    }
    const form = { ...Object.fromEntries(fields.map((f) => [f.name, fieldValue(f, vendorUrl)])),
      ...shapedFields(integration.name) };
    const type = integration.supportedActionTypes.includes("query") ? "query" : integration.supportedActionTypes[0];
    const found = [
      ...integration.params.filter((p) => URL_LIKE.test(p.name))
        .map((p) => ({ name: p.name, param: true, description: p.description ?? "" })),
      ...fields.filter((f) => URL_LIKE.test(f.name))
        .map((f) => ({ name: f.name, param: false, description: f.description ?? "" })),
    ];
    for (const { name, param, description } of found) {
      targets.push({
        integration, name, param, data, form, type, description, vendorUrl,
        dialled: !(param && unusedParams(integration.name).includes(name)),
        working: param ? String(data[name]) : form[name],
        label: `${integration.name} ${param ? "param" : "field"} ${name}`,
      });
    }
  }
  return targets;
}

/** The form's fields, asked again (as Looker does) with each interactive choice made, until none is new. */
async function formFields(
  integration: Integration, data: Record<string, unknown>, vendorUrl: string, askForm: AskForm,
): Promise<Field[]> {
  let fields: Field[] = [];
  for (let round = 0; round < 3; round++) {
    const chosen = Object.fromEntries(fields.map((f) => [f.name, fieldValue(f, vendorUrl)]));
    const asked: Field[] = (await askForm(integration, { data, form_params: chosen }))?.fields ?? [];
    const known = new Set(fields.map((f) => f.name));
    const added = asked.filter((f) => !known.has(f.name));
    fields = [...fields, ...added];
    if (!added.length || !fields.some((f) => f.interactive)) { break; }
  }
  return fields;
}

/** An execute with `value` typed into the target. */
export function executeBody(target: AddressTarget, value: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: target.type,
    data: target.param ? { ...target.data, [target.name]: value } : { ...target.data },
    form_params: target.param ? target.form : { ...target.form, [target.name]: value },
    scheduled_plan: { scheduled_plan_id: 1, title: "Typed address", url: "https://looker.example.com/looks/1" },
  };
  if (target.type === "cell") {
    (body.data as Record<string, unknown>).value = "42";
  } else if (!target.integration.supportedDownloadSettings.includes("push")) {
    // Only a download link will do (DataRobot reads the data from it): the vendor's address stands in.
    (body.scheduled_plan as Record<string, unknown>).download_url = `${target.vendorUrl}/download`;
  } else {
    // Rows that name their targets as the vendor does, where the integration requires a tag.
    const tag = targetTag(target.integration, true);
    const format = firstFormat(target.integration);
    body.attachment = tag && format.startsWith("json_detail") ? taggedAttachment(tag, format)
      : sentinelAttachment(format);
  }
  return body;
}
