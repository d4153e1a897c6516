// The banner `npm run dev` prints once the hub listens: the hub's URL, the API key, how to add it
// to Looker, and the development notes (src/config/development_notes.ts) the hub's page shows too.
import { DevFacts, developmentNotes } from "../config/development_notes";

/** The banner `npm run dev` prints once the hub listens. */
export function developmentBanner(config: DevFacts, listeningUrl: string, apiKey: string): string {
  const notes = developmentNotes(config).map((n) => `- ${n}`).join("\n");
  return `\nLooker Integration Service is running in development mode.\n\n` +
    `  Hub URL:  ${config.baseUrl}  (listening on ${listeningUrl})\n` +
    `  API key:  ${apiKey}\n\n` +
    "In Looker: Admin > Platform > Actions > Add Action Hub, enter the Hub URL and paste the API key above.\n" +
    (config.console.enabled ? `No Looker at hand? ${config.baseUrl}/console plays Looker's part ` +
      "(docs/console.md also shows npm run send and curl).\n\n"
      : "No Looker at hand? docs/console.md sends a sample delivery with curl.\n\n") +
    `${notes}\n\n`;
}
