// Prints an API key for the configured INTEGRATION_SERVICE_SECRET (or ACTION_HUB_SECRET). It needs
// the secret only, so it runs in the hub's image or dyno as it is (no BASE_URL, no other setting).
import { ConfigError, configuredSecret, environmentWithDotenv } from "../src/config";
import { generateApiKey } from "../src/server/auth";

function run(): number {
  let secret;
  try {
    secret = configuredSecret(environmentWithDotenv(process.env));
  } catch (err) {
    if (!(err instanceof ConfigError)) { throw err; }
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  if (!secret) {
    process.stderr.write(
      "INTEGRATION_SERVICE_SECRET is not set. Set it (in the environment or in .env) to the hub's secret,\n" +
      "then run this again: a key is only valid for the secret it was made with.\n",
    );
    return 1;
  }
  process.stdout.write(`${generateApiKey(secret)}\n`);
  process.stderr.write("This key stays valid until INTEGRATION_SERVICE_SECRET changes. Paste it into Looker " +
    "(Admin > Platform > Actions > Add Action Hub).\n");
  return 0;
}

process.exitCode = run();
