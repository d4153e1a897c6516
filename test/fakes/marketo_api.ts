// A Marketo instance on 127.0.0.1: the identity service (client credentials, tokens that
// expire when a test says so, answered 602 as Marketo does), leads createOrUpdate (300 at most,
// lead by lead results), campaign triggers (100 leads at most) and static list membership, and
// Marketo's rate-limit answer (606, as HTTP 200) when scripted.
import { JsonVendor, VendorReply, VendorRequest } from "./json_vendor";

export const MARKETO_CLIENT = { id: "mkto-client-id", secret: "mkto-client-secret" };

const fail = (code: string, message: string): VendorReply =>
  ({ status: 200, body: { requestId: "r#1", success: false, errors: [{ code, message }] } });

export class FakeMarketo extends JsonVendor {
  readonly tokens: string[] = [];
  private readonly expired = new Set<string>();
  /** The first token expires after this many REST calls made with it. */
  expireFirstTokenAfterCalls = Infinity;
  /** expires_in of the tokens issued. */
  tokenLifetimeSeconds = 3600;
  /** The next REST calls answered 606 (rate limit). */
  rateLimited = 0;
  campaigns = new Set(["1001", "1002"]);
  /** Lead ids a list step skips (1004). */
  listSkips = new Set<number>();
  /** Leads by lookup value, and what was applied. */
  readonly leads = new Map<string, { id: number; fields: Record<string, unknown> }>();
  readonly applied: Array<Record<string, unknown>> = [];
  readonly triggered: Array<{ campaign: string; lead: number }> = [];
  readonly lists = new Map<string, Set<number>>();
  private callsWithToken = new Map<string, number>();

  constructor() { super((req) => this.route(req)); }

  expireTokens(): void { for (const t of this.tokens) { this.expired.add(t); } }

  private route(req: VendorRequest): VendorReply {
    if (req.path === "/identity/oauth/token") { return this.token(req); }
    const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
    if (!auth || !this.tokens.includes(auth)) { return fail("601", "Access token invalid"); }
    const calls = (this.callsWithToken.get(auth) ?? 0) + 1;
    this.callsWithToken.set(auth, calls);
    if (auth === this.tokens[0] && calls > this.expireFirstTokenAfterCalls) { this.expired.add(auth); }
    if (this.expired.has(auth)) { return fail("602", "Access token expired"); }
    if (this.rateLimited > 0) {
      this.rateLimited--;
      return fail("606", "Max rate limit '100' exceeded with in '20' secs");
    }
    if (req.path === "/rest/v1/leads.json" && req.method === "POST") { return this.createOrUpdate(req); }
    const campaign = /^\/rest\/v1\/campaigns\/(\d+)\/trigger\.json$/.exec(req.path);
    if (campaign && req.method === "POST") { return this.trigger(campaign[1], req); }
    const list = /^\/rest\/v1\/lists\/(\d+)\/leads\.json$/.exec(req.path);
    if (list && (req.method === "POST" || req.method === "DELETE")) { return this.membership(list[1], req); }
    return { status: 404, body: { message: "not found" } };
  }

  private token(req: VendorRequest): VendorReply {
    const form = req.body ?? {};
    if (req.method !== "POST" || form.grant_type !== "client_credentials" || form.client_id !== MARKETO_CLIENT.id ||
        form.client_secret !== MARKETO_CLIENT.secret) {
      return { status: 401, body: { error: "invalid_client", error_description: "Bad client credentials" } };
    }
    const token = `tok-${this.tokens.length + 1}`;
    this.tokens.push(token);
    return { status: 200, body: { access_token: token, token_type: "bearer", expires_in: this.tokenLifetimeSeconds,
      scope: "api@example.com" } };
  }

  private createOrUpdate(req: VendorRequest): VendorReply {
    const { action, lookupField, input } = req.body ?? {};
    if (action !== "createOrUpdate" || typeof lookupField !== "string" || !Array.isArray(input)) {
      return fail("609", "Invalid JSON");
    }
    if (input.length > 300) { return fail("1003", "Too many leads in request"); }
    const result = input.map((lead: Record<string, unknown>) => {
      const key = lead[lookupField];
      if (key === undefined) {
        return { status: "skipped", reasons: [{ code: "1003", message: "Lookup field missing" }] };
      }
      if (lead.email !== undefined && !/^[^@\s]+@[^@\s]+\.\w+$/.test(String(lead.email))) {
        return { status: "skipped", reasons: [{ code: "1003", message: "Invalid email address." }] };
      }
      const known = this.leads.get(String(key));
      const id = known?.id ?? this.leads.size + 1;
      this.leads.set(String(key), { id, fields: { ...known?.fields, ...lead } });
      this.applied.push(lead);
      return { id, status: known ? "updated" : "created" };
    });
    return { status: 200, body: { requestId: "r#2", success: true, result } };
  }

  private trigger(campaign: string, req: VendorRequest): VendorReply {
    const leads: Array<{ id: number }> = req.body?.input?.leads ?? [];
    if (!this.campaigns.has(campaign)) { return fail("1013", "Campaign not found"); }
    if (leads.length > 100) { return fail("1003", "Too many leads"); }
    for (const lead of leads) { this.triggered.push({ campaign, lead: lead.id }); }
    return { status: 200, body: { requestId: "r#3", success: true, result: [{ id: Number(campaign) }] } };
  }

  private membership(list: string, req: VendorRequest): VendorReply {
    const input: Array<{ id: number }> = req.body?.input ?? [];
    if (input.length > 300) { return fail("1003", "Too many leads"); }
    const members = this.lists.get(list) ?? new Set<number>();
    this.lists.set(list, members);
    const result = input.map(({ id }) => {
      if (this.listSkips.has(id)) {
        return { id, status: "skipped", reasons: [{ code: "1004", message: "Lead not found" }] };
      }
      if (req.method === "POST") { members.add(id); return { id, status: "added" }; }
      if (!members.delete(id)) {
        return { id, status: "skipped", reasons: [{ code: "1015", message: "Lead not in list" }] };
      }
      return { id, status: "removed" };
    });
    return { status: 200, body: { requestId: "r#4", success: true, result } };
  }
}
