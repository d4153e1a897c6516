// Prints an API key for the configured INTEGRATION_SERVICE_SECRET (or ACTION_HUB_SECRET).
import { ConfigError, environmentWithDotenv, loadConfig } from "../src/config";
import { generateApiKey } from "../src/server/auth";

function run(): number {
  let config;
  try {
    config = loadConfig(environmentWithDotenv(process.env), "development");
  } catch (err) {
    if (!(err instanceof ConfigError)) { throw err; }
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  if (config.secretIsEphemeral) {
    process.stderr.write(
      "INTEGRATION_SERVICE_SECRET is not set. Set it (in the environment or in .env) to the hub's secret,\n" +
      "then run this again: a key is only valid for the secret it was made with.\n",
    );
    return 1;
  }
  process.stdout.write(`${generateApiKey(config.secret)}\n`);
  process.stderr.write("This key stays valid until INTEGRATION_SERVICE_SECRET changes. Paste it into Looker " +
    "(Admin > Platform > Actions > Add Action Hub).\n");
  return 0;
}

process.exitCode = run();
