// A real hub listening on 127.0.0.1 with the console on, for the console's url deliveries (the
// hub fetches its own one-time URLs), `npm run send` and the browser tests. BASE_URL is the
// address it really listens on, known before the app is built.
import * as http from "http";
import { AddressInfo } from "net";
import { PassThrough } from "stream";
import { Integration } from "../../src/hub/integration";
import { Registry } from "../../src/hub/registry";
import { createLogger } from "../../src/lib/logger";
import { createApp } from "../../src/server/app";
import { generateApiKey } from "../../src/server/auth";
import { TEST_SECRET, testConfig } from "./app";

export interface ConsoleHub {
  url: string;
  key: string;
  /** Everything logged, as text. */
  logs(): string;
  close(): Promise<void>;
}

export async function startConsoleHub(
  integrations: Integration[], env: Record<string, string> = {},
): Promise<ConsoleHub> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = testConfig({ BASE_URL: url, CONSOLE_ENABLED: "true", ...env });
  const sink = new PassThrough();
  let text = "";
  sink.on("data", (chunk) => { text += chunk.toString(); });
  const logger = createLogger({ level: "debug", format: "json", stream: sink });
  const registry = new Registry(integrations, config.label, config.baseUrl, config.policy);
  const app = createApp({ config, registry, logger });
  server.on("request", app);
  return {
    url,
    key: generateApiKey(TEST_SECRET),
    logs: () => text,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
