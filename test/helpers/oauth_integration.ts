// A test integration that declares OAuth against the fake OAuth server: its form says who is
// logged in, its execute sends the delivery's bytes with the user's token.
import { ActionForm } from "../../src/hub/action_form";
import { ActionRequest, ActionType } from "../../src/hub/action_request";
import { ActionResponse } from "../../src/hub/action_response";
import { iconBeside, Integration, Param } from "../../src/hub/integration";
import { TokenRejectedError } from "../../src/hub/oauth/login_errors";
import { OAuthDeclaration } from "../../src/hub/oauth/oauth_declaration";
import { OAuthSession } from "../../src/hub/oauth/oauth_session";
import { HttpClient } from "../../src/lib/http_client";
import { FakeOAuthServer } from "../fakes/oauth_server";

export interface OAuthTestOptions {
  name?: string;
  tokenUrlFlow?: boolean;
  pkce?: boolean;
  clientAuthentication?: "body" | "basic";
  configured?: boolean;
}

export class OAuthTestIntegration extends Integration {
  readonly name: string;
  readonly label = "OAuth Test";
  readonly description = "Sends data with a user's own login.";
  readonly icon = iconBeside(`${__dirname}/../../src/integrations/debug`, "debug.svg");
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly oauth: OAuthDeclaration;

  constructor(
    private readonly vendor: FakeOAuthServer, private readonly http: HttpClient, options: OAuthTestOptions = {},
  ) {
    super();
    this.name = options.name ?? "oauth_test";
    this.oauth = {
      vendor: "Fake Vendor",
      client: options.configured === false ? undefined
        : { clientId: vendor.clientId, clientSecret: vendor.clientSecret },
      setupVariables: ["FAKE_CLIENT_ID", "FAKE_CLIENT_SECRET"],
      endpoints: { authorizeUrl: vendor.authorizeUrl, tokenUrl: vendor.tokenUrl },
      scopes: ["read", "write"],
      authorizeParams: { access_type: "offline" },
      tokenUrlFlow: options.tokenUrlFlow ?? true,
      loginField: "oauth_link",
      clientAuthentication: options.clientAuthentication,
      pkce: options.pkce,
      keepTokenFields: ["account_id"],
      http,
      check: async (session) => { await this.me(session); },
    };
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    const me = await this.me(request.oauth!);
    return new ActionForm([{ name: "note", label: `Logged in as ${me.email}`, type: "string", required: true }]);
  }

  async validationForm(): Promise<ActionForm> {
    return new ActionForm([{ name: "note", label: "Note", type: "string", required: true }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const body = request.delivery ? await readAll(await request.delivery.stream()) : Buffer.alloc(0);
    const me = await this.me(request.oauth!, body);
    return ActionResponse.ok(`Sent ${me.received} bytes as ${me.email}.`);
  }

  private me(session: OAuthSession, body?: Buffer): Promise<{ email: string; received: number }> {
    return session.withAccessToken(async (token) => {
      const response = await this.http.request({
        url: `${this.vendor.url}/v1/me`, method: body ? "POST" : "GET", body, trusted: true, who: "Fake Vendor",
        headers: { authorization: `Bearer ${token}` }, acceptStatus: (s) => s === 200 || s === 401,
      });
      if (response.status === 401) { throw new TokenRejectedError("Fake Vendor refused the access token."); }
      return response.json();
    });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) { chunks.push(Buffer.from(chunk as Buffer)); }
  return Buffer.concat(chunks);
}
