// The standard token endpoint calls (RFC 6749 sections 4.1.3 and 6): exchanging a login's code
// and refreshing an access token, with the client's credentials from the environment.
import { UserError } from "../../lib/errors";
import { HttpResponse } from "../../lib/http_client";
import {
  CodeGrant, endpointsOf, LoginRequestContext, OAuthDeclaration, UserTokens,
} from "./oauth_declaration";

/** The vendor refused a code or refresh token (`invalid_grant`): the user must log in again. */
export class GrantRefusedError extends UserError {}

/** Exchanges a login's code for tokens. */
export async function exchangeCode(
  declaration: OAuthDeclaration, grant: CodeGrant, context: LoginRequestContext,
): Promise<UserTokens> {
  if (declaration.exchangeCode) { return declaration.exchangeCode(grant, context); }
  const fields: Record<string, string> = {
    grant_type: "authorization_code", code: grant.code, redirect_uri: grant.redirectUri,
  };
  if (grant.verifier) { fields.code_verifier = grant.verifier; }
  const tokens = await tokenCall(declaration, fields, grant.context, context, "login code");
  return { ...tokens, extra: { ...grant.context, ...tokens.extra } };
}

/** Trades the refresh token for a new access token; keeps the refresh token when none is sent. */
export async function refreshTokens(
  declaration: OAuthDeclaration, tokens: UserTokens, context: LoginRequestContext,
): Promise<UserTokens> {
  if (declaration.refreshTokens) { return declaration.refreshTokens(tokens, context); }
  if (!tokens.refreshToken) {
    throw new GrantRefusedError(`Your ${declaration.vendor} login has expired.`);
  }
  const fresh = await tokenCall(declaration, { grant_type: "refresh_token", refresh_token: tokens.refreshToken },
    tokens.extra ?? {}, context, "refresh token");
  return {
    ...fresh,
    refreshToken: fresh.refreshToken ?? tokens.refreshToken,
    extra: { ...tokens.extra, ...fresh.extra },
  };
}

async function tokenCall(
  declaration: OAuthDeclaration, fields: Record<string, string>, loginContext: Record<string, string>,
  context: LoginRequestContext, what: string,
): Promise<UserTokens> {
  const client = declaration.client;
  if (!client) {
    throw new UserError(`${declaration.vendor} login is not set up on this hub: ask its admin to set ` +
      `${declaration.setupVariables.join(" and ")}.`);
  }
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded", "accept": "application/json",
  };
  const body = new URLSearchParams(fields);
  if (declaration.clientAuthentication === "basic") {
    const pair = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
  } else {
    body.set("client_id", client.clientId);
    body.set("client_secret", client.clientSecret);
  }
  const endpoints = endpointsOf(declaration, loginContext);
  const response = await declaration.http.request({
    url: endpoints.tokenUrl, method: "POST", trusted: !endpoints.userTyped, headers,
    body: body.toString(), who: declaration.vendor, logger: context.logger,
    // 4xx answers carry OAuth's error codes: read them here rather than as a generic failure.
    acceptStatus: (s) => s < 500 && s !== 429 && s !== 408,
  });
  return parseTokenAnswer(declaration, response, what);
}

function parseTokenAnswer(declaration: OAuthDeclaration, response: HttpResponse, what: string): UserTokens {
  let answer: Record<string, unknown> = {};
  try { answer = response.json(); } catch { /* described below */ }
  const vendor = declaration.vendor;
  if (response.status >= 200 && response.status < 300 && typeof answer.access_token === "string") {
    const expiresIn = Number(answer.expires_in);
    const extra: Record<string, string> = {};
    for (const name of declaration.keepTokenFields ?? []) {
      if (answer[name] !== undefined && answer[name] !== null) { extra[name] = String(answer[name]); }
    }
    return {
      accessToken: answer.access_token,
      refreshToken: typeof answer.refresh_token === "string" ? answer.refresh_token : undefined,
      expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined,
      extra: Object.keys(extra).length ? extra : undefined,
    };
  }
  const error = typeof answer.error === "string" ? answer.error : "";
  const description = typeof answer.error_description === "string" ? answer.error_description.slice(0, 200) : "";
  if (error === "invalid_grant" || error === "expired_token") {
    throw new GrantRefusedError(`${vendor} no longer accepts your login (the ${what} was revoked or has expired).`);
  }
  if (error === "invalid_client" || error === "unauthorized_client" || response.status === 401) {
    throw new UserError(`${vendor} refused this hub's OAuth client (${error || `HTTP ${response.status}`}). ` +
      `Ask the hub's admin to check ${declaration.setupVariables.join(" and ")}.`);
  }
  const said = error ? `${error}${description ? `: ${description}` : ""}` : `HTTP ${response.status}`;
  throw new UserError(`${vendor} did not accept the ${what} (${said}).`);
}
