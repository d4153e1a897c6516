// Facebook on 127.0.0.1: the login dialog (a page with Allow and Deny), Graph's token endpoint
// (code for a short-lived token, fb_exchange_token for a long-lived one), and the Marketing API
// calls of Custom Audiences: me, me/adaccounts and act_<id>/customaudiences (paged), audience
// create and read, and the users / usersreplace sessions (batch_seq in order, at most 10,000 a
// batch, last_batch_flag ends a session; a replace swaps the audience only then). Every call
// checks the bearer token and appsecret_proof. It answers Graph's errors when told to: an
// expired token (190/463), a missing permission on an ad account (200), the Custom Audience
// terms not accepted (2650/1870034), a rate limit (17).
import * as crypto from "crypto";
import * as http from "http";
import { LoopbackServer } from "./loopback_server";
import { escapeHtml } from "./oauth_server";

export interface GraphAudience {
  id: string;
  account: string;
  name: string;
  description?: string;
  subtype: string;
  /** Rows the audience holds (when `keepRows`), each the schema's values joined by "|". */
  rows: string[];
  /** Rows received in all, kept or not. */
  received: number;
}

export interface GraphUpload {
  audience: string;
  replace: boolean;
  session: { session_id: number; batch_seq: number; last_batch_flag: boolean };
  schema: string[];
  data: string[][] | undefined;
  rows: number;
}

interface Session {
  replace: boolean;
  nextSeq: number;
  rows: string[];
  done: boolean;
}

export class FakeGraph extends LoopbackServer {
  appId = "fb-app-123";
  appSecret = "fb-secret-456";
  /** Keeps every upload's rows (tests); off for the bench's million rows. */
  keepRows = true;
  accounts = [{ account_id: "1001", name: "Acme Ads" }, { account_id: "1002", name: "Acme Brand" }];
  /** Entries per page of the lists (to test paging). */
  pageSize = 100;
  readonly audiences = new Map<string, GraphAudience>();
  readonly uploads: GraphUpload[] = [];
  readonly tokenRequests: Array<Record<string, string>> = [];
  readonly versions = new Set<string>();
  /** Ad accounts whose calls answer a permission error. */
  readonly forbiddenAccounts = new Set<string>();
  /** Ad accounts that have not accepted the Custom Audience terms. */
  readonly termsNotAccepted = new Set<string>();
  /** The next N calls answer a rate limit. */
  rateLimited = 0;
  readonly proofFailures: string[] = [];
  private readonly codes = new Map<string, string>();
  private readonly tokens = new Set<string>();
  private readonly sessions = new Map<string, Session>();
  private counter = 0;

  /** A long-lived user token, as after a login. */
  issue(): string {
    const token = `EAAB-${++this.counter}-${crypto.randomBytes(6).toString("hex")}`;
    this.tokens.add(token);
    return token;
  }

  /** Every token stops working (expired, or the user removed the app). */
  expireTokens(): void { this.tokens.clear(); }

  audience(account: string, name: string, subtype = "CUSTOM"): GraphAudience {
    const audience: GraphAudience = { id: String(23840000000 + ++this.counter), account, name, subtype, rows: [],
      received: 0 };
    this.audiences.set(audience.id, audience);
    return audience;
  }

