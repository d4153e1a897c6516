// The login machinery as the server uses it: a session on every request of an OAuth integration,
// the login field when the user has to log in, and the user's new state put on the answer.
import { UserError } from "../../lib/errors";
import { ActionForm } from "../action_form";
import type { ActionRequest } from "../action_request";
import { ActionResponse } from "../action_response";
import type { Integration } from "../integration";
import { LoginRequiredError } from "./login_errors";
import { OAuthDeclaration } from "./oauth_declaration";
import { OAuthSession } from "./oauth_session";
import { OfficialCipher } from "./official_cipher";
import { RESET_STATE } from "./stored_state";
import { BROWSER_SEAL_TTL_MS, Sealer } from "./sealing";

/** What travels (sealed) in the login link's `state`: where Looker wants the result. */
export interface LoginState {
  /** v1: POST the sealed tokens to `to` (Looker's state_url); v2: redirect the browser to it. */
  flow: "v1" | "v2";
  to: string;
  context: Record<string, string>;
  /** PKCE's code verifier, added when the browser is sent to the vendor. */
  verifier?: string;
}

/** What travels (sealed) through the browser back to Looker in the v2 flow. */
export interface SealedCode {
  code: string;
  redirectUri: string;
  verifier?: string;
  context: Record<string, string>;
}

export class OAuthHub {
  constructor(
    readonly sealer: Sealer, readonly baseUrl: string, readonly now: () => number = Date.now,
    /** Opens user state the official hub stored encrypted (its CIPHER_MASTER), when given. */
    readonly official?: OfficialCipher,
  ) {}

  /** The hub's redirect URI for an integration: what the admin registers with the vendor. */
  redirectUri(name: string): string {
    return `${this.baseUrl}/actions/${encodeURIComponent(name)}/oauth_redirect`;
  }

  /** Gives an OAuth integration's request its session. */
  attach(integration: Integration, request: ActionRequest): void {
    if (integration.oauth) {
      request.oauth = new OAuthSession(integration.name, integration.oauth, this.sealer, request, this.now,
        this.official);
    }
  }

  /** Runs a form; a LoginRequiredError becomes the login field, and a new state goes on the answer. */
  async form(integration: Integration, request: ActionRequest, run: () => Promise<ActionForm>): Promise<ActionForm> {
    const declaration = integration.oauth;
    if (!declaration) { return run(); }
    let form: ActionForm;
    try {
      form = await run();
    } catch (err) {
      if (keepsRefreshedLogin(err, request)) { return withState(ActionForm.error((err as Error).message), request); }
      if (!(err instanceof LoginRequiredError)) { throw err; }
      forget(err, request);
      form = this.loginForm(integration.name, declaration, request, err.why);
    }
    return withState(form, request);
  }

  /** Runs an execute; a LoginRequiredError fails it clearly, and a new state goes on the answer. */
  async execute(integration: Integration, request: ActionRequest, run: () => Promise<ActionResponse>):
    Promise<ActionResponse> {
    if (!integration.oauth) { return run(); }
    let response: ActionResponse;
    try {
      response = await run();
    } catch (err) {
      if (keepsRefreshedLogin(err, request)) {
        const failed = err as UserError;
        return withState(ActionResponse.failure(failed.message, failed.validationErrors), request);
      }
      if (!(err instanceof LoginRequiredError)) { throw err; }
      forget(err, request);
      response = ActionResponse.failure(err.message);
    }
    return withState(response, request);
  }

  /** The form of a user who must log in: the login link, and why. */
  loginForm(name: string, declaration: OAuthDeclaration, request: ActionRequest, why: string): ActionForm {
    const state = this.loginState(declaration, request);
    if (!state) {
      const form = new ActionForm([{
        name: "login", type: "message", label: `Log in to ${declaration.vendor}`,
        value: `${why} Looker did not send where to keep your login (no state_url), so the login cannot start ` +
          "here. Open this form from a schedule or the Send dialog of a current Looker.",
      }]);
      return form;
    }
    const sealed = this.sealer.seal<LoginState>("oauth-state", state,
      { integration: name, ttlMs: BROWSER_SEAL_TTL_MS });
    return new ActionForm([{
      name: "login",
      type: declaration.loginField,
      label: `Log in to ${declaration.vendor}`,
      description: `${why} Log in to ${declaration.vendor} to continue; the link works for 10 minutes, ` +
        "then reopen this form for a new one.",
      oauth_url: `${this.baseUrl}/actions/${encodeURIComponent(name)}/oauth?state=${encodeURIComponent(sealed)}`,
    }]);
  }

  private loginState(declaration: OAuthDeclaration, request: ActionRequest): LoginState | undefined {
    const context = declaration.loginContext ? declaration.loginContext(request) : {};
    if (declaration.tokenUrlFlow && request.stateRedirUrl) {
      return { flow: "v2", to: request.stateRedirUrl, context };
    }
    if (request.stateUrl) { return { flow: "v1", to: request.stateUrl, context }; }
    return undefined;
  }
}

/**
 * A user error after the session stored a refreshed login: the failure still carries the new
 * state, since a vendor that rotates refresh tokens (Airtable) accepts the old one no more.
 */
function keepsRefreshedLogin(err: unknown, request: ActionRequest): boolean {
  return err instanceof UserError && !(err instanceof LoginRequiredError) && !!request.oauth?.stateUpdate &&
    request.oauth.stateUpdate.data !== RESET_STATE;
}

/** A login the integration found useless (an account outside the allowed domains) is cleared. */
function forget(err: LoginRequiredError, request: ActionRequest): void {
  if (err.resetState && request.oauth) { request.oauth.stateUpdate = { data: RESET_STATE }; }
}

function withState<T extends ActionForm | ActionResponse>(answer: T, request: ActionRequest): T {
  const update = request.oauth?.stateUpdate;
  if (update && !answer.state) { answer.state = update; }
  return answer;
}
