// The per-user state Looker stores for an OAuth integration. This hub stores `{"sealed": "lis1..."}`:
// the tokens sealed under its secret, so neither Looker's database nor its admins hold usable
// vendor tokens. It also reads what the official hub stored, so users who move over keep their
// login: Google's `{tokens: {access_token, refresh_token, expiry_date}, redirect}`,
// `{access_token, ...}`, Dropbox's not yet exchanged `{code, redirect}`, and any of those
// encrypted as `{cid, payload}` when the admin gave this hub the official CIPHER_MASTER.
import { isOfficialSealed, OfficialCipher, OfficialStateError } from "./official_cipher";
import { isSealed, Sealer, UnsealError } from "./sealing";
import { UserTokens } from "./oauth_declaration";

export type StoredState =
  | { kind: "none"; why: string }
  /** `keep`: Looker should keep the state (the hub's key is wrong, not the state). */
  | { kind: "unusable"; why: string; keep?: boolean }
  | { kind: "tokens"; tokens: UserTokens; legacy: boolean }
  | { kind: "code"; code: string; redirectUri: string };

/** Looker's way to say the state was cleared. */
export const RESET_STATE = "reset";

/** The state string this hub stores for tokens. */
export function storedStateFor(sealer: Sealer, integration: string, tokens: UserTokens): string {
  return JSON.stringify({ sealed: sealer.seal("stored-tokens", compact(tokens), { integration }) });
}

/**
 * Reads what Looker sent as the user's state, in any shape this hub or the official one stored;
 * `official` opens the official hub's encrypted shape (CIPHER_MASTER).
 */
export function readStoredState(sealer: Sealer, integration: string, raw: string | undefined, vendor: string,
  official?: OfficialCipher): StoredState {
  const text = (raw ?? "").trim();
  if (!text || text === "null" || text === RESET_STATE || text === "\"reset\"" || text === "{}") {
    return { kind: "none", why: `You are not logged in to ${vendor} yet.` };
  }
  let parsed: any = text;
  if (!isSealed(text)) {
    try { parsed = JSON.parse(text); } catch {
      return { kind: "unusable", why: `Your saved ${vendor} login could not be read.` };
    }
  }
  const sealed = typeof parsed === "string" ? parsed : parsed && typeof parsed.sealed === "string" ? parsed.sealed
    : undefined;
  if (sealed !== undefined) { return unsealTokens(sealer, integration, sealed, vendor); }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { kind: "unusable", why: `Your saved ${vendor} login could not be read.` };
  }
  if (typeof parsed.cid === "string" && parsed.payload !== undefined) {
    const unwrapped = openOfficial(parsed, vendor, official);
    if (unwrapped.refused) { return unwrapped.refused; }
    parsed = unwrapped.opened;
  }
  return officialShape(parsed, vendor);
}

/** The official hub's plain shapes: its tokens (Google's nested under `tokens`) or Dropbox's code. */
function officialShape(parsed: any, vendor: string): StoredState {
  const legacy = legacyTokens(parsed.tokens && typeof parsed.tokens === "object" ? parsed.tokens : parsed);
  if (legacy) { return { kind: "tokens", tokens: legacy, legacy: true }; }
  if (typeof parsed.code === "string" && parsed.code && typeof parsed.redirect === "string") {
    return { kind: "code", code: parsed.code, redirectUri: parsed.redirect };
  }
  return { kind: "unusable", why: `Your saved ${vendor} login could not be read.` };
}

/** The JSON inside the official hub's `{cid, payload}`, or why it cannot be had. */
function openOfficial(parsed: any, vendor: string, official?: OfficialCipher):
  { opened: Record<string, unknown>; refused?: undefined } | { refused: StoredState } {
  const cannot = `Your ${vendor} login was saved encrypted by the previous Action Hub`;
  if (!official || !isOfficialSealed(parsed)) {
    return { refused: { kind: "unusable", why: `${cannot}, which this hub cannot read.` } };
  }
  try {
    return { opened: official.open(parsed) };
  } catch (err) {
    const reason = err instanceof OfficialStateError ? err.reason : "damaged";
    // A wrong CIPHER_MASTER is the admin's to fix: Looker keeps the state for when it is right.
    return { refused: reason === "other_key"
      ? { kind: "unusable", keep: true, why: `${cannot} under another key than this hub's CIPHER_MASTER, so it ` +
        "cannot be read (the hub's admin can correct the key; logging in again also works)." }
      : { kind: "unusable", why: `${cannot}, and it could not be read (it is damaged).` } };
  }
}

function unsealTokens(sealer: Sealer, integration: string, sealed: string, vendor: string): StoredState {
  try {
    const tokens = sealer.unseal<UserTokens>("stored-tokens", sealed, integration);
    if (!tokens || typeof tokens.accessToken !== "string") { throw new UnsealError("malformed"); }
    return { kind: "tokens", tokens, legacy: false };
  } catch (err) {
    const reason = err instanceof UnsealError ? err.reason : "malformed";
    const why = reason === "other_secret"
      ? `Your ${vendor} login was saved before this hub's secret changed.`
      : reason === "other_integration"
        ? `Your saved login belongs to another integration.`
        : `Your saved ${vendor} login could not be read.`;
    return { kind: "unusable", why };
  }
}

/** An official-hub token object: `access_token` (Facebook: `longLivedToken`), Google adds `refresh_token`. */
function legacyTokens(value: any): UserTokens | undefined {
  // Facebook's long-lived token was kept as `longLivedToken`.
  const accessToken = value?.access_token ?? value?.longLivedToken;
  if (typeof accessToken !== "string" || !accessToken) { return undefined; }
  const expiry = Number(value.expiry_date ?? value.expires_at);
  return {
    accessToken,
    refreshToken: typeof value.refresh_token === "string" && value.refresh_token ? value.refresh_token : undefined,
    // Google's expiry_date is epoch milliseconds; an epoch in seconds is far smaller.
    expiresAt: Number.isFinite(expiry) && expiry > 0 ? (expiry < 1e11 ? expiry * 1000 : expiry) : undefined,
  };
}

function compact(tokens: UserTokens): UserTokens {
  const out: UserTokens = { accessToken: tokens.accessToken };
  if (tokens.refreshToken) { out.refreshToken = tokens.refreshToken; }
  if (tokens.expiresAt) { out.expiresAt = tokens.expiresAt; }
  if (tokens.extra && Object.keys(tokens.extra).length) { out.extra = tokens.extra; }
  return out;
}
