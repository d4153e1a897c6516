// The login machinery's parts the row destinations lean on: token endpoints a user typed (a
// Salesforce domain) go through the private-address guard; batches in flight refused with one
// access token share one refresh (rotating refresh tokens are accepted once); a delivery that
// fails after a refresh still hands Looker the new login.
import { expect } from "chai";
import { PassThrough } from "stream";
import { ActionRequest } from "../../../src/hub/action_request";
import { ActionResponse } from "../../../src/hub/action_response";
import { TokenRejectedError } from "../../../src/hub/oauth/login_errors";
import { OAuthDeclaration } from "../../../src/hub/oauth/oauth_declaration";
import { OAuthHub } from "../../../src/hub/oauth/oauth_hub";
import { OAuthSession } from "../../../src/hub/oauth/oauth_session";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { exchangeCode } from "../../../src/hub/oauth/token_endpoint";
import { UserError } from "../../../src/lib/errors";
import { createLogger } from "../../../src/lib/logger";
import { FakeOAuthServer } from "../../fakes/oauth_server";
import { TEST_SECRET } from "../../helpers/app";
import { testHttpClient } from "../../helpers/http";

const logger = createLogger({ level: "warn", format: "json", stream: new PassThrough().resume() });

describe("OAuth sessions: user-typed token endpoints, shared refresh, state on failures", () => {
  let vendor: FakeOAuthServer;
  before(async () => { vendor = await new FakeOAuthServer().start(); });
  after(async () => { await vendor.stop(); });

  function declaration(env: Record<string, string> = {}, userTyped = false): OAuthDeclaration {
    return {
      vendor: "Fake Vendor", client: { clientId: vendor.clientId, clientSecret: vendor.clientSecret },
      setupVariables: ["FAKE_ID", "FAKE_SECRET"], scopes: [], tokenUrlFlow: false, loginField: "oauth_link",
      endpoints: (context) => ({ authorizeUrl: vendor.authorizeUrl, tokenUrl: context.domain ?? vendor.tokenUrl,
        userTyped }),
      loginContext: (request) => ({ domain: request.params.domain }),
      http: testHttpClient(env), check: async () => undefined,
    };
  }

  function requestWith(tokens: { accessToken: string; refreshToken: string }): ActionRequest {
    const request = new ActionRequest({ requestId: "r1", lookerVersion: [25, 10, 0], logger });
    request.params = { domain: vendor.tokenUrl };
    request.state = storedStateFor(new Sealer(TEST_SECRET), "fake", { ...tokens, expiresAt: Date.now() + 3_600_000 });
    return request;
  }

  it("a token endpoint from a typed value is URL-guarded; the operator's is trusted", async () => {
    const guarded = declaration({ ALLOW_PRIVATE_URLS: "false" }, true);
    const before = vendor.tokenRequests.length;
    const grant = { code: "c", redirectUri: "https://hub.example.test/r", context: { domain: vendor.tokenUrl } };
    let refused: unknown;
    try { await exchangeCode(guarded, grant, { integration: "fake", logger }); } catch (err) { refused = err; }
    expect(refused).to.be.instanceOf(UserError);
    expect((refused as Error).message).to.match(/loopback|private|local/i);
    expect(vendor.tokenRequests.length).to.equal(before);
    // The same endpoint configured by the operator (not typed) is called.
    const trusted = declaration({ ALLOW_PRIVATE_URLS: "false" }, false);
    try { await exchangeCode(trusted, grant, { integration: "fake", logger }); } catch { /* invalid_grant */ }
    expect(vendor.tokenRequests.length).to.equal(before + 1);
  });

  it("calls in flight refused with one access token share one refresh; the request's context is used", async () => {
    const tokens = vendor.issue();
    const request = requestWith(tokens);
    const session = new OAuthSession("fake", declaration(), new Sealer(TEST_SECRET), request);
    vendor.expireAccessTokens();
    const before = vendor.tokenRequests.length;
    const used: string[] = [];
    const call = () => session.withAccessToken(async (token) => {
      used.push(token);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!vendor.isValid(token)) { throw new TokenRejectedError("refused"); }
      return token;
    });
    const answers = await Promise.all([call(), call(), call(), call()]);
    const refreshes = vendor.tokenRequests.slice(before);
    expect(refreshes.map((r) => r.fields.grant_type)).to.deep.equal(["refresh_token"]);
    expect(refreshes[0].fields.refresh_token).to.equal(tokens.refreshToken);
    expect(new Set(answers).size).to.equal(1);
    expect(used.filter((t) => t === tokens.accessToken)).to.have.length(4);
    expect(session.stateUpdate?.data).to.match(/sealed/);
  });

  it("an execute that fails after a refresh still answers the new state", async () => {
    const request = requestWith(vendor.issue());
    vendor.expireAccessTokens();
    const integration = { name: "fake", oauth: declaration() } as any;
    const hub = new OAuthHub(new Sealer(TEST_SECRET), "https://hub.example.test");
    hub.attach(integration, request);
    const answer = await hub.execute(integration, request, async (): Promise<ActionResponse> => {
      await request.oauth!.withAccessToken(async (token) => {
        if (!vendor.isValid(token)) { throw new TokenRejectedError("refused"); }
      });
      throw new UserError("The table has no field \"Email\".");
    });
    const json = answer.toJSON().looker as Record<string, any>;
    expect(json).to.include({ success: false, message: "The table has no field \"Email\"." });
    expect(json.state.data).to.match(/sealed/);
  });
});
