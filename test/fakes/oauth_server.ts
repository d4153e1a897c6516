// A vendor's OAuth 2.0 server on 127.0.0.1 (RFC 6749 and 7636): a consent page a browser can
// click through, the token endpoint (authorization_code and refresh_token grants, client
// credentials in the body or HTTP Basic, PKCE S256), and a resource call that checks bearer tokens.
// It records what it was sent so tests can assert on it.
import * as crypto from "crypto";
import * as http from "http";
import { LoopbackServer } from "./loopback_server";

interface Grant {
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge?: string;
  used: boolean;
}

export interface TokenRequest {
  fields: Record<string, string>;
  authorization?: string;
}

/** A JSON API call to a vendor fake built on this server (Salesforce's REST API, Airtable's). */
export interface ApiRequest { method: string; path: string; query: URLSearchParams; bearer: string; body: any; }
export type ApiAnswer = [status: number, body: unknown, headers?: Record<string, string>];

export class FakeOAuthServer extends LoopbackServer {
  clientId = "client-id-123";
  clientSecret = "client-secret-456";
  /** Seconds the access tokens it issues are valid (small values make the hub refresh at once). */
  accessTokenTtl = 3600;
  /** Sends no refresh token when false (vendors that issue long-lived tokens only). */
  issueRefreshTokens = true;
  email = "ana@example.com";
  /** Fields added to every token answer (Salesforce's instance_url). */
  extraTokenFields: Record<string, unknown> = {};
  /** A refresh grant answers a new refresh token and revokes the one used (Airtable rotates them). */
  rotateRefreshTokens = false;
  readonly authorizeRequests: Array<Record<string, string>> = [];
  readonly tokenRequests: TokenRequest[] = [];
  /** Bearer tokens seen by the resource call, in order. */
  readonly bearers: string[] = [];
  /** Calls answered by `serveJson`, in order. */
  readonly api: ApiRequest[] = [];
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Set<string>();
  private readonly refreshTokens = new Set<string>();
  private counter = 0;


  get authorizeUrl(): string { return `${this.url}/oauth2/authorize`; }
  get tokenUrl(): string { return `${this.url}/oauth2/token`; }

  /** Revokes every token issued so far, as a user removing the app's access does. */
  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** True for an access token it issued and did not revoke (for fake APIs that take its tokens). */
  isValid(accessToken: string): boolean { return this.accessTokens.has(accessToken); }

  /** Makes the current access tokens invalid (expired early) while refresh tokens still work. */
  expireAccessTokens(): void { this.accessTokens.clear(); }

  /** Issues tokens without a login, for tests that start from a stored state. */
  issue(): { accessToken: string; refreshToken: string } {
    const n = ++this.counter;
    const accessToken = `at-${n}-${crypto.randomBytes(6).toString("hex")}`;
    const refreshToken = `rt-${n}-${crypto.randomBytes(6).toString("hex")}`;
    this.accessTokens.add(accessToken);
    this.refreshTokens.add(refreshToken);
    return { accessToken, refreshToken };
  }

  /**
   * What clicking "Allow" (or "Deny") on the consent page does: the URL the browser is sent back
   * to. For tests without a browser; the browser test clicks the real page.
   */
  consent(authorizeUrl: string, decision: "allow" | "deny" = "allow"): string {
    const params = Object.fromEntries(new URL(authorizeUrl).searchParams);
    const problem = this.checkAuthorize(params);
    if (problem) { throw new Error(`authorize request refused: ${problem}`); }
    this.authorizeRequests.push(params);
    return this.decide(params, decision);
  }

