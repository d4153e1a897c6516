import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, environmentWithDotenv, loadConfig } from "../../src/config";

describe("configuration", () => {
  it("stops a production start without secret or base URL, in one line naming what to set", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).to.throw(ConfigError,
      /^Cannot start in production: set INTEGRATION_SERVICE_SECRET .* and BASE_URL .*\.$/);
    expect(() => loadConfig({ NODE_ENV: "production", BASE_URL: "https://h.example" }))
      .to.throw(ConfigError, /set INTEGRATION_SERVICE_SECRET/);
    expect(() => loadConfig({}, "production")).to.throw(ConfigError);
  });

  it("starts development with an ephemeral secret on localhost", () => {
    const a = loadConfig({}, "development");
    const b = loadConfig({}, "development");
    expect(a.mode).to.equal("development");
    expect(a.secretIsEphemeral).to.equal(true);
    expect(a.secret).to.have.length(64);
    expect(a.secret).not.to.equal(b.secret);
    expect(a.baseUrl).to.equal("http://localhost:8080");
    expect(a.host).to.equal("127.0.0.1");
    expect(a.port).to.equal(8080);
  });

  it("reads the hub's names", () => {
    const c = loadConfig({ NODE_ENV: "production", BASE_URL: "https://hub.example.com/", PORT: "9000",
      INTEGRATION_SERVICE_SECRET: "s".repeat(32), INTEGRATION_PROVIDER_LABEL: "Acme" });
    expect(c).to.include({ baseUrl: "https://hub.example.com", port: 9000, label: "Acme", secretIsEphemeral: false,
      host: "0.0.0.0", logFormat: "json" });
  });

  it("accepts the official hub's ACTION_HUB_* names", () => {
    const c = loadConfig({ NODE_ENV: "production", ACTION_HUB_BASE_URL: "https://old.example.com",
      ACTION_HUB_SECRET: "o".repeat(32), ACTION_HUB_LABEL: "Old Hub" });
    expect(c).to.include({ baseUrl: "https://old.example.com", secret: "o".repeat(32), label: "Old Hub" });
  });

  it("accepts the official ACTION_HUB_JSON_KEEPALIVE_SEC; KEEPALIVE_INTERVAL_SECONDS wins when both are set", () => {
    const base = { NODE_ENV: "test", INTEGRATION_SERVICE_SECRET: "s".repeat(32) };
    expect(loadConfig({ ...base, ACTION_HUB_JSON_KEEPALIVE_SEC: "12" }).keepAliveIntervalMs).to.equal(12_000);
    expect(loadConfig({ ...base, ACTION_HUB_JSON_KEEPALIVE_SEC: "12", KEEPALIVE_INTERVAL_SECONDS: "20" })
      .keepAliveIntervalMs).to.equal(20_000);
    expect(() => loadConfig({ ...base, ACTION_HUB_JSON_KEEPALIVE_SEC: "soon" })).to.throw(/ACTION_HUB_JSON_KEEPALIVE_SEC/);
  });

  it("refuses invalid values with a message naming the variable", () => {
    expect(() => loadConfig({ PORT: "eighty" }, "development")).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ BASE_URL: "hub.example.com" }, "development")).to.throw(ConfigError, /BASE_URL/);
    expect(() => loadConfig({ DEBUG_INTEGRATION: "maybe" }, "development")).to.throw(ConfigError, /DEBUG_INTEGRATION/);
    expect(() => loadConfig({ KEEPALIVE_INTERVAL_SECONDS: "0" }, "development"))
      .to.throw(ConfigError, /KEEPALIVE_INTERVAL_SECONDS/);
  });

  it("reads LOG_LEVEL in any case and stops the start on a level it does not know", () => {
    expect(loadConfig({ LOG_LEVEL: "INFO" }, "development").logLevel).to.equal("info");
    expect(loadConfig({ LOG_LEVEL: "Debug" }, "development").logLevel).to.equal("debug");
    expect(loadConfig({}, "development").logLevel).to.equal("info");
    for (const level of ["warning", "verbose", "loud"]) {
      expect(() => loadConfig({ LOG_LEVEL: level }, "development"), level)
        .to.throw(ConfigError, /^LOG_LEVEL must be one of error, warn, info, debug; it is "/);
    }
  });

  it("reads a .env file under the real environment", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hub-env-"));
    const file = path.join(dir, ".env");
    fs.writeFileSync(file, "INTEGRATION_PROVIDER_LABEL=From Dotenv\nPORT=7000\n");
    try {
      const env = environmentWithDotenv({ PORT: "7001" }, file);
      const c = loadConfig(env, "development");
      expect(c.label).to.equal("From Dotenv");
      expect(c.port).to.equal(7001);
      expect(environmentWithDotenv({ A: "1" }, path.join(dir, "missing"))).to.deep.equal({ A: "1" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("settings of a new integration", () => {
  it("reads a vendor URL and an OAuth client from the same environment, checked", () => {
    const config = loadConfig({ NODE_ENV: "test", ACME_API_URL: "http://127.0.0.1:9/v1",
      ACME_CLIENT_ID: "id", ACME_CLIENT_SECRET: "secret" });
    expect(config.vendorUrl("ACME_API_URL", "https://api.acme.example/")).to.equal("http://127.0.0.1:9/v1/");
    expect(config.vendorUrl("OTHER_API_URL", "https://api.other.example")).to.equal("https://api.other.example/");
    expect(() => config.vendorUrl("ACME_CLIENT_ID", "https://x.example/")).to.throw(ConfigError, /ACME_CLIENT_ID/);
    expect(config.oauthClient("ACME_CLIENT_ID", "ACME_CLIENT_SECRET")).to.deep.equal({ clientId: "id", clientSecret: "secret" });
    expect(config.oauthClient("NONE_ID", "NONE_SECRET")).to.equal(undefined);
  });
});
