// The shared client and an abort signal (issue 11): the attempt in flight ends, retries stop, the
// ambient signal of a delivery is picked up, an aborted signal refuses to start.
import { expect } from "chai";
import { PassThrough } from "stream";
import { ClientGoneError, withSignal } from "../../src/lib/abort_scope";
import { AnyVendor } from "../fakes/any_vendor";
import { failureOf as failure } from "../helpers/failure";
import { testHttpClient } from "../helpers/http";

describe("http client", () => {
  describe("abort signal (issue 11)", () => {
    let vendor: AnyVendor;
    beforeEach(async () => { vendor = await new AnyVendor().start(); });
    afterEach(async () => { await vendor.stop(); });

    it("ends the attempt in flight with the signal's reason", async () => {
      vendor.mood = "hang";
      const abort = new AbortController();
      const pending = failure(testHttpClient({}).request({ url: vendor.url, trusted: true, signal: abort.signal }));
      await eventuallyTrue(() => vendor.requests === 1);
      abort.abort(new ClientGoneError());
      expect(await pending).to.be.instanceOf(ClientGoneError);
    });

    it("stops retrying, and picks up the ambient signal of the delivery it runs in", async () => {
      vendor.mood = "error";
      const abort = new AbortController();
      const client = testHttpClient({ HTTP_MAX_ATTEMPTS: "50", HTTP_RETRY_BASE_DELAY_MS: "100",
        HTTP_RETRY_MAX_DELAY_MS: "100" });
      const pending = failure(withSignal(abort.signal, () => client.request({ url: vendor.url, trusted: true })));
      await eventuallyTrue(() => vendor.requests >= 2);
      abort.abort(new ClientGoneError());
      expect(await pending).to.be.instanceOf(ClientGoneError);
      const seen = vendor.requests;
      await new Promise((r) => setTimeout(r, 400));
      expect(vendor.requests).to.equal(seen);
    });

    it("refuses to start when the signal already aborted, and stops spooling a stream body", async () => {
      const abort = new AbortController();
      abort.abort(new ClientGoneError());
      expect(await failure(testHttpClient({}).request({ url: vendor.url, trusted: true, signal: abort.signal })))
        .to.be.instanceOf(ClientGoneError);
      const live = new AbortController();
      const body = new PassThrough();
      body.write("a".repeat(1000));
      const pending = failure(testHttpClient({})
        .request({ url: vendor.url, trusted: true, body, signal: live.signal }));
      live.abort(new ClientGoneError());
      expect(await pending).to.be.instanceOf(ClientGoneError);
      expect(vendor.requests).to.equal(0);
    });
  });
});

async function eventuallyTrue(test: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !test(); i++) { await new Promise((r) => setTimeout(r, 25)); }
  expect(test()).to.equal(true);
}
