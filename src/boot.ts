// Starts the hub: reads the configuration, builds the registry and the app, and listens.
// `--dev` (npm run dev) makes development the default mode when NODE_ENV is not set.
import cluster from "cluster";
import * as http from "http";
import { runPrimary } from "./process/cluster";
import { Config, ConfigError, processConfig } from "./config";
import { DeliveryPolicy } from "./hub/policy";
import { allIntegrations } from "./integrations";
import { closeRowWorkers, rowWorkers } from "./data/rows/row_workers";
import { Registry } from "./hub/registry";
import { createLogger, Logger } from "./lib/logger";
import { createApp } from "./server/app";
import { generateApiKey } from "./server/auth";
import { developmentBanner } from "./process/dev_banner";
import { createHubServer } from "./server/http_server";
import { Lifecycle } from "./server/lifecycle";
import { HubMetrics } from "./server/metrics";
import { handleCrashes, logProcessWarnings, onStopSignals } from "./process/signals";

export interface RunningHub {
  server: http.Server;
  url: string;
  /** Stops accepting and waits for requests in flight (up to the grace period). */
  shutdown(): Promise<boolean>;
}

export function startHub(config: Config, logger: Logger): Promise<RunningHub> {
  const registry = new Registry(allIntegrations(config), config.label, config.baseUrl, config.policy);
  const lifecycle = new Lifecycle();
  const app = createApp({ config, registry, logger, lifecycle, metrics: new HubMetrics() });
  const server = createHubServer(app, config);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      rowWorkers()?.prestart();
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      resolve({
        server,
        url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`,
        // The row workers end after the deliveries that use them.
        shutdown: () => lifecycle.drain(server, config.shutdownGraceMs).finally(closeRowWorkers),
      });
    });
  });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = processConfig(process.argv.includes("--dev") ? "development" : "production");
    // ACTION_WHITELIST's and POLICY_FILE's names are checked here, before a cluster's workers
    // would each refuse them.
    const integrations = allIntegrations(config);
    if (config.policy) { new DeliveryPolicy(config.policy, integrations.map((i) => i.name)); }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  handleCrashes(logger);
  logProcessWarnings(logger);
  if (config.webConcurrency > 1 && cluster.isPrimary) {
    runPrimary(config, logger);
    return;
  }
  const hub = await startHub(config, logger);
  logger.info("hub listening", { url: hub.url, mode: config.mode, version: config.version });
  for (const warning of config.warnings) { logger.warn(warning); }
  if (config.mode !== "production" && cluster.isPrimary) {
    process.stdout.write(developmentBanner(config, hub.url, generateApiKey(config.secret)));
  }
  onStopSignals(logger, config.shutdownGraceMs, () => {
    logger.info("shutting down: finishing requests in flight", { graceSeconds: config.shutdownGraceMs / 1000 });
    hub.shutdown().then((clean) => {
      logger.info(clean ? "shut down cleanly" : "shut down after the grace period");
      process.exit(0);
    });
  });
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`The hub could not start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
