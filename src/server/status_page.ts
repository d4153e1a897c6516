// GET / for people: what this hub is, its integrations, and how to connect it to Looker.
import { Integration } from "../hub/integration";
import { OAuthHub } from "../hub/oauth/oauth_hub";
import { Registry } from "../hub/registry";

function escapeHtml(text: string): string {
  const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

/** What an admin does to offer an OAuth integration whose client is not configured. */
function setupNote(i: Integration, oauth?: OAuthHub): string {
  if (!i.needsSetup || !i.oauth) { return ""; }
  const vars = i.oauth.setupVariables.map((v) => `<code>${escapeHtml(v)}</code>`).join(" and ");
  const redirect = oauth ? ` and register the redirect URI <code>${escapeHtml(oauth.redirectUri(i.name))}</code> ` +
    `with ${escapeHtml(i.oauth.vendor)}` : "";
  return `<p class="setup"><strong>Needs setup:</strong> not offered to Looker until you set ${vars}${redirect}.</p>`;
}

/** Development mode's notes (src/config/development_notes.ts), shown above the steps. */
function developmentSection(notes: string[]): string {
  if (!notes.length) { return ""; }
  const items = notes.map((n) => `<li>${escapeHtml(n).replace(/`([^`]+)`/g, "<code>$1</code>")}</li>`).join("\n");
  return `<h2>Development mode</h2>\n<ul class="dev">\n${items}\n</ul>\n`;
}

export function renderStatusPage(
  registry: Registry, label: string, baseUrl: string, version: string, oauth?: OAuthHub, devNotes: string[] = [],
): string {
  const listed = registry.integrations.filter((i) => i.listed);
  const rows = listed.map((i) => {
    const icon = registry.iconOf(i.name);
    const types = i.supportedActionTypes.join(", ");
    const minimum = i.minimumSupportedLookerVersion !== "0.0.0" ? ` · Looker ${i.minimumSupportedLookerVersion}+` : "";
    return `<li>${icon ? `<img src="${icon}" alt="" width="32" height="32">` : ""}
      <div><strong>${escapeHtml(i.label)}</strong> <code>${escapeHtml(i.name)}</code>
      <p>${escapeHtml(i.description)}</p>${setupNote(i, oauth)}<small>${escapeHtml(types)}${escapeHtml(minimum)}</small>
      </div></li>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(label)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
ul.integrations{list-style:none;padding:0}
ul.integrations li{display:flex;gap:1rem;padding:.75rem 0;border-bottom:1px solid #eee}
ul.integrations li p{margin:.25rem 0} ol li{margin:.35rem 0} small{color:#666}
code{background:#f4f4f4;padding:0 .25rem} p.setup{color:#8a4b00}
</style></head><body>
<h1>${escapeHtml(label)}</h1>
<p>A Looker Action Hub (Looker Integration Service ${escapeHtml(version)}). It delivers Looker query results,
dashboards and cell values to the destinations below.</p>
${developmentSection(devNotes)}<h2>Connect it to Looker</h2>
<ol>
<li>In Looker, open <strong>Admin &gt; Platform &gt; Actions</strong> and choose <strong>Add Action Hub</strong>.</li>
<li>Enter the URL <code>${escapeHtml(baseUrl)}</code>.</li>
<li>Paste an API key made with <code>npm run generate-api-key</code> on the hub's machine, with the hub's
secret (it stays valid until the secret changes), and save.</li>
<li>Enable the integrations you want and fill in their settings.</li>
</ol>
<h2>Integrations (${listed.length})</h2>
<ul class="integrations">
${rows}
</ul>
<p><a href="status">Health status (JSON)</a></p>
</body></html>
`;
}
