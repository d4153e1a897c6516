// A dry run (X-Hub-Dry-Run: true) of every registered integration and action type, against a
// vendor that answers anything: each answers what would have been sent, and nothing but a GET or
// HEAD reaches the vendor (its SMTP relay, for email, is never dialled). Cases are built from the
// registry as the broken-vendor suite builds them, so a new integration is covered by itself.
import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import request from "supertest";
import { allIntegrations } from "../../src/integrations";
import { AnyVendor } from "../fakes/any_vendor";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { buildCases, VendorCase } from "./broken_vendor_cases";
import { vendorEnv } from "./vendor_env";

const READING = new Set(["GET", "HEAD"]);

describe("dry runs: every integration answers what it would send and writes nothing", function () {
  this.timeout(120_000);
  let vendor: AnyVendor;
  let server: http.Server;
  let cases: VendorCase[];

  before(async () => {
    vendor = await new AnyVendor().start();
    const env = { ...vendorEnv(vendor.url), HTTP_MAX_ATTEMPTS: "1", LOG_LEVEL: "warn" };
    const config = testConfig(env);
    const { app } = buildTestApp(allIntegrations(config), env);
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cases = (await buildCases(server, allIntegrations(config), vendor.url)).filter((c) => c.route === "execute");
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server ? server.close(resolve) : resolve(undefined));
    await vendor?.stop();
  });

  it("covers every registered integration", () => {
    expect(cases.length).to.be.greaterThan(50);
  });

  it("each integration's README says what its dry run checks", () => {
    const missing = allIntegrations(testConfig()).filter((integration) => {
      const readme = path.join(path.dirname(integration.icon), "README.md");
      const text = fs.existsSync(readme) ? fs.readFileSync(readme, "utf8").replace(/\s+/g, " ") : "";
      return !/\n?## Dry run /.test(text) || (integration.listed && !text.includes(integration.dryRunChecks));
    }).map((integration) => integration.name);
    expect(missing, "each README needs a \"## Dry run\" section with the integration's dryRunChecks sentence " +
      "(see any integration's README, or bin/new_integration_templates.ts readmeTail)").to.deep.equal([]);
  });

  it("answers each with the dry run's report, and no writing call reaches the vendor", async () => {
    const failures: string[] = [];
    const refusedByForm: string[] = [];
    for (const c of cases) {
      const before = vendor.calls.length;
      const res = await request(server).post(`/actions/${c.integration.name}/execute`)
        .set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true")
        .set("X-Looker-Webhook-Id", `dry-${c.label.replace(/\W+/g, "-")}`).send(c.body);
      const looker = JSON.parse(res.text).looker;
      const writes = vendor.calls.slice(before).filter((call) => !READING.has(call.method));
      // A form value the fake's empty lists cannot satisfy (an Airtable base, a Salesforce campaign) is
      // refused by the form's check, as a delivery would be: a dry run checks the form too.
      if (res.status === 200 && looker?.success === false && looker.validation_errors) {
        refusedByForm.push(c.label);
      } else if (!c.integration.listed) {
        // A retired name answers a dry run as it answers a delivery: retired, and what to use instead.
        if (looker?.success !== false || !/retired|no longer/i.test(looker.message)) {
          failures.push(`${c.label}: ${JSON.stringify(looker)}`);
        }
      } else if (res.status !== 200 || looker?.success !== true || !/^Dry run, nothing was sent to /.test(looker.message)) {
        failures.push(`${c.label}: HTTP ${res.status} ${JSON.stringify(looker)}`);
      } else if (!looker.dry_run || looker.dry_run.integration !== c.integration.name) {
        failures.push(`${c.label}: no dry_run report`);
      }
      if (writes.length) { failures.push(`${c.label}: wrote ${JSON.stringify(writes)}`); }
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
    expect(refusedByForm.length, refusedByForm.join(", ")).to.be.lessThan(cases.length / 10);
  });
});
