// Every registered integration, sent what a real Looker sends for every format it declares,
// pushed in the body and at a download URL: no integration may refuse a payload Looker sends
// for a format it lists. Each vendor is played by a local fake that answers success; what each
// integration needs (its fakes, the params and form values that make it deliver) is declared in
// its settings file beside its tests (test/helpers/suite_settings.ts), found, not listed here.
import { expect } from "chai";
import request from "supertest";
import { Format, Integration } from "../../src/hub/integration";
import { allIntegrations } from "../../src/integrations";
import { DownloadServer, startDownloadServer } from "../fakes/download_server";
import { authHeader, buildTestApp, TestApp, testConfig } from "../helpers/app";
import { FAST_HTTP_ENV } from "../helpers/http";
import { contentBytes, pushBody, sampleContent, urlBody } from "../helpers/looker_payloads";
import { DeliverySettings, discoveredSettings, SharedFakes, ShapesRun } from "../helpers/suite_settings";
import { narrowed, walked, walks } from "../helpers/suite_wide";

/** Lookers whose lists differ (json_detail before 6.2, json_detail_lite_stream after). */
const LOOKERS = ["6.1.0", "25.10.0"];

/** Each format an integration declares to some Looker, with a Looker version that sees it. */
function declaredFormats(integration: Integration): Array<{ format: Format; version: string }> {
  const seen = new Map<Format, string>();
  for (const version of LOOKERS) {
    const parsed = version.split(".").map(Number) as [number, number, number];
    if (!integration.isVisibleTo(parsed)) { continue; }
    for (const format of integration.formatsFor({ lookerVersion: parsed })) {
      if (!seen.has(format)) { seen.set(format, version); }
    }
  }
  return [...seen].map(([format, version]) => ({ format, version }));
}

describe("every integration accepts Looker's real payloads for every format it declares", function() {
  // Every integration times every format it declares, twice: minutes on a loaded 2-core machine.
  this.timeout(240_000);
  const shared = new SharedFakes();
  const runs: ShapesRun[] = [];
  const deliveries = new Map<string, DeliverySettings>();
  let download: DownloadServer;
  let hub: TestApp;
  let integrations: Integration[];
  /** What the download server serves, by path. */
  const served = new Map<string, Buffer>();

  before(async () => {
    const env: Record<string, string> = { ...FAST_HTTP_ENV, DEBUG_INTEGRATION: "true" };
    // The shared login vendors' variables first: a vendor's own settings win over them.
    Object.assign(env, await shared.loginEnv());
    for (const found of discoveredSettings().filter((s) => s.lookerShapes && s.integrations.some(walks))) {
      const run = await found.lookerShapes!(shared);
      runs.push(run);
      Object.assign(env, run.env);
      for (const [name, settings] of Object.entries(run.deliveries)) { deliveries.set(name, settings); }
    }
    download = await startDownloadServer((req, res) => {
      const bytes = served.get(req.url ?? "");
      if (!bytes) { res.writeHead(404).end(); return; }
      res.writeHead(200).end(bytes);
    });
    integrations = allIntegrations(testConfig(env));
    hub = buildTestApp(integrations, env);
  });

  after(async () => {
    await Promise.all([download?.close(), ...runs.map((r) => r.stop?.()), shared.stop()]);
  });

  it("has settings for every registered integration, in a file beside its tests", () => {
    // Retired names (not listed) answer every delivery with their notice: test/integrations/official/test_retired.ts.
    const names = walked(allIntegrations(testConfig({ DEBUG_INTEGRATION: "true" })).filter((i) => i.listed))
      .map((i) => i.name);
    const missing = names.filter((n) => !deliveries.has(n));
    expect(missing, "integrations without `lookerShapes` deliveries: add a test/integrations/**/<vendor>_settings.ts " +
      "exporting `settings` (see test/helpers/suite_settings.ts and CONTRIBUTING.md)").to.deep.equal([]);
  });

  it("every integration, format and download setting succeeds, and the data arrives", async () => {
    const failures: string[] = [];
    let tried = 0;
    let n = 0;
    for (const integration of walked(integrations.filter((i) => i.listed))) {
      const settings = deliveries.get(integration.name);
      if (!settings) { continue; }
      const type = integration.supportedActionTypes.includes("query") ? "query" : "dashboard";
      for (const { format, version } of declaredFormats(integration)) {
        for (const setting of integration.supportedDownloadSettings) {
          const parts = { type, data: settings.data, form_params: settings.form } as const;
          const path = `/download/${++n}`;
          const bytes = contentBytes(sampleContent(format));
          served.set(path, bytes);
          const body = setting === "push" ? pushBody(format, parts) : urlBody(format, `${download.url}${path}`, parts);
          const res = await request(hub.app).post(`/actions/${integration.name}/execute`)
            .set("Authorization", authHeader()).set("User-Agent", `LookerOutgoingWebhook/${version}`)
            .set("X-Looker-Webhook-Id", `wh-${n}`).send(body);
          tried++;
          const what = `${integration.name} ${format} ${setting} (Looker ${version})`;
          if (res.status !== 200 || res.body?.looker?.success !== true) {
            failures.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
            continue;
          }
          const problem = settings.check?.(bytes);
          if (problem) { failures.push(`${what}: ${problem}`); }
        }
      }
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
    // Over every integration, dozens; narrowed to a few (SUITE_WIDE_ONLY), at least one each.
    if (narrowed) { expect(tried).to.be.at.least(walked(integrations.filter((i) => i.listed)).length); }
    else { expect(tried).to.be.greaterThan(40); }
    for (const run of runs) { run.arrived?.(); }
  });
});
