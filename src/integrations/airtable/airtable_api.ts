// Airtable's Web API with a user's login: the bases and tables the login may see (metadata
// API) and record creation. Every call to a base waits its turn at the process-wide rate gate
// (Airtable allows 5 requests per second per base); a 429 holds the base for the wait Airtable
// asks (30 seconds) and the call is repeated. A 401 refreshes the login once (Airtable's access
// tokens last an hour; its refresh tokens rotate, and the session shares one refresh).
import { TokenRejectedError } from "../../hub/oauth/login_errors";
import { OAuthSession } from "../../hub/oauth/oauth_session";
import { RetryableError, UserError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { HttpUnavailableError } from "../../lib/http_errors";
import { Logger } from "../../lib/logger";
import { RateGate } from "../../lib/rate_gate";

export interface AirtableBase { id: string; name: string; }
export interface AirtableField { id: string; name: string; type: string; }
export interface AirtableTable { id: string; name: string; fields: AirtableField[]; }

/** What Airtable said to one create request. */
export type CreateOutcome = { created: number } | { invalid: string };

export interface AirtableApiOptions {
  /** How long a base is left alone after a 429 when Airtable does not say (its documented 30 s). */
  rateLimitWaitMs: number;
}

export class AirtableApi {
  constructor(
    private readonly http: HttpClient, private readonly session: OAuthSession, private readonly apiUrl: string,
    private readonly gate: RateGate, private readonly options: AirtableApiOptions, private readonly logger: Logger,
  ) {}

  /** Every base the login may use, all pages. */
  async bases(): Promise<AirtableBase[]> {
    const bases: AirtableBase[] = [];
    let offset: string | undefined;
    do {
      const page: { bases?: AirtableBase[]; offset?: string } = json(await this.call("GET",
        `v0/meta/bases${offset ? `?offset=${encodeURIComponent(offset)}` : ""}`, "your bases"), "your bases");
      const listed = Array.isArray(page?.bases) ? page.bases : [];
      bases.push(...listed.map((b) => ({ id: String(b.id), name: String(b.name) })));
      offset = typeof page?.offset === "string" && page.offset ? page.offset : undefined;
    } while (offset);
    return bases;
  }

  /** The tables of a base, with their fields. */
  async tables(base: string): Promise<AirtableTable[]> {
    const answer: { tables?: AirtableTable[] } = json(await this.call("GET",
      `v0/meta/bases/${encodeURIComponent(base)}/tables`, "the base's tables", base), "the base's tables");
    return (Array.isArray(answer?.tables) ? answer.tables : [])
      .map((t) => ({ ...t, fields: Array.isArray(t.fields) ? t.fields : [] }));
  }

  /**
   * Creates up to 10 records; with `mergeOn`, upserts them instead (PATCH with performUpsert: a
   * record whose merge fields match an existing one updates it, the others are created). A value
   * Airtable refuses (422) is answered, not thrown.
   */
  async create(base: string, table: string, records: Array<Record<string, unknown>>, mergeOn?: string[])
    : Promise<CreateOutcome> {
    const body = { records: records.map((fields) => ({ fields })), typecast: true,
      ...(mergeOn ? { performUpsert: { fieldsToMergeOn: mergeOn } } : {}) };
    const response = await this.call(mergeOn ? "PATCH" : "POST",
      `v0/${encodeURIComponent(base)}/${encodeURIComponent(table)}`, "the new records", base, body, true);
    if (response.status === 422) {
      const error = errorOf(response);
      if (error.type === "INVALID_VALUE_FOR_COLUMN" || error.type === "INVALID_RECORDS" ||
          error.type === "INVALID_MULTIPLE_CHOICE_OPTIONS" || error.type === "ROW_DOES_NOT_EXIST") {
        return { invalid: error.message || error.type };
      }
      throw airtableFailure(response, "the new records");
    }
    const created: { records?: unknown[] } = json(response, "the new records");
    if (!Array.isArray(created?.records) || created.records.length !== records.length) {
      throw new UserError("Airtable answered the new records without saying it created them all. Check the table " +
        "in Airtable, and try again later.");
    }
    return { created: records.length };
  }

  private async call(method: "GET" | "POST" | "PATCH", path: string, what: string, base?: string, body?: unknown,
                     answer422 = false): Promise<HttpResponse> {
    return this.session.withAccessToken(async (token) => {
      if (base) { await this.gate.take(base); }
      let response: HttpResponse;
      try {
        response = await this.http.request({
          url: `${this.apiUrl}/${path}`, method, body: body === undefined ? undefined : JSON.stringify(body),
          headers: { "authorization": `Bearer ${token}`, "accept": "application/json",
            ...(body === undefined ? {} : { "content-type": "application/json" }) },
          trusted: true, who: "Airtable", logger: this.logger, maxResponseBytes: 4 * 1024 * 1024,
          acceptStatus: (s) => s < 500 && s !== 429 && s !== 408,
          vendorRetryAfter: (r) => this.rateLimitWait(r, base),
        });
      } catch (err) {
        if (err instanceof HttpUnavailableError && err.failure.status === 429) {
          throw new RetryableError("Airtable kept refusing requests for its rate limit (5 per second per base, " +
            "shared with everything else writing to this base). Send the rest later.");
        }
        throw err;
      }
      if (response.status === 401) { throw new TokenRejectedError("Airtable refused the access token."); }
      if (response.status === 422 && answer422) { return response; }
      if (response.status >= 300) { throw airtableFailure(response, what); }
      return response;
    });
  }

  /** Airtable asks for 30 s after a 429; the whole base waits, not only this call. */
  private rateLimitWait(response: HttpResponse, base?: string): number | undefined {
    if (response.status !== 429) { return undefined; }
    const seconds = Number(response.headers["retry-after"]);
    const ms = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : this.options.rateLimitWaitMs;
    if (base) { this.gate.hold(base, ms); }
    this.logger.info("airtable rate limit, waiting", { waitMs: ms });
    return ms;
  }
}

function json(response: HttpResponse, what: string): any {
  try {
    return response.json();
  } catch {
    throw new UserError(`Airtable answered ${what} with something other than JSON. Try again later; if it keeps ` +
      "failing, ask the hub's admin to check AIRTABLE_API_URL.");
  }
}

function errorOf(response: HttpResponse): { type: string; message: string } {
  try {
    const body = response.json();
    const error = body?.error ?? body?.errors?.[0];
    if (typeof error === "string") { return { type: error, message: "" }; }
    return { type: String(error?.type ?? error?.error ?? ""), message: String(error?.message ?? "").slice(0, 200) };
  } catch {
    return { type: "", message: "" };
  }
}

/** Airtable's refusal in words for the Looker user. */
function airtableFailure(response: HttpResponse, what: string): UserError {
  const { type, message } = errorOf(response);
  const said = `${message || `HTTP ${response.status}`}${type ? ` (${type})` : ""}`;
  if (response.status === 403 || response.status === 404) {
    return new UserError(`Airtable did not let your login reach ${what}: ${said}. Choose the base and table again ` +
      "in the form; if they are not listed, log in again and give the hub access to that base.");
  }
  return new UserError(`Airtable refused ${what}: ${said}. Check the base and table in the form, and try again.`);
}