  /** Reads a JSON call (a body that is not JSON reads as "bad"), records it and sends `route`'s answer. */
  protected serveJson(req: http.IncomingMessage, res: http.ServerResponse, path: string,
                      route: (request: ApiRequest) => ApiAnswer): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: any;
      try { body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined; } catch { body = "bad"; }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      const request = { method: req.method ?? "", path, query: new URL(req.url ?? "/", this.url).searchParams, bearer,
        body };
      this.api.push(request);
      const [status, answer, headers] = route(request);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(answer === undefined ? "" : JSON.stringify(answer));
    });
  }

  private checkAuthorize(params: Record<string, string>): string | undefined {
    if (params.response_type !== "code") { return "response_type must be code"; }
    if (params.client_id !== this.clientId) { return "unknown client_id"; }
    if (!params.redirect_uri) { return "redirect_uri missing"; }
    if (params.code_challenge && params.code_challenge_method !== "S256") { return "only S256 challenges"; }
    return undefined;
  }

  private decide(params: Record<string, string>, decision: string): string {
    const back = new URL(params.redirect_uri);
    if (decision !== "allow") {
      back.searchParams.set("error", "access_denied");
    } else {
      const code = `code-${++this.counter}-${crypto.randomBytes(6).toString("hex")}`;
      this.grants.set(code, { clientId: params.client_id, redirectUri: params.redirect_uri, scope: params.scope ?? "",
        challenge: params.code_challenge, used: false });
      back.searchParams.set("code", code);
    }
    if (params.state !== undefined) { back.searchParams.set("state", params.state); }
    return back.toString();
  }

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", this.url);
      const params = Object.fromEntries(url.searchParams);
      if (req.method === "GET" && url.pathname === "/oauth2/authorize") {
        const problem = this.checkAuthorize(params);
        if (problem) { return void res.writeHead(400, { "content-type": "text/plain" }).end(problem); }
        this.authorizeRequests.push(params);
        return void res.writeHead(200, { "content-type": "text/html" }).end(consentPage(params));
      }
      if (req.method === "POST" && url.pathname === "/oauth2/consent") {
        const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
        const { decision, ...authorize } = form;
        return void res.writeHead(302, { location: this.decide(authorize, decision) }).end();
      }
      if (req.method === "POST" && url.pathname === "/oauth2/token") {
        const fields = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
        this.tokenRequests.push({ fields, authorization: req.headers.authorization });
        const [status, body] = this.token(fields, req.headers.authorization);
        return void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      }
      if (url.pathname === "/v1/me") {
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
        this.bearers.push(bearer);
        if (!this.accessTokens.has(bearer)) {
          return void res.writeHead(401, { "content-type": "application/json" })
            .end(JSON.stringify({ error: "invalid_token" }));
        }
        return void res.writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ email: this.email, received: Buffer.concat(chunks).length }));
      }
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    });
  }

  private token(fields: Record<string, string>, authorization?: string): [number, Record<string, unknown>] {
    let clientId = fields.client_id;
    let clientSecret = fields.client_secret;
    const basic = /^Basic (.+)$/.exec(authorization ?? "");
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], "base64").toString().split(":").map(decodeURIComponent);
      clientId = id;
      clientSecret = secret;
    }
    if (clientId !== this.clientId || clientSecret !== this.clientSecret) {
      return [401, { error: "invalid_client", error_description: "The OAuth client was not found." }];
    }
    if (fields.grant_type === "authorization_code") {
      const grant = this.grants.get(fields.code);
      if (!grant || grant.used || grant.redirectUri !== fields.redirect_uri) {
        return [400, { error: "invalid_grant", error_description: "Bad code or redirect_uri." }];
      }
      if (grant.challenge) {
        const actual = crypto.createHash("sha256").update(fields.code_verifier ?? "").digest("base64url");
        if (actual !== grant.challenge) {
          return [400, { error: "invalid_grant", error_description: "PKCE mismatch." }];
        }
      }
      grant.used = true;
      const issued = this.issue();
      return [200, this.tokenBody(issued.accessToken, this.issueRefreshTokens ? issued.refreshToken : undefined)];
    }
    if (fields.grant_type === "refresh_token") {
      if (!this.refreshTokens.has(fields.refresh_token)) {
        return [400, { error: "invalid_grant", error_description: "Token has been expired or revoked." }];
      }
      const issued = this.issue();
      if (this.rotateRefreshTokens) {
        this.refreshTokens.delete(fields.refresh_token);
        return [200, this.tokenBody(issued.accessToken, issued.refreshToken)];
      }
      this.refreshTokens.delete(issued.refreshToken);
      return [200, this.tokenBody(issued.accessToken)];
    }
    return [400, { error: "unsupported_grant_type" }];
  }

  private tokenBody(accessToken: string, refreshToken?: string): Record<string, unknown> {
    const body: Record<string, unknown> = {
      access_token: accessToken, token_type: "Bearer", expires_in: this.accessTokenTtl, scope: "read write",
      account_id: "acct-42", ...this.extraTokenFields,
    };
    if (refreshToken) { body.refresh_token = refreshToken; }
    return body;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function consentPage(params: Record<string, string>): string {
  const hidden = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("\n");
  return `<!doctype html><html><head><title>Sign in to Fake Vendor</title></head><body>
<h1>Fake Vendor wants to access your account</h1>
<p>Scopes: ${escapeHtml(params.scope ?? "")}</p>
<form method="post" action="/oauth2/consent">
${hidden}
<button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form></body></html>`;
}
