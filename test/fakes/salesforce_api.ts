// A Salesforce org on 127.0.0.1 at its own "My Domain": the OAuth endpoints under
// /services/oauth2 (the fake OAuth server's consent page and grants, with instance_url in the
// token answer) and the REST API under /services/data/<version>: SOQL queries with paging,
// describe of CampaignMember, Campaign create and read, and Composite sObject create answered
// record by record (unknown ids, existing members, restricted picklist statuses). Access tokens
// expire when a test says so (401 INVALID_SESSION_ID, as Salesforce answers), and the org's API
// limit runs out on demand (403 REQUEST_LIMIT_EXCEEDED with Sforce-Limit-Info).
import * as http from "http";
import { ApiAnswer, ApiRequest, FakeOAuthServer } from "./oauth_server";


const STATUSES = [{ active: true, value: "Sent", label: "Sent", defaultValue: true },
  { active: true, value: "Responded", label: "Responded", defaultValue: false },
  { active: false, value: "Retired", label: "Retired", defaultValue: false }];

export class FakeSalesforce extends FakeOAuthServer {
  readonly campaigns = new Map<string, string>([["701000000000001AAA", "Autumn Webinar"],
    ["701000000000002AAA", "Spring Launch"], ["701000000000003AAA", "Summer Sale"]]);
  /** Campaign descriptions by id (a long text area: readable, not filterable in SOQL). */
  readonly descriptions = new Map<string, string>();
  /** Members by campaign id: person id -> status. */
  readonly members = new Map<string, Map<string, string>>();
  /** Contact or lead ids the org does not have. */
  unknownIds = new Set<string>();
  /** After this many Composite calls the access tokens expire (refresh tokens still work). */
  expireTokensAfterComposite = Infinity;
  /** After this many Composite calls the org's daily API limit is used up. */
  limitAfterComposite = Infinity;
  /** The next REST calls answered 503 with Retry-After. */
  unavailable = 0;
  /** Records per query page (Salesforce's is 2,000; small to test paging). */
  pageSize = 2;
  private composites = 0;
  private records = 0;

  get domain(): string { return this.url; }
  /** Composite requests' record lists. */
  get chunks(): any[][] {
    return this.api.filter((r) => r.path === "composite/sobjects").map((r) => r.body?.records ?? []);
  }

