// The webhook family as the hub lists it: the official hub's names, icons, a form each.
import { expect } from "chai";
import * as fs from "fs";
import request from "supertest";
import { Registry } from "../../src/hub/registry";
import { allIntegrations } from "../../src/integrations";
import { authHeader, testConfig } from "../helpers/app";
import { createLogger } from "../../src/lib/logger";
import { createApp } from "../../src/server/app";

describe("webhook family in the registry", () => {
  const config = testConfig();
  const integrations = allIntegrations(config);
  const names = ["google_chat", "teams_incomingwebhook", "tray", "webhook", "zapier"];

  it("lists each once, with an icon file, a form and documented params", () => {
    for (const name of names) {
      const found = integrations.filter((i) => i.name === name);
      expect(found, name).to.have.length(1);
      expect(fs.existsSync(found[0].icon), `${name} icon`).to.equal(true);
      expect(found[0].hasForm, `${name} form`).to.equal(true);
      for (const p of found[0].params) {
        expect(Boolean(p.label && p.description), `${name}.${p.name}`).to.equal(true);
      }
    }
  });

  it("serves their definitions through POST /", async () => {
    const registry = new Registry(integrations, config.label, config.baseUrl);
    const app = createApp({ config, registry, logger: createLogger({ level: "error", format: "json" }) });
    const res = await request(app).post("/").set("Authorization", authHeader()).expect(200);
    const listed = res.body.integrations.filter((i: any) => names.includes(i.name));
    expect(listed.map((i: any) => i.name).sort()).to.deep.equal(names);
    for (const definition of listed) {
      expect(definition.icon_data_uri).to.match(/^data:image\/svg\+xml;base64,/);
      expect(definition.form_url).to.equal(`${config.baseUrl}/actions/${definition.name}/form`);
    }
    const webhook = listed.find((i: any) => i.name === "webhook");
    expect(webhook.params).to.deep.equal([{
      name: "signing_secret", label: "Signing secret", description: webhook.params[0].description,
      required: false, sensitive: true,
    }]);
  });
});
