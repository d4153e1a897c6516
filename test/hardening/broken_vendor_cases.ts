// The requests test_broken_vendors.ts sends: for every registered integration, its form (and the
// form again for each choice of an interactive select, as Looker re-asks it) and an execute of
// each supported action type, with form values that reach the vendor. Built from the registry,
// so a new integration is covered without editing the test.
import { expect } from "chai";
import request from "supertest";
import { ActionType } from "../../src/hub/action_request";
import { Integration } from "../../src/hub/integration";
import { authHeader } from "../helpers/app";
import { shapedFields, shapedParams, tagValue } from "../helpers/suite_settings";
import { loginData } from "./oauth_states";
import { firstFormat, sentinelAttachment, taggedAttachment, targetTag } from "./sentinel_requests";

export interface VendorCase {
  /** e.g. `slack execute query` or `slack form channelType=channels`. */
  label: string;
  integration: Integration;
  route: "form" | "execute";
  body: Record<string, unknown>;
}

export interface CaseAnswer {
  status: number;
  body: any;
  ms: number;
}

interface FieldLike {
  name: string; type?: string; interactive?: boolean; default?: string; options?: Array<{ name: string }>;
}

/** A value for a form field that leads to the vendor: URLs at the fake, IDs Slack-shaped. */
export function fieldValue(field: FieldLike, vendorUrl: string): string {
  if (/url/i.test(field.name)) { return `${vendorUrl}/hooks/case`; }
  if (field.type === "select" && field.options?.length) { return field.options[0].name; }
  if (/^(to|cc|from)$/.test(field.name)) { return "case@example.com"; }
  if (/campaign/i.test(field.name)) { return "1001"; }
  // A text field's own default leads to the vendor (Marketo's lookup field "email").
  if (field.default) { return field.default; }
  // A channel ID reaches Slack without a lookup; as text elsewhere it is harmless.
  return "C0123ABCD";
}

function params(integration: Integration, vendorUrl: string): Record<string, string> {
  // Values shaped as the vendor's own where the hub checks them first (each vendor's settings file).
  const shaped = shapedParams(integration.name, vendorUrl);
  // Optional numeric settings (the row destinations' threshold and batch size) keep their defaults;
  // admin-typed instance URLs and endpoints (Marketo, Braze) point at the fake vendor.
  const given = integration.params.filter((p) => p.required || !/percent|_size$/.test(p.name));
  const values: Record<string, string> = Object.fromEntries(given.map((p) => [p.name,
    shaped[p.name] ??
    (/^(url|datarobot_url|.*_endpoint|.*_domain)$/.test(p.name) ? vendorUrl : `test-${p.name}`)]));
  // Delegated OAuth (slack_app): Looker sends the vendor token it keeps as the user's state.
  if (integration.delegateOauth) { values.state_json = "xoxb-test-state"; }
  return values;
}

/** Posts one case to the hub; the answer is parsed whatever keep-alive bytes precede it. */
export async function runCase(server: any, c: VendorCase): Promise<CaseAnswer> {
  const started = Date.now();
  const res = await request(server).post(`/actions/${c.integration.name}/${c.route}`)
    .set("Authorization", authHeader()).set("X-Looker-Webhook-Id", `hook-${c.label.replace(/\W+/g, "-")}`)
    .send(c.body);
  let body: any;
  expect(() => { body = JSON.parse(res.text); }, `${c.label}: JSON answer`).not.to.throw();
  return { status: res.status, body, ms: Date.now() - started };
}

/** Every case for every integration; forms are asked once (vendor healthy) to learn their fields. */
export async function buildCases(server: any, integrations: Integration[], vendorUrl: string): Promise<VendorCase[]> {
  const cases: VendorCase[] = [];
  for (const integration of integrations) {
    const data = { ...params(integration, vendorUrl), ...loginData(integration, "case") };
    const tag = targetTag(integration);
    let fields: FieldLike[] = [];
    if (integration.form) {
      const formCase: VendorCase = { label: `${integration.name} form`, integration, route: "form",
        body: { data, form_params: {} } };
      cases.push(formCase);
      fields = (await runCase(server, formCase)).body.fields ?? [];
      // A form that needs the vendor's answer (a bucket list) may fail here: its fields as an execute checks them.
      if (!fields.length && integration.validationForm) {
        fields = (await integration.validationForm(undefined as any)).fields;
      }
      for (const field of fields.filter((f) => f.interactive && f.type === "select")) {
        for (const option of field.options ?? []) {
          cases.push({ label: `${integration.name} form ${field.name}=${option.name}`, integration, route: "form",
            body: { data, form_params: { [field.name]: option.name } } });
        }
      }
    }
    const formParams = { ...Object.fromEntries(fields.map((f) => [f.name, fieldValue(f, vendorUrl)])),
      ...shapedFields(integration.name) };
    for (const type of integration.supportedActionTypes as ActionType[]) {
      const body: Record<string, unknown> = {
        type,
        data: type === "cell" ? { ...data, value: tagValue(tag ?? "") ?? "42", rendered: "42" } : data,
        form_params: formParams,
        scheduled_plan: { scheduled_plan_id: 1, title: "Broken vendor", url: "https://looker.example.com/looks/1",
          query: { vis_config: { hidden_fields: [] } } },
      };
      if (type !== "cell") {
        const format = firstFormat(integration);
        body.attachment = tag && format === "json_detail" ? taggedAttachment(tag) : sentinelAttachment(format);
      }
      cases.push({ label: `${integration.name} execute ${type}`, integration, route: "execute", body });
    }
  }
  return cases;
}

/** What names the vendor in a message: the first word of the integration's label, or the fake's host. */
function vendorPattern(integration: Integration): RegExp {
  const word = integration.label.split(/[^A-Za-z0-9]+/)[0];
  return new RegExp(`\\b${word}\\b|127\\.0\\.0\\.1`, "i");
}

/** A message a business user can act on: names the vendor and what to do, no stack, no HTML. */
export function expectClearMessage(message: unknown, c: VendorCase): void {
  const what = `${c.label}: ${JSON.stringify(message)}`;
  expect(message, what).to.be.a("string");
  const text = message as string;
  expect(text.length, what).to.be.greaterThan(30);
  expect(text, `${what} has a stack trace`).not.to.match(/\n\s*at |\bat \S+ \(|\.(ts|js):\d+/);
  expect(text, `${what} has HTML`).not.to.match(/<\/?[a-z!][^>]*>/i);
  expect(text, `${what} is the generic internal error`).not.to.match(/internal error/i);
  expect(text, `${what} does not name the vendor`).to.match(vendorPattern(c.integration));
  expect(text, `${what} does not say what to do`).to.match(/try again|check|ask |later|invite|choose/i);
}
