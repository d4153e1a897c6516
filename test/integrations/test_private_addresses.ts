// Every registered integration, with a private address typed into each URL-like param or form
// field (URLs, addresses, endpoints, hosts, domains), refuses it without dialling it: the decision
// is checked as a unit, never as traffic. test/setup.ts refuses and records any connection to a
// non-loopback address (test/helpers/dials.ts), so "not dialled" is a fact the test reads, and the
// vendor the other fields point at is a loopback fake the guard is told to allow
// (PRIVATE_URL_ALLOWLIST=127.0.0.1/32). Built from the registry: a new integration is covered
// without editing this file (test/helpers/typed_addresses.ts finds the fields).
import { expect } from "chai";
import * as http from "http";
import request from "supertest";
import { Integration } from "../../src/hub/integration";
import { allIntegrations } from "../../src/integrations";
import { AnyVendor } from "../fakes/any_vendor";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { dialCount, dialsSince } from "../helpers/dials";
import { everyVendorEnv } from "../helpers/suite_settings";
import { addressTargets, executeBody } from "../helpers/typed_addresses";

/** Private, link-local, metadata and unique-local addresses, in the shapes a person types them. */
const PRIVATE_VALUES = [
  "https://10.1.2.3/hooks/case", "http://192.168.0.7:8080/x", "https://169.254.169.254/latest/meta-data/",
  "https://[fd00::7]/x", "sftp://172.16.4.5/upload/", "smtp://10.1.2.3:587", "10.1.2.3",
];

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
    const targets = await addressTargets(integrations, vendor.url, (i, body) => post(i, "form", body));
    for (const target of targets) {
      for (const value of PRIVATE_VALUES) {
        const what = `${target.label}=${value}`;
        const body = executeBody(target, value);
        const before = dialCount();
        const answer = await post(target.integration, "execute", body);
        if (target.param && target.integration.form) {
          await post(target.integration, "form", { data: body.data, form_params: {} });
        }
        const dialled = dialsSince(before);
        if (dialled.length) { problems.push(`${what}: dialled ${dialled.join(", ")}`); }
        if (typeof answer?.looker?.success !== "boolean" || (target.dialled && answer.looker.success)) {
          problems.push(`${what}: answered ${JSON.stringify(answer)}`);
        }
        refusals.push(target.label);
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
