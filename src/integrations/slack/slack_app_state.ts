// The bot tokens of Looker's own Slack install, as Looker sends them in `data.state_json`:
// newer Lookers a JSON list of `{install_id, token}` (one per connected workspace), older ones
// the bare token string. Neither is ever logged.

export interface SlackInstall {
  /** Looker's id of the install (the workspace); absent for a bare token. */
  installId?: string;
  token: string;
}

function tokenOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** The installs in the state, in Looker's order; none for no state or Looker's `reset`. */
export function slackInstalls(state: string | undefined): SlackInstall[] {
  const text = (state ?? "").trim();
  if (!text || text === "reset") { return []; }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the bare token of an older Looker.
    return [{ token: text }];
  }
  if (typeof parsed === "string") { return tokenOf(parsed) ? [{ token: tokenOf(parsed)! }] : []; }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const installs: SlackInstall[] = [];
  for (const item of list) {
    if (typeof item !== "object" || item === null) { continue; }
    const entry = item as Record<string, unknown>;
    const token = tokenOf(entry.token);
    if (!token) { continue; }
    const id = entry.install_id;
    installs.push({ installId: typeof id === "string" || typeof id === "number" ? String(id) : undefined, token });
  }
  return installs;
}

/**
 * The install a delivery uses: the form's `workspace`, else the first (schedules made before
 * a second workspace was connected have no `workspace` and keep going to the first). A bare
 * token names no workspace and is used whatever the form says, as in the official hub.
 */
export function chosenInstall(installs: SlackInstall[], workspace: string | undefined): SlackInstall | undefined {
  const wanted = (workspace ?? "").trim();
  if (!wanted || (installs.length === 1 && installs[0].installId === undefined)) { return installs[0]; }
  return installs.find((i) => i.installId === wanted);
}
