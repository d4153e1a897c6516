// Salesforce's REST API with a user's login: the base is the instance URL Salesforce named at
// login (else the typed domain), so every call goes through the private-address guard. A 401
// (INVALID_SESSION_ID: the access token expired; Salesforce does not say when) refreshes the
// login once and repeats the call; Salesforce's errors become sentences for the Looker user.
import { SalesforceSettings } from "../../config/crm_logins";
import { LoginRequiredError, TokenRejectedError } from "../../hub/oauth/login_errors";
import { OAuthSession } from "../../hub/oauth/oauth_session";
import { UserError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { Logger } from "../../lib/logger";

export interface SalesforceError { message?: string; errorCode?: string; statusCode?: string; fields?: string[]; }
export interface Campaign { id: string; name: string; }
export interface StatusOption { value: string; label: string; }
export interface RecordResult { id?: string; success?: boolean; errors?: SalesforceError[]; }

interface CallOptions {
  method?: "GET" | "POST";
  body?: unknown;
  /** A body already written as JSON (instead of `body`). */
  json?: string | Buffer;
  /** 1 for a call that must not be applied twice (a campaign create). */
  maxAttempts?: number;
  maxResponseBytes?: number;
}

const MAX_ANSWER = 4 * 1024 * 1024;

export class SalesforceApi {
  constructor(
    private readonly http: HttpClient, private readonly session: OAuthSession,
    private readonly settings: SalesforceSettings, private readonly domain: string, private readonly logger: Logger,
  ) {}

  /** The campaigns to offer in the form, by name; `more` when there are more than SALESFORCE_MAX_RESULTS. */
  async campaigns(): Promise<{ campaigns: Campaign[]; more: boolean }> {
    const campaigns: Campaign[] = [];
    let next: string | undefined = `query?q=${encodeURIComponent("SELECT Id, Name FROM Campaign ORDER BY Name")}`;
    while (next && campaigns.length < this.settings.maxResults) {
      const page: { records?: Array<{ Id: string; Name: string }>; nextRecordsUrl?: string } =
        await this.call(next, "the list of campaigns");
      for (const record of page.records ?? []) { campaigns.push({ id: record.Id, name: record.Name }); }
      next = page.nextRecordsUrl?.replace(/^\/services\/data\/[^/]+\//, "");
    }
    return { campaigns: campaigns.slice(0, this.settings.maxResults), more: !!next || campaigns.length >
      this.settings.maxResults };
  }

  /** The org's active campaign member statuses (the Status picklist of CampaignMember). */
  async memberStatuses(): Promise<StatusOption[]> {
    const describe: { fields?: Array<{ name: string; picklistValues?: Array<{ active: boolean; value: string;
      label?: string }> }> } = await this.call("sobjects/CampaignMember/describe", "campaign member statuses");
    const status = (describe.fields ?? []).find((f) => f.name === "Status");
    return (status?.picklistValues ?? []).filter((p) => p.active)
      .map((p) => ({ value: p.value, label: p.label || p.value }));
  }

  /** The campaign with this id; a UserError when the user cannot see it. */
  async campaign(id: string): Promise<Campaign> {
    const found: { Id?: string; Name?: string } = await this.call(
      `sobjects/Campaign/${encodeURIComponent(id)}?fields=Name`, "the campaign");
    return { id, name: found.Name ?? id };
  }

  /**
   * The campaign of this name whose Description carries `mark` (the delivery that created it), if
   * any: Description is a long text area, which SOQL cannot filter on, so the name is queried and
   * the mark compared here.
   */
  async markedCampaign(name: string, mark: string): Promise<Campaign | undefined> {
    const soql = `SELECT Id, Name, Description FROM Campaign WHERE Name = '${soqlText(name)}' LIMIT 200`;
    const page: { records?: Array<{ Id: string; Name: string; Description?: string | null }> } =
      await this.call(`query?q=${encodeURIComponent(soql)}`, "the campaigns of that name");
    const found = (page.records ?? []).find((r) => String(r.Description ?? "").includes(mark));
    return found ? { id: found.Id, name: found.Name } : undefined;
  }

  /**
   * Creates a campaign, its Description marked with the delivery when given; sent once (Salesforce
   * offers no idempotency key for it, so a re-send looks for the mark first: markedCampaign).
   */
  async createCampaign(name: string, mark?: string): Promise<Campaign> {
    const created: { id?: string } = await this.call("sobjects/Campaign", `the new campaign "${name}"`,
      { method: "POST", body: { Name: name, ...(mark ? { Description: mark } : {}) }, maxAttempts: 1 });
    if (typeof created?.id !== "string") {
      throw new UserError(`Salesforce did not say which campaign it created for "${name}". Check the campaigns in ` +
        "Salesforce before you send again.");
    }
    return { id: created.id, name };
  }

  /**
   * Composite sObject create of `count` records, their body written (`{"allOrNone":false,"records":[...]}`):
   * one result per record, in order.
   */
  async createRecords(records: string | Buffer, count: number): Promise<RecordResult[]> {
    const answer = await this.call("composite/sobjects", "the campaign members", { method: "POST", json: records });
    if (!Array.isArray(answer) || answer.length !== count) {
      throw new UserError("Salesforce answered the campaign members with something other than one result per member. " +
        "Check the Salesforce domain setting, and try again later.");
    }
    return answer;
  }

  /** A cheap call that proves the login works (oauth_check). */
  async check(): Promise<void> {
    await this.call(`query?q=${encodeURIComponent("SELECT Id FROM Campaign LIMIT 1")}`, "a test query");
  }

  /** Calls `path` under the REST API and answers its JSON. */
  private async call(path: string, what: string, options: CallOptions = {}): Promise<any> {
    return this.session.withAccessToken(async (token) => {
      const base = await this.base();
      const body = options.json ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      const response = await this.http.request({
        url: `${base}/services/data/${this.settings.apiVersion}/${path}`, method: options.method ?? "GET", body,
        headers: { "authorization": `Bearer ${token}`, "accept": "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }) },
        trusted: false, who: "Salesforce", logger: this.logger, maxAttempts: options.maxAttempts,
        maxResponseBytes: options.maxResponseBytes ?? MAX_ANSWER,
        acceptStatus: (s) => s < 500 && s !== 429 && s !== 408,
      });
      if (response.status === 401) { throw new TokenRejectedError("Salesforce refused the access token."); }
      if (response.status >= 300) { throw salesforceFailure(response, what); }
      try {
        return response.json();
      } catch {
        throw new UserError(`Salesforce answered ${what} with something other than JSON. Check the Salesforce domain ` +
          "setting (your org's My Domain URL), and try again later.");
      }
    });
  }

  /**
   * The instance URL Salesforce gave at login, when it is one; else the typed domain. A login made
   * at another domain than the setting's now is not used.
   */
  private async base(): Promise<string> {
    const extra = (await this.session.tokens()).extra ?? {};
    if (extra.salesforce_domain && extra.salesforce_domain !== this.domain) {
      throw new LoginRequiredError(`Your Salesforce login was made at ${extra.salesforce_domain}, but the ` +
        `Salesforce domain setting is now ${this.domain}.`, "Salesforce", true);
    }
    const instance = extra.instance_url;
    if (instance) {
      try {
        const url = new URL(instance);
        if (url.protocol === "https:" || url.protocol === "http:") { return `${url.protocol}//${url.host}`; }
      } catch { /* the typed domain, below */ }
    }
    return this.domain;
  }
}

/** Salesforce's answer to a refused call, in words for the Looker user. */
export function salesforceFailure(response: HttpResponse, what: string): UserError {
  let errors: SalesforceError[] = [];
  try {
    const body = response.json();
    errors = Array.isArray(body) ? body : [body];
  } catch { /* no JSON: the status alone */ }
  const first = errors[0] ?? {};
  const code = first.errorCode ?? "";
  const said = `${String(first.message ?? `HTTP ${response.status}`).slice(0, 200)}${code ? ` (${code})` : ""}`;
  if (code === "REQUEST_LIMIT_EXCEEDED") {
    const usage = /api-usage=(\d+\/\d+)/.exec(String(response.headers["sforce-limit-info"] ?? ""))?.[1];
    return new UserError(`Salesforce's API request limit for your org is used up${usage ? ` (${usage} calls in ` +
      "the last 24 hours)" : ""}, so it refused ${what}. Send the rest once the limit allows, or ask your ` +
      "Salesforce admin about the org's limit.");
  }
  if (code.startsWith("INSUFFICIENT_ACCESS") || response.status === 403) {
    return new UserError(`Salesforce did not let your user change ${what}: ${said}. Ask your Salesforce admin ` +
      "for the Marketing User permission and edit access to campaigns.");
  }
  if (response.status === 404 || code === "NOT_FOUND") {
    return new UserError(`Salesforce could not find ${what}: ${said}. Choose the campaign again in the form.`);
  }
  return new UserError(`Salesforce refused ${what}: ${said}. Check the form's choices, and try again.`);
}

/** A value inside SOQL's single quotes: backslashes and quotes escaped. */
function soqlText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
}
