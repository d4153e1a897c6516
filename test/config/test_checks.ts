// Production refuses the placeholder secrets this repository ships and warns (never refuses)
// about a short secret and a BASE_URL Looker cannot use; development says what is true.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, loadConfig } from "../../src/config";
import { PLACEHOLDER_SECRETS } from "../../src/config/checks";
import request from "supertest";
import { developmentNotes } from "../../src/config/development_notes";
import { developmentBanner } from "../../src/process/dev_banner";
import { buildTestApp } from "../helpers/app";

const ROOT = path.join(__dirname, "../..");
const GOOD = "a".repeat(64);

function production(env: Record<string, string>) {
  return loadConfig({ BASE_URL: "https://hub.example.com", INTEGRATION_SERVICE_SECRET: GOOD, ...env }, "production");
}

/** The secret values the repository's examples ship with. */
function shippedSecrets(): string[] {
  const yaml = fs.readFileSync(path.join(ROOT, "deploy/kubernetes/secret.yaml"), "utf8");
  const fromYaml = [...yaml.matchAll(/^\s*INTEGRATION_SERVICE_SECRET:\s*"?([^"\n]*)"?\s*$/gm)].map((m) => m[1]);
  const example = fs.readFileSync(path.join(ROOT, ".env.example"), "utf8");
  const fromExample = [...example.matchAll(/^INTEGRATION_SERVICE_SECRET=(.*)$/gm)].map((m) => m[1].trim());
  return [...fromYaml, ...fromExample];
}

describe("secret and base URL checks", () => {
  it("refuses in production every secret the examples ship, in one line saying how to make one", () => {
    const shipped = shippedSecrets();
    expect(shipped).to.include("replace-with-output-of-openssl-rand-hex-32");
    for (const secret of [...shipped, ...PLACEHOLDER_SECRETS]) {
      let message = "";
      try { production({ INTEGRATION_SERVICE_SECRET: secret }); } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message, `secret "${secret}"`).to.match(/INTEGRATION_SERVICE_SECRET/).and.match(/openssl rand -hex 32/);
      expect(message.split("\n")).to.have.length(1);
    }
  });

  it("warns, never refuses, about a short secret (a migrating hub keeps its keys)", () => {
    const c = production({ INTEGRATION_SERVICE_SECRET: "short-old-secret" });
    expect(c.secret).to.equal("short-old-secret");
    expect(c.warnings.join("\n")).to.match(/INTEGRATION_SERVICE_SECRET is short \(16 characters/);
    expect(production({}).warnings).to.deep.equal([]);
    const tiny = production({ INTEGRATION_SERVICE_SECRET: "abc" });
    expect(tiny.warnings.join("\n")).to.contain("is short");
  });

  it("warns about a BASE_URL that is not https or points at this machine", () => {
    expect(production({ BASE_URL: "http://hub.example.com" }).warnings.join("\n")).to.contain("is not https");
    for (const url of ["https://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"]) {
      expect(production({ BASE_URL: url }).warnings.join("\n"), url).to.contain("points at this machine");
    }
  });

  it("lets development use any secret and warns nothing", () => {
    expect(loadConfig({ INTEGRATION_SERVICE_SECRET: "changeme" }, "development").warnings).to.deep.equal([]);
  });

  it("tells a developer where the key is, that Looker cannot reach localhost, and which secret keys need", () => {
    const dev = loadConfig({}, "development");
    const banner = developmentBanner(dev, "http://127.0.0.1:8080", "nonce/digest");
    const keyLine = banner.split("\n").findIndex((l) => l.includes("API key:  nonce/digest"));
    const pointer = banner.split("\n").findIndex((l) => l.includes("paste the API key above"));
    expect(keyLine).to.be.greaterThan(0);
    expect(pointer).to.be.greaterThan(keyLine);
    expect(banner).to.not.match(/key below/);
    expect(banner).to.contain("http://localhost:8080/console plays Looker's part");
    expect(banner).to.contain("Looker cannot reach http://localhost:8080").and.contain("tunnel")
      .and.contain("set BASE_URL");
    expect(banner).to.contain("this run's secret is random").and.contain("generate-api-key");
    expect(banner).to.contain("HOST 127.0.0.1 (only this machine can connect)")
      .and.contain("the debug integration not listed");
    const tunnelled = developmentNotes(loadConfig({ BASE_URL: "https://abc.trycloudflare.com",
      INTEGRATION_SERVICE_SECRET: GOOD, DEBUG_INTEGRATION: "true" }, "development"));
    expect(tunnelled.join(" ")).to.not.contain("cannot reach");
    expect(tunnelled.join(" ")).to.contain("same secret").and.contain("the debug integration listed");
    expect(developmentNotes(production({}))).to.deep.equal([]);
  });

  it("says the same on the hub's page in development, and nothing of it in production", async () => {
    const dev = buildTestApp([], { NODE_ENV: "development", BASE_URL: "http://localhost:8080" });
    const page = (await request(dev.app).get("/").expect(200)).text;
    expect(page).to.contain("<h2>Development mode</h2>").and.contain("Looker cannot reach http://localhost:8080")
      .and.contain("<code>npm run generate-api-key</code>");
    const prod = buildTestApp([], { NODE_ENV: "production" });
    expect((await request(prod.app).get("/").expect(200)).text).to.not.contain("Development mode");
  });
});
