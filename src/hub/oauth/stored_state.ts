// The per-user state Looker stores for an OAuth integration. This hub stores `{"sealed": "lis1..."}`:
// the tokens sealed under its secret, so neither Looker's database nor its admins hold usable
// vendor tokens. It also reads what the official hub stored unsealed, so users who move over
// keep their login: Google's `{tokens: {access_token, refresh_token, expiry_date}, redirect}`,
// `{access_token, ...}`, and Dropbox's not yet exchanged `{code, redirect}`.
import { isSealed, Sealer, UnsealError } from "./sealing";
import { UserTokens } from "./oauth_declaration";

export type StoredState =
  | { kind: "none"; why: string }
  | { kind: "unusable"; why: string }
  | { kind: "tokens"; tokens: UserTokens; legacy: boolean }
  | { kind: "code"; code: string; redirectUri: string };

/** Looker's way to say the state was cleared. */
export const RESET_STATE = "reset";

/** The state string this hub stores for tokens. */
export function storedStateFor(sealer: Sealer, integration: string, tokens: UserTokens): string {
  return JSON.stringify({ sealed: sealer.seal("stored-tokens", compact(tokens), { integration }) });
}

/** Reads what Looker sent as the user's state, in any shape this hub or the official one stored. */
export function readStoredState(sealer: Sealer, integration: string, raw: string | undefined, vendor: string):
  StoredState {
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
    return { kind: "unusable", why: `Your ${vendor} login was saved encrypted by the previous Action Hub, ` +
      "which this hub cannot read." };
  }
  const legacy = legacyTokens(parsed.tokens && typeof parsed.tokens === "object" ? parsed.tokens : parsed);
  if (legacy) { return { kind: "tokens", tokens: legacy, legacy: true }; }
  if (typeof parsed.code === "string" && parsed.code && typeof parsed.redirect === "string") {
    return { kind: "code", code: parsed.code, redirectUri: parsed.redirect };
  }
  return { kind: "unusable", why: `Your saved ${vendor} login could not be read.` };
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