  async start(): Promise<this> {
    await super.start();
    this.extraTokenFields = { instance_url: this.url, id: `${this.url}/id/00D000000000001/005000000000001`,
      issued_at: String(Date.now()), signature: "sig" };
    return this;
  }

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname.startsWith("/services/oauth2/")) {
      req.url = (req.url ?? "").replace(/^\/services/, "");
      return super.answer(req, res);
    }
    const data = /^\/services\/data\/v\d+\.\d\/(.*)$/.exec(url.pathname);
    if (!data) { return super.answer(req, res); }
    this.serveJson(req, res, data[1], (request) => this.route(request));
  }

  private route(req: ApiRequest): ApiAnswer {
    if (this.unavailable > 0) {
      this.unavailable--;
      return [503, [{ errorCode: "SERVER_UNAVAILABLE", message: "Server temporarily unavailable" }],
        { "retry-after": "0" }];
    }
    if (!this.isValid(req.bearer)) {
      return [401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]];
    }
    if (req.method === "GET" && req.path === "query") { return this.query(req.query.get("q") ?? "", 0); }
    const page = /^query\/page-(\d+)$/.exec(req.path);
    if (req.method === "GET" && page) {
      return this.query("SELECT Id, Name FROM Campaign ORDER BY Name", Number(page[1]));
    }
    if (req.method === "GET" && req.path === "sobjects/CampaignMember/describe") {
      return [200, { name: "CampaignMember", fields: [{ name: "Id" }, { name: "CampaignId" },
        { name: "Status", type: "picklist", picklistValues: STATUSES }] }];
    }
    const campaign = /^sobjects\/Campaign\/([A-Za-z0-9]+)$/.exec(req.path);
    if (req.method === "GET" && campaign) {
      const name = this.campaigns.get(campaign[1]);
      return name === undefined ? [404, [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]]
        : [200, { attributes: { type: "Campaign" }, Id: campaign[1], Name: name }];
    }
    if (req.method === "POST" && req.path === "sobjects/Campaign") {
      if (typeof req.body?.Name !== "string" || !req.body.Name) {
        return [400, [{ errorCode: "REQUIRED_FIELD_MISSING", message: "Required fields are missing: [Name]" }]];
      }
      const id = `701${String(++this.records).padStart(12, "0")}BBB`;
      this.campaigns.set(id, req.body.Name);
      if (typeof req.body.Description === "string") { this.descriptions.set(id, req.body.Description); }
      return [201, { id, success: true, errors: [] }];
    }
    if (req.method === "POST" && req.path === "composite/sobjects") { return this.composite(req); }
    return [404, [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]];
  }

  private query(soql: string, from: number): ApiAnswer {
    if (/LIMIT 1$/.test(soql)) { return [200, { totalSize: 1, done: true, records: [] }]; }
    const named = /^SELECT Id, Name, Description FROM Campaign WHERE Name = '((?:[^'\\]|\\.)*)' LIMIT (\d+)$/.exec(soql);
    if (named) {
      const name = named[1].replace(/\\(.)/g, "$1");
      const records = [...this.campaigns].filter(([, n]) => n === name).slice(0, Number(named[2]))
        .map(([Id, Name]) => ({ attributes: { type: "Campaign" }, Id, Name, Description: this.descriptions.get(Id) ?? null }));
      return [200, { totalSize: records.length, done: true, records }];
    }
    if (soql !== "SELECT Id, Name FROM Campaign ORDER BY Name") {
      return [400, [{ errorCode: "MALFORMED_QUERY", message: "unexpected query" }]];
    }
    const all = [...this.campaigns].sort((a, b) => a[1].localeCompare(b[1]));
    const records = all.slice(from, from + this.pageSize)
      .map(([Id, Name]) => ({ attributes: { type: "Campaign" }, Id, Name }));
    const done = from + this.pageSize >= all.length;
    return [200, { totalSize: all.length, done, records,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v60.0/query/page-${from + this.pageSize}` }) }];
  }

  private composite(req: ApiRequest): ApiAnswer {
    this.composites++;
    if (this.composites > this.limitAfterComposite) {
      return [403, [{ errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded." }],
        { "sforce-limit-info": "api-usage=15000/15000" }];
    }
    if (this.composites > this.expireTokensAfterComposite) {
      this.expireTokensAfterComposite = Infinity;
      this.expireAccessTokens();
      return [401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]];
    }
    const records: any[] = req.body?.records;
    if (!Array.isArray(records) || req.body.allOrNone !== false) {
      return [400, [{ errorCode: "JSON_PARSER_ERROR", message: "records and allOrNone expected" }]];
    }
    if (records.length > 200) {
      return [400, [{ errorCode: "EXCEEDED_ID_LIMIT", message: "Record limit exceeded: 200" }]];
    }
    return [200, records.map((record) => this.member(record))];
  }

  private member(record: any): object {
    const fail = (statusCode: string, message: string, fields: string[] = []) =>
      ({ success: false, errors: [{ statusCode, message, fields }] });
    if (record?.attributes?.type !== "CampaignMember") { return fail("INVALID_TYPE", "sObject type expected"); }
    if (!this.campaigns.has(record.CampaignId)) {
      return fail("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ["CampaignId"]);
    }
    const person = record.ContactId ?? record.LeadId;
    if (!person || (record.ContactId && record.LeadId)) {
      return fail("REQUIRED_FIELD_MISSING", "Required fields are missing: [ContactId or LeadId]");
    }
    if (this.unknownIds.has(person)) {
      return fail("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id",
        [record.ContactId ? "ContactId" : "LeadId"]);
    }
    const status = record.Status ?? "Sent";
    if (!STATUSES.some((s) => s.active && s.value === status)) {
      return fail("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        `Status: bad value for restricted picklist field: ${status}`, ["Status"]);
    }
    const members = this.members.get(record.CampaignId) ?? new Map<string, string>();
    this.members.set(record.CampaignId, members);
    if (members.has(person)) { return fail("DUPLICATE_VALUE", "Already a campaign member.", []); }
    members.set(person, status);
    return { id: `00v${String(++this.records).padStart(15, "0")}`, success: true, errors: [] };
  }
}
