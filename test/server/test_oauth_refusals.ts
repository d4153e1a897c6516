// The login machinery's refusals in the browser, through the real app against a fake OAuth server
// and a fake Looker: a tampered, expired, misdirected or foreign state, the user's Deny, an unknown
// integration, Looker refusing the state. Each is a small HTML page that says to start again from
// Looker's form; nothing secret is logged on the way.
import { expect } from "chai";
import request from "supertest";
import { Integration } from "../../src/hub/integration";
import {
  expectNoSecretsLogged, local, login, loginLink, looker, oauthHub, useOAuthFakes, vendor,
} from "../helpers/oauth_login";

describe("per-user login (OAuth machinery)", () => {
  useOAuthFakes();
  let clock: number;
  beforeEach(() => { clock = Date.now(); });
  const hub = (integrations?: Integration[], secret?: string) => oauthHub(integrations, secret, () => clock);

  describe("refusals in the browser are small HTML pages", () => {
    async function refused(app: any, path: string, pattern: RegExp) {
      const res = await request(app).get(path);
      expect(res.status, res.text).to.equal(400);
      expect(res.type).to.equal("text/html");
      expect(res.text).to.match(pattern);
      expect(res.text).to.match(/start the login again from the form in Looker/i);
      expect(res.text).to.not.match(/\{"|at .*\.ts:\d+/);
    }
    // The refusals' states, codes and tokens (6 of them) are not logged either: a hook, not a test,
    // as the check was one test of the file these came from.
    after(() => expectNoSecretsLogged(4));


    it("a tampered state", async () => {
      const app = hub();
      const link = await loginLink(app, "oauth_test", { state_url: looker.stateUrl("t") });
      const state = decodeURIComponent(link.split("state=")[1]);
      const bytes = Buffer.from(state.split(".")[2], "base64url");
      bytes[bytes.length - 3] ^= 0x10;
      const tampered = `${state.split(".").slice(0, 2).join(".")}.${bytes.toString("base64url")}`;
      await refused(app, `/actions/oauth_test/oauth?state=${encodeURIComponent(tampered)}`, /altered/);
      await refused(app, `/actions/oauth_test/oauth_redirect?code=c&state=${encodeURIComponent(tampered)}`, /altered/);
      await refused(app, "/actions/oauth_test/oauth?state=garbage", /incomplete or damaged/);
      await refused(app, "/actions/oauth_test/oauth", /incomplete or damaged/);
    });

    it("an expired state (10 minutes)", async () => {
      const app = hub();
      const link = await loginLink(app, "oauth_test", { state_url: looker.stateUrl("e") });
      clock += 10 * 60 * 1000 + 1;
      await refused(app, local(link), /expired/);
    });

    it("a state made for another integration", async () => {
      const app = hub();
      const link = await loginLink(app, "oauth_v1_only", { state_url: looker.stateUrl("c") });
      await refused(app, local(link).replace("oauth_v1_only", "oauth_test"), /another integration \(oauth_v1_only\)/);
      const start = await request(app).get(local(link));
      const back = local(vendor.consent(start.headers.location));
      await refused(app, back.replace("oauth_v1_only", "oauth_test"), /another integration/);
    });

    it("a state sealed under another secret", async () => {
      const previous = "a-previous-secret-0123456789";
      const link = await loginLink(hub(undefined, previous), "oauth_test",
        { state_url: looker.stateUrl("s") }, previous);
      await refused(hub(), local(link), /another hub, or before this hub&#39;s secret changed/);
    });

    it("the user choosing Deny at the vendor", async () => {
      const app = hub();
      const link = await loginLink(app, "oauth_test", { state_url: looker.stateUrl("d") });
      const start = await request(app).get(local(link));
      await refused(app, local(vendor.consent(start.headers.location, "deny")), /did not allow/);
    });

    it("an unknown integration or one without OAuth", async () => {
      const res = await request(hub()).get("/actions/nope/oauth?state=x");
      expect(res.status).to.equal(404);
      expect(res.type).to.equal("text/html");
    });

    it("Looker refusing the v1 state", async () => {
      const app = hub();
      looker.stateUrlStatus = 410;
      const done = await login(app, "oauth_test", { state_url: looker.stateUrl("gone") });
      expect(done.status).to.equal(502);
      expect(done.type).to.equal("text/html");
      expect(done.text).to.match(/Looker answered HTTP 410/);
    });
  });
});
