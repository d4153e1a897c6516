// Every registered integration, with a private address typed into each URL-like param or form
// field (URLs, addresses, endpoints, hosts, domains), refuses it without dialling it: the decision
// is checked as a unit, never as traffic. test/setup.ts refuses and records any connection to a
// non-loopback address (test/helpers/dials.ts), so "not dialled" is a fact the test reads, and the
// vendor the other fields point at is a loopback fake the guard is told to allow
// (PRIVATE_URL_ALLOWLIST=127.0.0.1/32). Built from the registry: a new integration is covered
// without editing this file.
import { expect } from "chai";
import * as http from "http";
import request from "supertest";
import { Integration } from "../../src/hub/integration";
import { allIntegrations } from "../../src/integrations";
import { AnyVendor } from "../fakes/any_vendor";
import { loginData } from "../hardening/oauth_states";
import { firstFormat, sentinelAttachment } from "../hardening/sentinel_requests";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { dialCount, dialsSince } from "../helpers/dials";
import { everyVendorEnv, shapedFields, shapedParams, unusedParams } from "../helpers/suite_settings";

/** A param or field that holds where the hub connects to. */
const URL_LIKE = /(url|address|endpoint|host|domain)$/i;

/** Private, link-local, metadata and unique-local addresses, in the shapes a person types them. */
const PRIVATE_VALUES = [
  "https://10.1.2.3/hooks/case", "http://192.168.0.7:8080/x", "https://169.254.169.254/latest/meta-data/",
  "https://[fd00::7]/x", "sftp://172.16.4.5/upload/", "smtp://10.1.2.3:587", "10.1.2.3",
];

interface Field { name: string; type?: string; default?: string; options?: Array<{ name: string }>; }

/** Params that reach the vendor: URL-like ones at the loopback fake, the vendor's shapes where declared. */
function paramsFor(integration: Integration, vendorUrl: string): Record<string, string> {
  const shaped = shapedParams(integration.name, vendorUrl);
  const values: Record<string, string> = Object.fromEntries(integration.params.map((p) => [p.name,
    shaped[p.name] ?? (URL_LIKE.test(p.name) ? vendorUrl : `test-${p.name}`)]));
  if (integration.delegateOauth) { values.state_json = "xoxb-test-state"; }
  return { ...values, ...loginData(integration, "case") };
}

function fieldValue(field: Field, vendorUrl: string): string {
  if (URL_LIKE.test(field.name)) { return `${vendorUrl}/hooks/case`; }
  if (field.type === "select" && field.options?.length) { return field.options[0].name; }
  if (/^(to|cc|from)$/.test(field.name)) { return "case@example.com"; }
  return field.default ?? "C0123ABCD";
}

describe("every integration refuses a private address typed into a URL-like param or form field", function () {
  this.timeout(120_000);
  let vendor: AnyVendor;
  let server: http.Server;
  let integrations: Integration[];

  before(async () => {
    vendor = await new AnyVendor().start();
    const env = { DEBUG_INTEGRATION: "true", ...everyVendorEnv(vendor.url), ALLOW_HTTP_URLS: "true",
      PRIVATE_URL_ALLOWLIST: "127.0.0.1/32", HTTP_MAX_ATTEMPTS: "1", LOG_LEVEL: "error" };
    integrations = allIntegrations(testConfig(env)).filter((i) => i.listed);
    server = http.createServer(buildTestApp(integrations, env).app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server ? server.close(resolve) : resolve(undefined));
    await vendor?.stop();
  });

  async function post(integration: Integration, route: "form" | "execute", body: Record<string, unknown>) {
    const res = await request(server).post(`/actions/${integration.name}/${route}`)
      .set("Authorization", authHeader()).send(body);
    return res.body;
  }

  it("refuses each one before connecting, in params and form fields alike", async () => {
    const refusals: string[] = [];
    const problems: string[] = [];
    for (const integration of integrations) {
      const data = paramsFor(integration, vendor.url);
      let fields: Field[] = [];
      if (integration.form) {
        fields = (await post(integration, "form", { data, form_params: {} })).fields ?? [];
        if (!fields.length && integration.validationForm) {
          fields = (await integration.validationForm(undefined as any)).fields;
        }
      }
      const form = { ...Object.fromEntries(fields.map((f) => [f.name, fieldValue(f, vendor.url)])),
        ...shapedFields(integration.name) };
      const targets = [
        ...integration.params.filter((p) => URL_LIKE.test(p.name)).map((p) => ({ name: p.name, param: true })),
        ...fields.filter((f) => URL_LIKE.test(f.name)).map((f) => ({ name: f.name, param: false })),
      ];
      const type = integration.supportedActionTypes.includes("query") ? "query" : integration.supportedActionTypes[0];
      for (const target of targets) {
        for (const value of PRIVATE_VALUES) {
          const what = `${integration.name} ${target.param ? "param" : "field"} ${target.name}=${value}`;
          const body: Record<string, unknown> = {
            type, data: target.param ? { ...data, [target.name]: value } : data,
            form_params: target.param ? form : { ...form, [target.name]: value },
            scheduled_plan: { scheduled_plan_id: 1, title: "Private", url: "https://looker.example.com/looks/1" },
          };
          if (type === "cell") { (body.data as Record<string, unknown>).value = "42"; } else {
            body.attachment = sentinelAttachment(firstFormat(integration));
          }
          const before = dialCount();
          const answer = await post(integration, "execute", body);
          if (target.param && integration.form) { await post(integration, "form", { data: body.data, form_params: {} }); }
          const dialled = dialsSince(before);
          if (dialled.length) { problems.push(`${what}: dialled ${dialled.join(", ")}`); }
          const refuses = !(target.param && unusedParams(integration.name).includes(target.name));
          if (typeof answer?.looker?.success !== "boolean" || (refuses && answer.looker.success)) {
            problems.push(`${what}: answered ${JSON.stringify(answer)}`);
          }
          refusals.push(`${integration.name} ${target.param ? "param" : "field"} ${target.name}`);
        }
      }
    }
    expect(problems, problems.join("\n")).to.deep.equal([]);
    // The URL-like fields of the webhook family, tickets, storage, mail and CRMs were all tried.
    const tried = new Set(refusals);
    for (const expected of ["webhook field url", "jira_create_issue param address", "sftp field address",
      "amazon_s3 param endpoint", "email param smtp_url", "marketo param url", "teams_incomingwebhook field webhookUrl"]) {
      expect([...tried], expected).to.include(expected);
    }
  });
});
