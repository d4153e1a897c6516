// Walks the central registry and checks every integration against the Action API contract.
import { expect } from "chai";
import * as fs from "fs";
import { ALL_FORMATS, DEFAULT_MINIMUM_LOOKER_VERSION } from "../../src/hub/integration";
import { Registry } from "../../src/hub/registry";
import { allIntegrations } from "../../src/integrations";
import { testConfig } from "../helpers/app";

/** The official hub's minimum Looker versions that differ from its default (catalog.md). */
const OFFICIAL_MINIMUM_VERSIONS: Record<string, string> = { segment_event: "4.20.0", slack_app: "6.23.0",
  google_drive: "7.3.0", google_sheets: "7.3.0", dropbox: "6.8.0", salesforce_campaigns: "22.6.0",
  datarobot: "5.24.0" };
/** Integrations that hand Looker's download URL to the vendor, which reads the data itself: url only. */
const VENDOR_READS_URL = new Set(["datarobot"]);

describe("every registered integration", () => {
  const config = testConfig({ DEBUG_INTEGRATION: "true" });
  const integrations = allIntegrations(config);
  const registry = new Registry(integrations, config.label, config.baseUrl);

  it("the registry is not empty and names are unique snake_case", () => {
    expect(integrations.length).to.be.greaterThan(0);
    const names = integrations.map((i) => i.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const name of names) { expect(name).to.match(/^[a-z0-9]+(_[a-z0-9]+)*$/); }
  });

  // Looker fetches the list often; the official hub's is ~257 KB. A budget per integration keeps it small as the
  // catalogue grows (about 50 integrations when every official one is here).
  it("keeps the action list small: each entry under 2.5 KB, the whole under 64 KB", () => {
    const list = JSON.parse(registry.listJson(null)) as { integrations: Array<{ name: string }> };
    for (const entry of list.integrations) {
      expect(JSON.stringify(entry).length, entry.name).to.be.below(2560);
    }
    expect(registry.listJson(null).length).to.be.below(64 * 1024);
  });

  for (const integration of integrations) {
    describe(integration.name, () => {
      it("has a label, a one-sentence description and an icon file", () => {
        expect(integration.label.trim()).to.not.equal("");
        expect(integration.description.trim()).to.match(/\.$/);
        expect(fs.existsSync(integration.icon), integration.icon).to.equal(true);
        expect(integration.icon).to.match(/\.(svg|png)$/);
      });

      it("documents every param", () => {
        const names = new Set<string>();
        for (const p of integration.params) {
          expect(p.name).to.match(/^[A-Za-z0-9_]+$/);
          expect(names.has(p.name), `duplicate param ${p.name}`).to.equal(false);
          names.add(p.name);
          expect(p.label.trim(), p.name).to.not.equal("");
          expect(p.description.trim(), p.name).to.not.equal("");
          expect(p.required).to.be.a("boolean");
          expect(p.sensitive).to.be.a("boolean");
        }
      });

      it("reads the data both ways Looker delivers it (push and url), when it reads data at all", () => {
        // Every query or dashboard integration here reads the delivery (a file, rows, a preview):
        // with push only, Looker's "all results" schedules, which need url, could not use it.
        if (!integration.supportedActionTypes.some((t) => t !== "cell")) { return; }
        if (VENDOR_READS_URL.has(integration.name)) {
          expect(integration.supportedDownloadSettings).to.deep.equal(["url"]);
          return;
        }
        expect(integration.supportedDownloadSettings).to.have.members(["push", "url"]);
      });

      it("hides itself from Lookers older than the official hub's minimum (5.5.0 unless it says otherwise)", () => {
        expect(integration.isVisibleTo([5, 4, 0])).to.equal(integration.name === "segment_event");
        expect(integration.isVisibleTo([4, 19, 0])).to.equal(false);
        const minimum = OFFICIAL_MINIMUM_VERSIONS[integration.name] ?? DEFAULT_MINIMUM_LOOKER_VERSION;
        expect(integration.minimumSupportedLookerVersion).to.equal(minimum);
      });

      for (const version of [null, [6, 0, 0] as const, [7, 20, 0] as const]) {
        it(`serializes a valid definition for Looker ${version ? version.join(".") : "newest"}`, () => {
          if (!integration.isVisibleTo(version)) {
            expect(registry.listJson(version)).to.not.include(`"name":"${integration.name}"`);
            return;
          }
          const def = JSON.parse(JSON.stringify(registry.definition(integration, version)));
          expect(def.url).to.equal(`${config.baseUrl}/actions/${integration.name}/execute`);
          const formUrl = `${config.baseUrl}/actions/${integration.name}/form`;
          expect(def.form_url === null || def.form_url === formUrl).to.equal(true);
          expect(def.supported_action_types.length).to.be.greaterThan(0);
          for (const t of def.supported_action_types) { expect(["cell", "query", "dashboard"]).to.include(t); }
          for (const f of def.supported_formats) { expect(ALL_FORMATS).to.include(f); }
          // Left out where the integration restricts nothing, as the official hub's definitions do.
          for (const f of def.supported_formattings ?? []) { expect(["formatted", "unformatted"]).to.include(f); }
          for (const f of def.supported_visualization_formattings ?? []) { expect(["apply", "noapply"]).to.include(f); }
          expect(def.supported_formattings ?? ["one"]).to.not.deep.equal([]);
          expect(def.supported_visualization_formattings ?? ["one"]).to.not.deep.equal([]);
          expect(def.supported_download_settings.length).to.be.greaterThan(0);
          for (const d of def.supported_download_settings) { expect(["push", "url"]).to.include(d); }
          if (def.supported_action_types.some((t: string) => t !== "cell")) {
            expect(def.supported_formats.length, "query/dashboard actions need formats").to.be.greaterThan(0);
          }
          expect(def.icon_data_uri).to.match(/^data:image\/(svg\+xml|png);base64,/);
          expect(def.required_fields).to.be.an("array");
        });
      }
    });
  }
});
