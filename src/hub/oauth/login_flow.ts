// The steps of a login, apart from HTTP: the browser's start (to the vendor), its return (code
// exchanged and stored at Looker's state_url for v1, or sealed and handed to Looker's
// state_redir_url for v2), Looker's v2 token request, and the login check.
import * as crypto from "crypto";
import { UserError } from "../../lib/errors";
import type { Logger } from "../../lib/logger";
import type { ActionRequest } from "../action_request";
import type { Integration } from "../integration";
import { LoginRequiredError } from "./login_errors";
import { endpointsOf, OAuthDeclaration } from "./oauth_declaration";
import { LoginState, OAuthHub, SealedCode } from "./oauth_hub";
import { storedStateFor } from "./stored_state";
import { BROWSER_SEAL_TTL_MS, UnsealError, UnsealFailure } from "./sealing";
import { exchangeCode } from "./token_endpoint";

/** A page for the person's browser: a title and a sentence, never JSON or a stack trace. */
export interface LoginPage {
  status: number;
  title: string;
  message: string;
}

/** A step that ends on a page rather than where it was going. */
export class LoginPageError extends Error {
  constructor(readonly page: LoginPage) {
    super(page.title);
    this.name = "LoginPageError";
  }
}

const AGAIN = "Start the login again from the form in Looker.";

export function refusedStatePage(reason: UnsealFailure, sealedFor?: string): LoginPage {
  const message: Record<UnsealFailure, string> = {
    malformed: "This login link is incomplete or damaged.",
    tampered: "This login link was altered, so it cannot be trusted.",
    other_secret: "This login link was made by another hub, or before this hub's secret changed.",
    expired: "This login link has expired: login links work for 10 minutes.",
    other_integration: `This login link was made for another integration${sealedFor ? ` (${sealedFor})` : ""}.`,
  };
  return { status: 400, title: "This login link cannot be used", message: `${message[reason]} ${AGAIN}` };
}

export type FinishResult = { redirect: string } | { page: LoginPage };

export class LoginFlow {
  constructor(private readonly hub: OAuthHub) {}

  /** GET /oauth: the vendor's consent page URL, carrying a fresh sealed state. */
  start(integration: Integration, stateParam: string | undefined): string {
    const declaration = ready(integration);
    const state = this.openState(integration.name, stateParam);
    const url = new URL(endpointsOf(declaration, state.context).authorizeUrl);
    if (declaration.pkce) {
      state.verifier = crypto.randomBytes(32).toString("base64url");
      url.searchParams.set("code_challenge", crypto.createHash("sha256").update(state.verifier).digest("base64url"));
      url.searchParams.set("code_challenge_method", "S256");
    }
    url.searchParams.set("response_type", "code");
    url.searchParams.set("client_id", declaration.client!.clientId);
    url.searchParams.set("redirect_uri", this.hub.redirectUri(integration.name));
    if (declaration.scopes.length) {
      url.searchParams.set("scope", declaration.scopes.join(declaration.scopeSeparator ?? " "));
    }
    for (const [key, value] of Object.entries(declaration.authorizeParams ?? {})) { url.searchParams.set(key, value); }
    url.searchParams.set("state", this.hub.sealer.seal("oauth-state", state,
      { integration: integration.name, ttlMs: BROWSER_SEAL_TTL_MS }));
    return url.toString();
  }

  /** GET /oauth_redirect: the vendor sent the browser back with a code (or an error). */
  async finish(integration: Integration, query: Record<string, string | undefined>, logger: Logger):
    Promise<FinishResult> {
    const declaration = ready(integration);
    const state = this.openState(integration.name, query.state);
    if (query.error || !query.code) { return { page: vendorRefusalPage(declaration, query) }; }
    const redirectUri = this.hub.redirectUri(integration.name);
    if (state.flow === "v2") {
      const sealed = this.hub.sealer.seal<SealedCode>("oauth-code",
        { code: query.code, redirectUri, verifier: state.verifier, context: state.context },
        { integration: integration.name, ttlMs: BROWSER_SEAL_TTL_MS });
      const to = new URL(state.to);
      to.searchParams.set("state", sealed);
      return { redirect: to.toString() };
    }
    const tokens = await this.exchange(declaration, integration.name,
      { code: query.code, redirectUri, verifier: state.verifier, context: state.context }, logger);
    const response = await declaration.http.request({
      url: state.to, method: "POST", trusted: true, who: "Looker", logger,
      headers: { "content-type": "application/json" }, body: storedStateFor(this.hub.sealer, integration.name, tokens),
      acceptStatus: () => true,
    });
    if (response.status < 200 || response.status > 299) {
      return { page: { status: 502, title: "Looker did not keep your login",
        message: `Looker answered HTTP ${response.status} when the hub handed it your ${declaration.vendor} login. ` +
          `${AGAIN}` } };
    }
    return { page: { status: 200, title: `You are logged in to ${declaration.vendor}`,
      message: "You can close this tab and go back to Looker." } };
  }

