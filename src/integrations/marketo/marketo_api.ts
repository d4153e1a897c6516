// Marketo's REST API for one delivery: a client-credentials token from the instance's
// identity service (renewed before it expires and again when Marketo answers 601/602 mid-
// delivery; one renewal shared by the batches in flight), and calls that wait out Marketo's
// rate limits (606: calls per 20 s, 615: concurrent calls), which it answers as HTTP 200.
// The instance URL is typed by the admin, so every call goes through the URL guard.
import { RetryableError, UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { HttpStatusError } from "../../lib/http_errors";
import { Logger } from "../../lib/logger";
import { sleep } from "../../lib/retry";

export interface MarketoError { code: string; message: string; }

export interface MarketoAnswer<T> {
  success?: boolean;
  result?: T[];
  errors?: MarketoError[];
}

export interface MarketoApiOptions {
  /** How long a 606/615 rate-limit answer is waited out before the call is sent again. */
  rateLimitWaitMs: number;
  /** Rate-limit answers waited out per call before the delivery stops. */
  rateLimitRetries: number;
}

/** Renew a token this long before Marketo says it expires. */
const EXPIRY_MARGIN_MS = 10_000;
const TOKEN_CODES = new Set(["601", "602"]);
const RATE_CODES = new Set(["606", "615"]);

interface Token { value: string; expiresAt: number; }

export class MarketoApi {
  private token?: Promise<Token>;
  private replaced?: Token;

  constructor(
    private readonly http: HttpClient, private readonly base: string, private readonly clientId: string,
    private readonly clientSecret: string, private readonly options: MarketoApiOptions, private readonly logger: Logger,
  ) {}

  /** Calls `path` under /rest/v1 (`body`: an object, or its JSON made already); answers Marketo's JSON on success. */
  async call<T>(method: "POST" | "DELETE", path: string, body: unknown): Promise<MarketoAnswer<T>> {
    let renewed = false;
    for (let waits = 0; ; ) {
      const token = await this.currentToken();
      const response = await this.http.request({
        url: `${this.base}/rest/v1/${path}`, method,
        body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
        headers: { "authorization": `Bearer ${token.value}`, "content-type": "application/json" },
        who: "Marketo", logger: this.logger, maxResponseBytes: 256 * 1024,
      });
      let answer: MarketoAnswer<T>;
      try { answer = response.json(); } catch {
        throw new UserError(`Marketo answered ${path} with something other than JSON. Check the Marketo URL.`);
      }
      if (answer.success !== false) { return answer; }
      const codes = (answer.errors ?? []).map((e) => String(e.code));
      if (codes.some((c) => TOKEN_CODES.has(c)) && !renewed) {
        renewed = true;
        await this.replace(token);
        continue;
      }
      if (codes.some((c) => RATE_CODES.has(c)) && waits < this.options.rateLimitRetries) {
        waits++;
        this.logger.info("marketo rate limit, waiting", { code: codes[0], waitMs: this.options.rateLimitWaitMs });
        await sleep(this.options.rateLimitWaitMs);
        continue;
      }
      throw marketoFailure(answer.errors ?? [], path);
    }
  }

  /** Signs in (the identity service mints a token), as a dry run's check of the Client ID and Secret. */
  async signIn(): Promise<void> {
    await this.currentToken();
  }

  private currentToken(): Promise<Token> {
    if (!this.token) { this.token = this.tokenFromMarketo(); }
    return this.token.then((t) => (t.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? t : this.replace(t)));
  }

  /** A new token in place of `used`: one identity call however many batches found `used` stale. */
  private replace(used: Token): Promise<Token> {
    if (this.replaced !== used || !this.token) {
      this.replaced = used;
      this.token = this.tokenFromMarketo();
    }
    return this.token;
  }

  private tokenFromMarketo(): Promise<Token> {
    const fetched = this.fetchToken();
    fetched.catch(() => { if (this.token === fetched) { this.token = undefined; } });
    return fetched;
  }

  private async fetchToken(): Promise<Token> {
    const form = new URLSearchParams({
      grant_type: "client_credentials", client_id: this.clientId, client_secret: this.clientSecret,
    }).toString();
    try {
      const response = await this.http.request({
        url: `${this.base}/identity/oauth/token`, method: "POST", body: form,
        headers: { "content-type": "application/x-www-form-urlencoded", "accept": "application/json" },
        // Minting a token writes nothing at Marketo: allowed in a dry run (src/lib/dry_run.ts).
        who: "Marketo", logger: this.logger, readOnly: true,
      });
      let json: { access_token?: string; expires_in?: number } = {};
      try { json = response.json(); } catch { json = {}; }
      if (!json.access_token) { throw new UserError("Marketo's identity service answered without an access token. Check the " +
          "Marketo URL under Admin > Actions > Marketo: your instance's REST base URL."); }
      const seconds = Number(json.expires_in);
      return { value: json.access_token, expiresAt: Date.now() + (Number.isFinite(seconds) ? seconds : 3600) * 1000 };
    } catch (err) {
      if (err instanceof HttpStatusError && (err.failure.status === 401 || err.failure.status === 400)) {
        throw new UserError(`Marketo refused the Client ID and Client Secret (HTTP ${err.failure.status}` +
          `${err.failure.excerpt ? `: ${err.failure.excerpt}` : ""}). Check them under Admin > Actions > Marketo ` +
          "(Marketo: Admin > LaunchPoint > the API service > View Details).");
      }
      throw err;
    }
  }
}

/** Marketo's errors in words for the Looker user. */
function marketoFailure(errors: MarketoError[], path: string): UserError {
  const first = errors[0];
  const said = first ? `${first.message} (${first.code})` : "no reason given";
  if (first && RATE_CODES.has(String(first.code))) {
    return new RetryableError(`Marketo kept refusing calls for its rate limit: ${said}. Try again later.`);
  }
  if (first && TOKEN_CODES.has(String(first.code))) {
    return new UserError(`Marketo refused a fresh access token: ${said}. Check that the API user's role has ` +
      "the permissions the action needs (Read-Write Lead, Execute Campaign).");
  }
  if (first && String(first.code) === "603") {
    return new UserError(`Marketo denied access: ${said}. Give the API user's role the permissions the action ` +
      "needs (Read-Write Lead, Execute Campaign), in Marketo under Admin > Users & Roles.");
  }
  return new UserError(`Marketo refused ${path.replace(/\.json$/, "")}: ${said}.`);
}
