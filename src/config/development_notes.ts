// What development mode tells the person who just ran `npm run dev`, on the hub's page and in the
// terminal's banner (src/process/dev_banner.ts): where the key is, why a real Looker cannot reach
// localhost and what to do about it, which secret `generate-api-key` needs, and which development
// settings are on. Facts of the configuration alone, so the server's page can show them too.
import type { Config } from "./index";
import { isLocalUrl } from "./checks";

export type DevFacts = Pick<Config, "mode" | "baseUrl" | "port" | "host" | "secretIsEphemeral" | "logFormat" |
  "debugIntegration" | "console">;

/** The notes, one sentence each; none outside development. */
export function developmentNotes(config: DevFacts): string[] {
  if (config.mode !== "development") { return []; }
  const notes: string[] = [];
  if (isLocalUrl(config.baseUrl)) {
    notes.push(`Looker cannot reach ${config.baseUrl}: to try the hub with a real Looker, expose port ` +
      `${config.port} through a tunnel (e.g. \`cloudflared tunnel --url http://localhost:${config.port}\` or ` +
      `\`ngrok http ${config.port}\`) and set BASE_URL in .env to the tunnel's https URL.`);
  }
  notes.push(config.secretIsEphemeral
    ? "No INTEGRATION_SERVICE_SECRET is set, so this run's secret is random: use the API key printed at start " +
      "(it works until the hub restarts); `npm run generate-api-key` makes keys only for a secret set in .env, " +
      "the same one the hub runs with."
    : "`npm run generate-api-key` makes keys for INTEGRATION_SERVICE_SECRET; run it with the same secret as " +
      "this hub (the same .env), or its keys are refused.");
  const settings = [
    config.secretIsEphemeral ? "a random secret" : "the secret from INTEGRATION_SERVICE_SECRET",
    `BASE_URL ${config.baseUrl}`,
    config.host === "127.0.0.1" || config.host === "localhost"
      ? `HOST ${config.host} (only this machine can connect)` : `HOST ${config.host}`,
    `LOG_FORMAT ${config.logFormat}`,
    `the debug integration ${config.debugIntegration ? "listed" : "not listed (DEBUG_INTEGRATION=true lists it)"}`,
    `the console ${config.console.enabled ? "on at /console" : "off (CONSOLE_ENABLED=true turns it on)"}`,
    "restart when a file in src/ changes",
  ];
  notes.push(`Development settings in use: ${settings.join("; ")}.`);
  return notes;
}