  /** POST /oauth_token (v2): Looker hands back the sealed code; the answer is the state it stores. */
  async tokenAnswer(integration: Integration, sealedCode: string | undefined, logger: Logger): Promise<string> {
    const declaration = ready(integration);
    let grant: SealedCode;
    try {
      grant = this.hub.sealer.unseal<SealedCode>("oauth-code", sealedCode, integration.name);
    } catch (err) {
      if (err instanceof UnsealError) { throw new UserError(refusedStatePage(err.reason, err.sealedFor).message); }
      throw err;
    }
    // Looker is the caller here, not a browser: failures are the UserErrors of the exchange.
    const tokens = await exchangeCode(declaration, grant, { integration: integration.name, logger });
    return storedStateFor(this.hub.sealer, integration.name, tokens);
  }

  /** oauth_check: true when a vendor call with the user's stored login succeeds. */
  async check(integration: Integration, request: ActionRequest): Promise<boolean> {
    const declaration = ready(integration);
    if (!request.oauth) { return false; }
    try {
      await declaration.check(request.oauth, request);
      return true;
    } catch (err) {
      if (err instanceof UserError) { return false; }
      throw err;
    }
  }

  private async exchange(declaration: OAuthDeclaration, name: string, grant: SealedCode, logger: Logger) {
    try {
      return await exchangeCode(declaration, grant, { integration: name, logger });
    } catch (err) {
      if (err instanceof UserError && !(err instanceof LoginRequiredError)) {
        throw new LoginPageError({ status: 502, title: `${declaration.vendor} did not complete the login`,
          message: `${err.message} ${AGAIN}` });
      }
      throw err;
    }
  }

  private openState(name: string, stateParam: string | undefined): LoginState {
    let state: LoginState;
    try {
      state = this.hub.sealer.unseal<LoginState>("oauth-state", stateParam, name);
    } catch (err) {
      if (err instanceof UnsealError) { throw new LoginPageError(refusedStatePage(err.reason, err.sealedFor)); }
      throw err;
    }
    if (!state || (state.flow !== "v1" && state.flow !== "v2") || typeof state.to !== "string") {
      throw new LoginPageError(refusedStatePage("malformed"));
    }
    return { ...state, context: state.context ?? {} };
  }
}

/** The integration's declaration, when it has a configured client. */
function ready(integration: Integration): OAuthDeclaration {
  const declaration = integration.oauth;
  if (!declaration) {
    throw new LoginPageError({ status: 404, title: "No login here",
      message: `${integration.label} does not use a login. Go back to Looker.` });
  }
  if (!declaration.client) {
    throw new LoginPageError({ status: 503, title: `${integration.label} is not set up`,
      message: `This hub's admin has not configured the ${declaration.vendor} OAuth client yet ` +
        `(${declaration.setupVariables.join(", ")}).` });
  }
  return declaration;
}

function vendorRefusalPage(declaration: OAuthDeclaration, query: Record<string, string | undefined>): LoginPage {
  const vendor = declaration.vendor;
  if (query.error === "access_denied") {
    return { status: 400, title: `${vendor} access was not allowed`,
      message: `You did not allow the hub to use your ${vendor} account, so nothing was changed. ` +
        "To deliver there, start the login again from the form in Looker and choose Allow." };
  }
  const detail = (query.error_description || query.error || "no login code").slice(0, 200);
  return { status: 400, title: `${vendor} did not complete the login`, message: `${vendor} said: ${detail}. ${AGAIN}` };
}