  /** What clicking Allow on the dialog does, for tests without a browser: where the browser goes next. */
  consent(dialogUrl: string, decision: "allow" | "deny" = "allow"): string {
    return this.decide(Object.fromEntries(new URL(dialogUrl).searchParams), decision);
  }

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", this.url);
      const match = /^\/(v\d+\.\d+)\/(.*)$/.exec(url.pathname);
      const reply = (status: number, answer: unknown) =>
        void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
      if (!match) { return reply(404, graphError("Unknown path", "GraphMethodException", 100)); }
      this.versions.add(match[1]);
      const path = match[2];
      const query = Object.fromEntries(url.searchParams);
      if (req.method === "GET" && path === "dialog/oauth") {
        return void res.writeHead(200, { "content-type": "text/html" }).end(dialogPage(query));
      }
      if (req.method === "POST" && path === "dialog/consent") {
        const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
        const { decision, ...params } = form;
        return void res.writeHead(302, { location: this.decide(params, decision) }).end();
      }
      if (req.method === "GET" && path === "oauth/access_token") {
        this.tokenRequests.push(query);
        return reply(...this.token(query));
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      if (!this.tokens.has(token)) {
        return reply(400, graphError("Error validating access token: Session has expired.", "OAuthException", 190,
          463));
      }
      const proof = crypto.createHmac("sha256", this.appSecret).update(token).digest("hex");
      if (query.appsecret_proof !== proof) {
        this.proofFailures.push(path);
        return reply(400, graphError("Invalid appsecret_proof provided in the API argument", "GraphMethodException",
          100));
      }
      if (this.rateLimited > 0) {
        this.rateLimited--;
        return reply(400, graphError("User request limit reached", "OAuthException", 17));
      }
      let body: any;
      try { body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {}; } catch {
        return reply(400, graphError("Body is not JSON", "GraphMethodException", 100));
      }
      reply(...this.route(req.method ?? "GET", path, query, body));
    });
  }

  private route(method: string, path: string, query: Record<string, string>, body: any): [number, unknown] {
    if (method === "GET" && path === "me") { return [200, { id: "10157", name: "Ana" }]; }
    if (method === "GET" && path === "me/adaccounts") {
      return [200, this.page(this.accounts.map((a) => ({ ...a, id: `act_${a.account_id}` })), query)];
    }
    const account = /^act_(\d+)\/customaudiences$/.exec(path);
    if (account) {
      if (this.forbiddenAccounts.has(account[1])) { return [403, permissionError()]; }
      if (method === "GET") {
        const list = [...this.audiences.values()].filter((a) => a.account === account[1])
          .map((a) => ({ id: a.id, name: a.name, subtype: a.subtype,
            ...(String(query.fields ?? "").split(",").includes("description") ? { description: a.description ?? "" } : {}) }));
        return [200, this.page(list, query)];
      }
      if (this.termsNotAccepted.has(account[1])) { return [400, termsError()]; }
      if (body.customer_file_source !== "USER_PROVIDED_ONLY" || body.subtype !== "CUSTOM" || !body.name) {
        return [400, graphError("Invalid parameter", "OAuthException", 100)];
      }
      const created = this.audience(account[1], body.name);
      created.description = body.description;
      return [200, { id: created.id }];
    }
    const users = /^(\d+)\/(users|usersreplace)$/.exec(path);
    if (users && method === "POST") { return this.upload(users[1], users[2] === "usersreplace", body); }
    const one = /^(\d+)$/.exec(path);
    if (one && method === "GET") {
      const audience = this.audiences.get(one[1]);
      if (!audience) { return [400, missing(one[1])]; }
      if (this.forbiddenAccounts.has(audience.account)) { return [403, permissionError()]; }
      return [200, { id: audience.id, name: audience.name, subtype: audience.subtype }];
    }
    return [400, graphError(`Unsupported ${method} request`, "GraphMethodException", 100)];
  }

  private upload(id: string, replace: boolean, body: any): [number, unknown] {
    const audience = this.audiences.get(id);
    if (!audience) { return [400, missing(id)]; }
    if (this.forbiddenAccounts.has(audience.account)) { return [403, permissionError()]; }
    if (this.termsNotAccepted.has(audience.account)) { return [400, termsError()]; }
    const session = body?.session;
    const payload = body?.payload;
    const data = payload?.data;
    if (!session || !Number.isInteger(session.session_id) || !Number.isInteger(session.batch_seq) ||
        typeof session.last_batch_flag !== "boolean" || !Array.isArray(payload?.schema) || !Array.isArray(data)) {
      return [400, graphError("Invalid parameter: session and payload are required", "OAuthException", 100)];
    }
    if (data.length > 10_000) { return [400, graphError("Too many users in one batch", "OAuthException", 100)]; }
    const key = `${id}:${session.session_id}`;
    const open = this.sessions.get(key) ?? { replace, nextSeq: 1, rows: [], done: false };
    if (open.done || session.batch_seq !== open.nextSeq || open.replace !== replace) {
      return [400, graphError(`Invalid batch_seq ${session.batch_seq}`, "OAuthException", 100, 1870145)];
    }
    open.nextSeq++;
    this.sessions.set(key, open);
    const rows: string[] = this.keepRows ? data.map((r: string[]) => r.join("|")) : [];
    const invalid = data.filter((r: string[]) => !Array.isArray(r) || r.length !== payload.schema.length ||
      r.some((v) => typeof v !== "string")).length;
    this.uploads.push({ audience: id, replace, session, schema: payload.schema, data: this.keepRows ? data : undefined,
      rows: data.length });
    audience.received += data.length;
    if (replace) {
      open.rows.push(...rows);
      if (session.last_batch_flag) { audience.rows = open.rows; }
    } else {
      audience.rows.push(...rows);
    }
    if (session.last_batch_flag) { open.done = true; open.rows = []; }
    return [200, { audience_id: id, session_id: session.session_id, num_received: data.length,
      num_invalid_entries: invalid, invalid_entry_samples: {} }];
  }

  private page(list: unknown[], query: Record<string, string>): unknown {
    const start = Number(query.after ?? 0);
    const size = Math.min(Number(query.limit ?? 25), this.pageSize);
    const data = list.slice(start, start + size);
    const more = start + size < list.length;
    return { data, paging: { cursors: { before: String(start), after: String(start + size) },
      ...(more ? { next: `${this.url}/next?after=${start + size}` } : {}) } };
  }

  private token(query: Record<string, string>): [number, unknown] {
    if (query.client_id !== this.appId || query.client_secret !== this.appSecret) {
      return [400, graphError("Error validating client secret.", "OAuthException", 1)];
    }
    if (query.grant_type === "fb_exchange_token") {
      if (!this.tokens.has(query.fb_exchange_token)) {
        return [400, graphError("Error validating access token", "OAuthException", 190)];
      }
      this.tokens.delete(query.fb_exchange_token);
      return [200, { access_token: this.issue(), token_type: "bearer", expires_in: 5_183_944 }];
    }
    const redirect = this.codes.get(query.code);
    if (!redirect || redirect !== query.redirect_uri) {
      return [400, graphError("This authorization code has been used.", "OAuthException", 100, 36009)];
    }
    this.codes.delete(query.code);
    return [200, { access_token: this.issue(), token_type: "bearer", expires_in: 5_400 }];
  }

  private decide(params: Record<string, string>, decision: string): string {
    const back = new URL(params.redirect_uri);
    if (params.client_id !== this.appId) { throw new Error("unknown client_id"); }
    if (decision !== "allow") {
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("error_reason", "user_denied");
    } else {
      const code = `fbcode-${++this.counter}-${crypto.randomBytes(4).toString("hex")}`;
      this.codes.set(code, params.redirect_uri);
      back.searchParams.set("code", code);
    }
    if (params.state !== undefined) { back.searchParams.set("state", params.state); }
    return back.toString();
  }
}

function graphError(message: string, type: string, code: number, subcode?: number) {
  return { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: "AbCdEf" } };
}

function missing(id: string) {
  return graphError(`Object with ID '${id}' does not exist`, "GraphMethodException", 100, 33);
}

function permissionError() {
  return graphError("(#200) Ad account owner has NOT grant ads_management or ads_read permission", "OAuthException",
    200);
}

function termsError() {
  return { error: { message: "Custom Audience Terms Not Accepted", type: "OAuthException", code: 2650,
    error_subcode: 1870034, error_user_msg: "You'll need to agree to the Custom Audience terms before you can " +
      "create or edit an audience or ad set." } };
}

function dialogPage(params: Record<string, string>): string {
  const hidden = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("\n");
  return `<!doctype html><html><head><title>Log in to Fake Facebook</title></head><body>
<h1>The hub wants to manage your ads</h1><p>Permissions: ${escapeHtml(params.scope ?? "")}</p>
<form method="post" action="consent">${hidden}
<button type="submit" name="decision" value="allow" id="allow">Continue</button>
<button type="submit" name="decision" value="deny" id="deny">Cancel</button>
</form></body></html>`;
}
