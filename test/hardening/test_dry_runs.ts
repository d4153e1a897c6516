// A dry run (X-Hub-Dry-Run: true) of every registered integration and action type, against a
// vendor that answers anything: each answers what would have been sent, and nothing but a GET or
// HEAD reaches the vendor, besides the reads its form makes and the SQL statements the guard lets
// through (email's relay gets no MAIL FROM: test_email_smtp.ts). Cases are built from the
// registry as the broken-vendor suite builds them, so a new integration is covered by itself.
import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import request from "supertest";
import { allIntegrations } from "../../src/integrations";
import { readOnlySql } from "../../src/lib/dry_run";
import { AnyVendor } from "../fakes/any_vendor";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { buildCases, VendorCase } from "./broken_vendor_cases";
import { vendorEnv } from "./vendor_env";

const READING = new Set(["GET", "HEAD"]);
/** Integrations whose dry run logs in over a protocol other than HTTP. */
const NOT_HTTP = new Set(["email", "sftp", "postgres"]);

/**
 * A token request (Google's token endpoint, which the suite points at the vendor's /token, and
 * Marketo's identity service): it mints an access token and writes nothing at the vendor; the
 * client marks it read-only.
 */
const MINTS_TOKEN = /^POST \/(identity\/oauth\/)?token$/;

/** A call carrying the vendor's own dry-run flag (EC2's DryRun=true): the vendor checks it and acts on nothing. */
const VENDOR_DRY_RUN = /(^|&)DryRun=true(&|$)/;

/** A statement to a POST-only SQL API that the dry-run guard lets through (SELECT 1, DESCRIBE TABLE). */
function readOnlyStatement(body: string | undefined): boolean {
  try {
    return readOnlySql(String(JSON.parse(body ?? "").statement ?? ""));
  } catch {
    return false;
  }
}

describe("dry runs: every integration answers what it would send and writes nothing", function () {
  this.timeout(120_000);
  let vendor: AnyVendor;
  let server: http.Server;
  let cases: VendorCase[];

  before(async () => {
    vendor = await new AnyVendor().start();
    // Credentials a dry run tries (a service account's token) are answered as a token endpoint would.
    vendor.tokens = true;
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
    process.stdout.write(`      dry-run cases: ${cases.length} (${new Set(cases.map((c) => c.integration.name)).size} integrations)\n`);
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

  it("answers each with the dry run's report or a clear refusal, and calls nothing the form does not", async () => {
    const failures: string[] = [];
    const refused: string[] = [];
    const post = (c: VendorCase, route: string, body: unknown, dry = false) => {
      const call = request(server).post(`/actions/${c.integration.name}/${route}`).set("Authorization", authHeader())
        .set("X-Looker-Webhook-Id", `dry-${c.label.replace(/\W+/g, "-")}`);
      return (dry ? call.set("X-Hub-Dry-Run", "true") : call).send(body as object);
    };
    for (const c of cases) {
      // What the form asks of the vendor with these settings: the only calls a dry run may make
      // besides GET and HEAD (RPC-style reads such as Slack's auth.test or SageMaker's ListModels are POSTs).
      let before = vendor.calls.length;
      if (c.integration.form) { await post(c, "form", { data: c.body.data, form_params: c.body.form_params }); }
      const formCalls = new Set(vendor.calls.slice(before).map((call) => `${call.method} ${call.path}`));
      before = vendor.calls.length;
      const res = await post(c, "execute", c.body, true);
      const looker = JSON.parse(res.text).looker;
      const writes = vendor.calls.slice(before)
        .filter((call) => !READING.has(call.method) && !formCalls.has(`${call.method} ${call.path}`) &&
          !readOnlyStatement(call.body) && !MINTS_TOKEN.test(`${call.method} ${call.path}`) &&
          !VENDOR_DRY_RUN.test(call.body ?? ""));
      if (writes.length) { failures.push(`${c.label}: wrote ${JSON.stringify(writes.map((call) => ({ method: call.method, path: call.path })))}`); }
      if (res.status !== 200 || typeof looker?.message !== "string" || /internal error/i.test(looker.message)) {
        failures.push(`${c.label}: HTTP ${res.status} ${JSON.stringify(looker)}`);
      } else if (looker.success !== true) {
        // The form checked against a vendor that answers anything is refused as the form would be
        // (no bases, no projects, not S3's answer...), clearly; a retired name says it is retired.
        refused.push(c.label);
      } else if (!/^Dry run, nothing was (sent|written) to /.test(looker.message) || looker.dry_run?.integration !== c.integration.name) {
        failures.push(`${c.label}: no dry run report ${JSON.stringify(looker)}`);
      }
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
    // Most integrations' forms accept the anything-vendor's answers: their dry runs report.
    // Dry runs that log in over SMTP, SSH or PostgreSQL's protocol cannot pass an HTTP vendor: they are
    // refused clearly (checked above), and their reports are tested against real servers
    // (test_email_smtp.ts, test_sftp.ts, test_postgres.ts).
    const listed = cases.filter((c) => c.integration.listed && !NOT_HTTP.has(c.integration.name));
    expect(refused.filter((label) => listed.some((c) => c.label === label)).length, refused.join(", "))
      .to.be.lessThan(listed.length / 3);
  });
});
