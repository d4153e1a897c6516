// Facebook Login for the hub's OAuth machinery: the login dialog on www.facebook.com asking for
// ads_management and business_management, then Graph's token endpoint (a GET, not RFC 6749's
// POST) for a short-lived token, traded at once for a long-lived one (about 60 days). Facebook
// issues no refresh token: when the long-lived token expires, the user logs in again.
import { FacebookSettings } from "../../config/ads";
import { OAuthDeclaration, UserTokens } from "../../hub/oauth/oauth_declaration";
import { GrantRefusedError } from "../../hub/oauth/token_endpoint";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { Logger } from "../../lib/logger";
import { GraphApi } from "./graph_api";

export const FACEBOOK_SCOPES = ["ads_management", "business_management"];

async function tokenCall(http: HttpClient, settings: FacebookSettings, query: Record<string, string>,
                         logger?: Logger): Promise<UserTokens> {
  const url = new GraphApi(http, settings).url("oauth/access_token", query);
  const response = await http.request({ url, method: "GET", trusted: true, who: "Facebook", logger,
    acceptStatus: (s) => s < 500 && s !== 429 });
  let answer: any = {};
  try { answer = response.json(); } catch { /* described below */ }
  if (response.status === 200 && typeof answer.access_token === "string") {
    const expiresIn = Number(answer.expires_in);
    return { accessToken: answer.access_token,
      expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined };
  }
  const error = answer?.error ?? {};
  if (Number(error.code) === 100 || Number(error.code) === 190) {
    throw new GrantRefusedError("Facebook did not accept the login code (it was used already or has expired).");
  }
  throw new UserError(`Facebook did not complete the login (${String(error.message ?? `HTTP ${response.status}`)
    .slice(0, 200)}). Ask the hub's admin to check FACEBOOK_CLIENT_ID and FACEBOOK_CLIENT_SECRET.`);
}

export function facebookOAuth(settings: FacebookSettings, http: HttpClient,
                              check: OAuthDeclaration["check"]): OAuthDeclaration {
  const version = settings.apiVersion;
  return {
    vendor: "Facebook",
    client: settings.client,
    setupVariables: ["FACEBOOK_CLIENT_ID", "FACEBOOK_CLIENT_SECRET"],
    endpoints: { authorizeUrl: `${settings.oauthUrl}/${version}/dialog/oauth`,
      tokenUrl: `${settings.graphUrl}/${version}/oauth/access_token` },
    scopes: FACEBOOK_SCOPES,
    scopeSeparator: ",",
    tokenUrlFlow: false,
    loginField: "oauth_link",
    http,
    check,
    async exchangeCode(grant, context) {
      const client = settings.client!;
      const short = await tokenCall(http, settings, { client_id: client.clientId, client_secret: client.clientSecret,
        redirect_uri: grant.redirectUri, code: grant.code }, context.logger);
      return tokenCall(http, settings, { grant_type: "fb_exchange_token", client_id: client.clientId,
        client_secret: client.clientSecret, fb_exchange_token: short.accessToken }, context.logger);
    },
    async refreshTokens() {
      throw new GrantRefusedError("Your Facebook login has expired (Facebook logins last about 60 days).");
    },
  };
}
