// What an integration declares to get per-user login: its OAuth client, the vendor's endpoints
// and scopes, and one vendor call that proves a login works. The hub adds the routes, the sealed
// state, the code exchange, refresh and the login field (docs/oauth.md).
import type { HttpClient } from "../../lib/http_client";
import type { ActionRequest } from "../action_request";
import type { OAuthSession } from "./oauth_session";

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface OAuthEndpoints {
  /** Where the browser is sent to log in and consent. */
  authorizeUrl: string;
  /** Where codes and refresh tokens are exchanged (RFC 6749 section 3.2). */
  tokenUrl: string;
  /**
   * True when the URLs come from a value a user typed (a Salesforce domain), not from the
   * operator's configuration: token calls then go through the private-address guard.
   */
  userTyped?: boolean;
}

/** A user's vendor tokens, as the hub keeps them (sealed) in Looker's per-user state. */
export interface UserTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds; absent when the vendor did not say. */
  expiresAt?: number;
  /** Vendor fields kept with the tokens (`keepTokenFields`) and the login context. */
  extra?: Record<string, string>;
}

/** What a code exchange needs; `verifier` is set when the declaration uses PKCE. */
export interface CodeGrant {
  code: string;
  redirectUri: string;
  verifier?: string;
  context: Record<string, string>;
}

export type LoginFieldType = "oauth_link" | "oauth_link_google";

export interface OAuthDeclaration {
  /** The vendor's name in sentences: "Log in to Google". */
  vendor: string;
  /** The OAuth client from the environment; undefined means the integration needs setup. */
  client?: OAuthClientCredentials;
  /** The variables an admin sets to configure the client, shown on the hub's page. */
  setupVariables: string[];
  /** Fixed endpoints, or endpoints chosen by the login context (a Salesforce domain). */
  endpoints: OAuthEndpoints | ((context: Record<string, string>) => OAuthEndpoints);
  scopes: string[];
  /** Joins scopes in the authorize URL; OAuth says a space, a few vendors want a comma. */
  scopeSeparator?: string;
  /** Extra authorize parameters (Google: access_type=offline, prompt=consent). */
  authorizeParams?: Record<string, string>;
  /** True: the definition advertises `token_url` and the v2 flow is offered when Looker asks for it. */
  tokenUrlFlow: boolean;
  /** The form field type of the login link; Google's has its own button. */
  loginField: LoginFieldType;
  /** How the client authenticates at the token endpoint: form fields (default) or HTTP Basic. */
  clientAuthentication?: "body" | "basic";
  /** Proof Key for Code Exchange (RFC 7636, S256): required by Airtable, harmless elsewhere. */
  pkce?: boolean;
  /** Fields of the token answer kept with the tokens (e.g. Salesforce's `instance_url`). */
  keepTokenFields?: string[];
  /** The outbound client used for the token endpoint. */
  http: HttpClient;
  /** Values of the form request that the login must carry through (sealed), e.g. a domain. */
  loginContext?(request: ActionRequest): Record<string, string>;
  /** A cheap vendor call with the user's token; throws when the vendor refuses it (oauth_check). */
  check(session: OAuthSession, request: ActionRequest): Promise<void>;
  /** Replaces the standard code exchange (a vendor that is not RFC 6749 shaped). */
  exchangeCode?(grant: CodeGrant, request: LoginRequestContext): Promise<UserTokens>;
  /** Replaces the standard refresh grant. */
  refreshTokens?(tokens: UserTokens, request: LoginRequestContext): Promise<UserTokens>;
}

/** What token endpoint calls log with and name in messages. */
export interface LoginRequestContext {
  integration: string;
  logger?: import("../../lib/logger").Logger;
}

/** The endpoints for a login context. */
export function endpointsOf(declaration: OAuthDeclaration, context: Record<string, string> = {}): OAuthEndpoints {
  return typeof declaration.endpoints === "function" ? declaration.endpoints(context) : declaration.endpoints;
}
