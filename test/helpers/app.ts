// Builds the real Express app around chosen integrations, for supertest.
import * as http from "http";
import { AddressInfo } from "net";
import { PassThrough } from "stream";
import { Config, loadConfig } from "../../src/config";
import { Integration } from "../../src/hub/integration";
import { Registry } from "../../src/hub/registry";
import { createLogger } from "../../src/lib/logger";
import { createApp } from "../../src/server/app";
import { generateApiKey } from "../../src/server/auth";

export const TEST_SECRET = "test-secret-0123456789abcdef";

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    INTEGRATION_SERVICE_SECRET: TEST_SECRET,
    BASE_URL: "https://hub.example.test",
    INTEGRATION_PROVIDER_LABEL: "Test Hub",
    ...env,
  });
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  config: Config;
  registry: Registry;
  /** Everything logged, as text, for assertions about what is (not) logged. */
  logs: () => string;
}

export function buildTestApp(integrations: Integration[], env: Record<string, string> = {}): TestApp {
  const config = testConfig(env);
  const registry = new Registry(integrations, config.label, config.baseUrl, config.policy);
  const sink = new PassThrough();
  let text = "";
  sink.on("data", (chunk) => { text += chunk.toString(); });
  const logger = createLogger({ level: "debug", format: "json", stream: sink });
  return { app: createApp({ config, registry, logger }), config, registry, logs: () => text };
}

export function authHeader(secret = TEST_SECRET): string {
  return `Token token="${generateApiKey(secret)}"`;
}

/**
 * Serves `app` on a loopback port from the suite's start to its end (mocha hooks): for tests
 * that speak raw HTTP (chunked bodies, exact lengths) rather than through supertest.
 */
export function serveDuringSuite(app: ReturnType<typeof createApp>): { port: () => number } {
  let server: http.Server | undefined;
  before(async () => {
    server = http.createServer(app);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  });
  after(async () => {
    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
  });
  return { port: () => (server!.address() as AddressInfo).port };
}
