// The per-user login tests' set-up (test/server/test_oauth_flow.ts, test_oauth_refusals.ts): a
// fake OAuth server and a fake Looker around a describe block, the hub built with the OAuth test
// integrations and a clock the tests set, Looker's requests to it, a login run from the form's
// link, and the check that no token, code, state or state URL reached the hub's logs.
import { expect } from "chai";
import { PassThrough } from "stream";
import request from "supertest";
import { createApp } from "../../src/server/app";
import { Integration } from "../../src/hub/integration";
import { OAuthHub } from "../../src/hub/oauth/oauth_hub";
import { Registry } from "../../src/hub/registry";
import { Sealer } from "../../src/hub/oauth/sealing";
import { createLogger } from "../../src/lib/logger";
import { FakeLooker } from "../fakes/fake_looker";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { authHeader, testConfig } from "./app";
import { LOOKER_HEADERS } from "./execute";
import { testHttpClient } from "./http";
import { OAuthTestIntegration } from "./oauth_integration";

export const BASE = "https://hub.example.test";

/** The fakes and the hub's clock, set by useOAuthFakes's hooks. */
export let vendor: FakeOAuthServer;
export let looker: FakeLooker;
export let clock: number;
/** Everything the hubs built by oauthHub logged, in this process. */
export let logs = "";

/** Called in a describe block: starts the fakes around its tests, resets them and the clock before
 * each. */
export function useOAuthFakes(): void {
  before(async () => {
    vendor = await new FakeOAuthServer().start();
    looker = await new FakeLooker().start();
  });
  after(async () => { await vendor.stop(); await looker.stop(); });
  beforeEach(() => {
    clock = Date.now();
    vendor.accessTokenTtl = 3600;
    looker.stateUrlStatus = 200;
  });
}

/** The hub with the OAuth test integrations (or `integrations`), its time read from `now`. */
export function oauthHub(integrations?: Integration[], secret?: string, now: () => number = () => clock) {
  const http = testHttpClient();
  const list = integrations ?? [
    new OAuthTestIntegration(vendor, http),
    new OAuthTestIntegration(vendor, http, { name: "oauth_v1_only", tokenUrlFlow: false }),
    new OAuthTestIntegration(vendor, http, { name: "oauth_pkce", pkce: true, clientAuthentication: "basic" }),
    new OAuthTestIntegration(vendor, http, { name: "oauth_unset", configured: false }),
  ];
  const config = testConfig(secret ? { INTEGRATION_SERVICE_SECRET: secret } : {});
  const registry = new Registry(list, config.label, config.baseUrl);
  const sink = new PassThrough();
  sink.on("data", (c) => { logs += c.toString(); });
  const logger = createLogger({ level: "debug", format: "json", stream: sink });
  const oauth = new OAuthHub(new Sealer(config.secret, now), config.baseUrl, now);
  return createApp({ config, registry, logger, oauth });
}

export const post = (app: any, path: string, body: unknown, secret?: string) =>
  request(app).post(path).set("Authorization", authHeader(secret)).set(LOOKER_HEADERS).send(body as object);

/** The path and query of an absolute hub URL, for supertest. */
export const local = (url: string) => {
  const u = new URL(url);
  expect(u.origin).to.equal(BASE);
  return u.pathname + u.search;
};

export async function loginLink(app: any, name: string, data: Record<string, unknown>,
  secret?: string): Promise<string> {
  const form = await post(app, `/actions/${name}/form`, { type: "query", data, form_params: {} }, secret);
  expect(form.status).to.equal(200);
  const field = form.body.fields[0];
  expect(field).to.include({ name: "login", type: "oauth_link" });
  return field.oauth_url;
}

/** Runs a login from the form's link to the hub's redirect; answers the hub's last response. */
export async function login(app: any, name: string, data: Record<string, unknown>) {
  const link = await loginLink(app, name, data);
  const start = await request(app).get(local(link));
  expect(start.status).to.equal(302);
  const back = vendor.consent(start.headers.location);
  return request(app).get(local(back));
}

/** No secret of the fakes' requests (more than `moreThan` of them) is in the hub's logs. */
export function expectNoSecretsLogged(moreThan: number): void {
  const secrets = [
    ...vendor.tokenRequests.flatMap((r) => [r.fields.code, r.fields.refresh_token, r.fields.code_verifier]),
    ...vendor.bearers, ...looker.stored.values(), ...vendor.authorizeRequests.map((r) => r.state),
    vendor.clientSecret, "token=one-time",
  ].filter((s): s is string => !!s && s.length > 6);
  expect(secrets.length).to.be.greaterThan(moreThan);
  expect(logs.length).to.be.greaterThan(0);
  for (const secret of secrets) { expect(logs.includes(secret), secret).to.equal(false); }
  for (const secret of secrets) {
    const inner = secret.startsWith("{") ? JSON.parse(secret).sealed : secret;
    expect(logs.includes(inner), inner).to.equal(false);
  }
}
