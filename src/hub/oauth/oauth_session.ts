// One request's view of the user's login: reads the stored state, refreshes an expired access
// token, and remembers the state Looker must store afterwards (`stateUpdate`), which the hub puts
// on the form or execute answer.
import type { ActionRequest } from "../action_request";
import { StateUpdate } from "../action_response";
import { LoginRequiredError, TokenRejectedError } from "./login_errors";
import { OAuthDeclaration, UserTokens } from "./oauth_declaration";
import { RESET_STATE, readStoredState, storedStateFor } from "./stored_state";
import { OfficialCipher } from "./official_cipher";
import { Sealer } from "./sealing";
import { exchangeCode, GrantRefusedError, refreshTokens } from "./token_endpoint";

/** Tokens closer than this to their expiry are refreshed before use. */
const EXPIRY_MARGIN_MS = 60_000;

export class OAuthSession {
  /** The state Looker should store after this request, when it changed. */
  stateUpdate?: StateUpdate;
  private current?: Promise<UserTokens>;
  /** One refresh per rejected access token, however many calls in flight were refused with it. */
  private readonly refreshes = new Map<string, Promise<UserTokens>>();

  constructor(
    readonly integration: string,
    readonly declaration: OAuthDeclaration,
    private readonly sealer: Sealer,
    private readonly request: ActionRequest,
    private readonly now: () => number = Date.now,
    /** Opens the official hub's encrypted state (CIPHER_MASTER), when the admin gave its key. */
    private readonly official?: OfficialCipher,
  ) {}

  get vendor(): string { return this.declaration.vendor; }

  /** The user's tokens, refreshed when expired; a LoginRequiredError when there is no usable login. */
  tokens(): Promise<UserTokens> {
    if (!this.current) { this.current = this.load(); }
    return this.current;
  }

  async accessToken(): Promise<string> {
    return (await this.tokens()).accessToken;
  }

  /**
   * Runs a vendor call with the access token. When the call throws TokenRejectedError (the vendor
   * answered 401 although the token looked valid), the token is refreshed once and the call repeated.
   */
  async withAccessToken<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    const tokens = await this.tokens();
    try {
      return await call(tokens.accessToken);
    } catch (err) {
      if (!(err instanceof TokenRejectedError)) { throw err; }
      if (!tokens.refreshToken) { throw this.loginRequired(`${this.vendor} no longer accepts your login.`); }
      let refreshed = this.refreshes.get(tokens.accessToken);
      if (!refreshed) {
        // Vendors that rotate refresh tokens (Airtable) accept each one once: batches in flight share it.
        refreshed = this.refresh(tokens);
        this.refreshes.set(tokens.accessToken, refreshed);
        this.current = refreshed;
      }
      return call((await refreshed).accessToken);
    }
  }

  private async load(): Promise<UserTokens> {
    const stored = readStoredState(this.sealer, this.integration, this.request.state, this.vendor, this.official);
    switch (stored.kind) {
      case "none":
        throw new LoginRequiredError(stored.why, this.vendor, false);
      case "unusable":
        if (stored.keep) {
          // Said to the admin too: only they can set the key the official hub used.
          this.request.logger.warn("a user's login saved encrypted by the official hub did not open with " +
            "CIPHER_MASTER: the key differs from the official hub's");
          throw new LoginRequiredError(stored.why, this.vendor, false);
        }
        throw this.loginRequired(stored.why);
      case "code": {
        // The official hub stored Dropbox's code and exchanged it on use.
        const tokens = await this.guard(exchangeCode(this.declaration,
          { code: stored.code, redirectUri: stored.redirectUri, context: this.requestContext() }, this.loginContext()));
        return this.store(tokens);
      }
      case "tokens": {
        const tokens = stored.tokens;
        if (tokens.expiresAt !== undefined && tokens.expiresAt - EXPIRY_MARGIN_MS <= this.now()) {
          return this.refresh(tokens);
        }
        // An official hub's unsealed state is sealed on this first answer.
        return stored.legacy ? this.store(tokens) : tokens;
      }
    }
  }

  private async refresh(tokens: UserTokens): Promise<UserTokens> {
    this.request.logger.info("refreshing the user's access token");
    // An official hub's stored tokens carry no login context (a Salesforce domain): this request's.
    const withContext = { ...tokens, extra: { ...this.requestContext(), ...tokens.extra } };
    return this.store(await this.guard(refreshTokens(this.declaration, withContext, this.loginContext())));
  }

  private store(tokens: UserTokens): UserTokens {
    this.stateUpdate = { data: storedStateFor(this.sealer, this.integration, tokens) };
    return tokens;
  }

  private async guard(call: Promise<UserTokens>): Promise<UserTokens> {
    try {
      return await call;
    } catch (err) {
      if (err instanceof GrantRefusedError) { throw this.loginRequired(err.message); }
      throw err;
    }
  }

  private loginRequired(why: string): LoginRequiredError {
    this.stateUpdate = { data: RESET_STATE };
    return new LoginRequiredError(why, this.vendor, true);
  }

  /** The declaration's login context for this request; empty when its params cannot make one. */
  private requestContext(): Record<string, string> {
    try {
      return this.declaration.loginContext ? this.declaration.loginContext(this.request) : {};
    } catch {
      return {};
    }
  }

  private loginContext() {
    return { integration: this.integration, logger: this.request.logger };
  }
}
