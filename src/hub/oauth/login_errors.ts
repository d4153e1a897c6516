// The errors of per-user login, shared by the session, the flows and the integrations.
import { UserError } from "../../lib/errors";

/**
 * The user has to log in (again): no state, a reset, a revoked or unreadable login. A form
 * answers it with the login field; an execute fails with `message` and clears the state.
 */
export class LoginRequiredError extends UserError {
  constructor(
    /** One sentence saying why, shown above the login link. */
    readonly why: string,
    readonly vendor: string,
    /** True when the stored state is useless and Looker should forget it. */
    readonly resetState: boolean,
  ) {
    super(`${why} Open this schedule's form in Looker and log in to ${vendor} again, then send it again.`);
  }
}

/**
 * Thrown by an integration's vendor call when the vendor refuses the access token (HTTP 401):
 * the session refreshes the token once and repeats the call.
 */
export class TokenRejectedError extends UserError {}
