// The shared client's guard on user URLs, against local receivers on loopback: only 127.0.0.1 is
// allowlisted, so other loopback addresses, names that resolve to blocked addresses, DNS rebinding
// and redirects to blocked addresses are refused with no request made there.
import { expect } from "chai";
import * as sinon from "sinon";
import { UrlRefusedError } from "../../src/lib/url_guard";
import { HttpReceiver } from "../fakes/http_receiver";
import { failureOf as failure } from "../helpers/failure";
import { testHttpClient } from "../helpers/http";

/** The guard as in production, except that 127.0.0.1 (and only it) is allowed for the receiver. */
const GUARDED = { ALLOW_PRIVATE_URLS: "false", PRIVATE_URL_ALLOWLIST: "127.0.0.1" };

describe("http client", () => {
  let receiver: HttpReceiver;

  beforeEach(async () => { receiver = await new HttpReceiver().start(); });
  afterEach(async () => {
    sinon.restore();
    await receiver.stop();
  });

  describe("the guard on user URLs (only 127.0.0.1 allowlisted)", () => {
    let canary: HttpReceiver;
    beforeEach(async () => { canary = await new HttpReceiver("127.0.0.2").start(); });
    afterEach(async () => { await canary.stop(); });

    it("reaches the allowlisted receiver", async () => {
      await testHttpClient(GUARDED).request({ url: receiver.url() });
      expect(receiver.received).to.have.length(1);
    });

    it("refuses a loopback address with no request made", async () => {
      const err = await failure(testHttpClient(GUARDED).request({ url: canary.url(), method: "POST", body: "d" }));
      expect(err).to.be.instanceOf(UrlRefusedError);
      expect(err.message).to.contain("127.0.0.2, a loopback address");
      expect(canary.received).to.have.length(0);
    });

    it("refuses the IPv6 loopback with no request made", async () => {
      let v6: HttpReceiver | undefined;
      try {
        v6 = await new HttpReceiver("::1").start();
      } catch {
        v6 = undefined; // no IPv6 loopback on this machine: the refusal is still checked below
      }
      const url = v6 ? v6.url() : "http://[::1]:9/hook";
      const err = await failure(testHttpClient(GUARDED).request({ url }));
      expect(err.message).to.contain("::1, a loopback address");
      if (v6) { expect(v6.received).to.have.length(0); await v6.stop(); }
    });

    it("refuses a DNS name resolving to a blocked address with no request made", async () => {
      const lookup = async () => [{ address: "127.0.0.2", family: 4 }];
      const http = testHttpClient(GUARDED, lookup);
      const err = await failure(http.request({ url: canary.url("/x", "hooks.example.com") }));
      expect(err.message).to.contain("hooks.example.com resolves to 127.0.0.2, a loopback address");
      expect(canary.received).to.have.length(0);
    });

    it("refuses an address that changes between the check and the connection (DNS rebinding)", async () => {
      const lookup = sinon.stub();
      lookup.onFirstCall().resolves([{ address: "127.0.0.1", family: 4 }]);
      lookup.resolves([{ address: "127.0.0.2", family: 4 }]);
      const err = await failure(testHttpClient(GUARDED, lookup as any).request({
        url: canary.url("/x", "rebind.example.com"),
      }));
      expect(err).to.be.instanceOf(UrlRefusedError);
      expect(err.message).to.contain("127.0.0.2, a loopback address");
      expect(canary.received).to.have.length(0);
    });

    it("refuses redirects to blocked addresses with no request made there", async () => {
      const lookup = sinon.stub().callsFake(async (host: string) =>
        [{ address: host === "internal.example.com" ? "192.168.0.10" : "127.0.0.1", family: 4 }]);
      const http = testHttpClient(GUARDED, lookup as any);
      const targets: Array<[string, RegExp]> = [
        [canary.url(), /127\.0\.0\.2, a loopback address/],
        ["http://10.0.0.1/hook", /10\.0\.0\.1, a private network address/],
        ["http://169.254.169.254/latest/meta-data/", /cloud metadata address/],
        ["http://internal.example.com/hook", /internal\.example\.com resolves to 192\.168\.0\.10/],
      ];
      for (const [location, message] of targets) {
        receiver.reply({ status: 307, headers: { Location: location } });
        const err = await failure(http.request({ url: receiver.url(), method: "POST", body: "d" }));
        expect(err).to.be.instanceOf(UrlRefusedError);
        expect(err.message).to.match(message);
      }
      expect(receiver.received).to.have.length(targets.length);
      expect(canary.received).to.have.length(0);
    });
  });
});
