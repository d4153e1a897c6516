// Shared set-up of the Google tests: the fake Google token endpoint and APIs (started once per
// run, stopped in a root hook), the hub configured against them, and logged-in user states.
import request from "supertest";
import { Config } from "../../../src/config";
import { Integration } from "../../../src/hub/integration";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { FakeGoogle } from "../../fakes/google_api";
import { FakeOAuthServer } from "../../fakes/oauth_server";
import { authHeader, buildTestApp, TEST_SECRET, TestApp, testConfig } from "../../helpers/app";
import { LOOKER_HEADERS } from "../../helpers/execute";
import { FAST_HTTP_ENV } from "../../helpers/http";

export interface GoogleFakes {
  oauth: FakeOAuthServer;
  google: FakeGoogle;
  env: Record<string, string>;
}

let fakes: Promise<GoogleFakes> | undefined;

/** The fakes, started on first use and shared by every Google test file. */
export function googleFakes(): Promise<GoogleFakes> {
  if (!fakes) {
    fakes = (async () => {
      const oauth = await new FakeOAuthServer().start();
      const google = await new FakeGoogle(oauth).start();
      const env = {
        ...FAST_HTTP_ENV,
        GOOGLE_OAUTH_AUTHORIZE_URL: oauth.authorizeUrl, GOOGLE_OAUTH_TOKEN_URL: oauth.tokenUrl,
        GOOGLE_API_URL: google.url, GOOGLE_SHEETS_API_URL: google.url,
        GOOGLE_DRIVE_CLIENT_ID: oauth.clientId, GOOGLE_DRIVE_CLIENT_SECRET: oauth.clientSecret,
      };
      return { oauth, google, env };
    })();
  }
  return fakes;
}

after(async () => {
  if (!fakes) { return; }
  const { oauth, google } = await fakes;
  fakes = undefined;
  await google.stop();
  await oauth.stop();
});

export interface GoogleHub {
  hub: TestApp;
  config: Config;
  post(path: string, body: Record<string, unknown>): request.Test;
}

export function googleHub(make: (config: Config) => Integration[], env: Record<string, string>): GoogleHub {
  const config = testConfig(env);
  const hub = buildTestApp(make(config), env);
  return {
    hub, config,
    post: (path, body) => request(hub.app).post(path).set("Authorization", authHeader()).set(LOOKER_HEADERS).send(body),
  };
}

/** A user who logged in: the sealed state Looker would send, and the tokens in it. */
export function loggedIn(oauth: FakeOAuthServer, integration: string, expiresInMs = 3_600_000) {
  const tokens = oauth.issue();
  const state = storedStateFor(new Sealer(TEST_SECRET), integration,
    { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + expiresInMs });
  return { ...tokens, state };
}
