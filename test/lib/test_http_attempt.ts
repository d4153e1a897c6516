// One attempt's request as the shared client builds it (src/lib/http_attempt.ts): the target
// taken apart as Node would, the header list Node writes as it is, and what a receiver gets.
import { expect } from "chai";
import { Readable } from "stream";
import { headerList, requestTarget } from "../../src/lib/http_attempt";
import { HttpReceiver } from "../fakes/http_receiver";
import { receiverAndSpool, testHttpClient } from "../helpers/http";

const UA = "LookerIntegrationService/1.2.3";

describe("http client: one attempt's request", () => {
  it("takes a URL apart as Node does: host with its port, IPv6 without brackets, path with the query", () => {
    const plain = requestTarget(new URL("http://vendor.example:8080/api/v1?x=1#part"));
    expect(plain).to.include({ https: false, hostname: "vendor.example", port: 8080, path: "/api/v1?x=1",
      host: "vendor.example:8080", basicAuth: undefined });
    const v6 = requestTarget(new URL("https://[::1]/"));
    expect(v6).to.include({ https: true, hostname: "::1", port: undefined, path: "/", host: "[::1]" });
    expect(requestTarget(new URL("https://u%40x:p%3Aw@vendor.example/")).basicAuth)
      .to.equal(`Basic ${Buffer.from("u@x:p:w").toString("base64")}`);
  });

  it("lists Host, the User-Agent, the caller's headers in lower case, then the length", () => {
    const target = requestTarget(new URL("http://vendor.example:8080/api"));
    expect(headerList(target, UA, { "Content-Type": "application/json", "Authorization": "Bearer t" }, 42))
      .to.deep.equal(["host", "vendor.example:8080", "user-agent", UA, "content-type", "application/json",
        "authorization", "Bearer t", "content-length", "42"]);
  });

  it("lets the caller's User-Agent and a later header of the same name win, and the body's size over a length", () => {
    const target = requestTarget(new URL("http://vendor.example/"));
    expect(headerList(target, UA, { "User-Agent": "mine", "X-A": "1", "x-a": "2", "content-length": "9" }, 3))
      .to.deep.equal(["host", "vendor.example", "user-agent", "mine", "x-a", "2", "content-length", "3"]);
    expect(headerList(target, UA, { "content-length": "9" }, undefined)).to.include("9");
  });

  it("sends a URL's credentials as Basic authorization unless the caller sent its own", () => {
    const target = requestTarget(new URL("http://user:pw@vendor.example/"));
    const basic = `Basic ${Buffer.from("user:pw").toString("base64")}`;
    expect(headerList(target, UA, {}, undefined)).to.deep.equal(
      ["host", "vendor.example", "user-agent", UA, "authorization", basic]);
    expect(headerList(target, UA, { Authorization: "Bearer t" }, undefined)).not.to.include(basic);
  });

  describe("on the wire", () => {
    const made = receiverAndSpool();
    let receiver: HttpReceiver;
    beforeEach(() => { receiver = made.receiver; });

    it("reaches the receiver with Host, the length, the caller's headers and the URL's credentials", async () => {
      const url = receiver.url("/api/v1?x=1").replace("http://", "http://user:pw@");
      const http = testHttpClient();
      for (const trusted of [true, false]) {
        const res = await http.request({ url, method: "POST", body: Buffer.from("{}"), trusted,
          headers: { "Content-Type": "application/json" } });
        expect(res.status).to.equal(200);
      }
      expect(receiver.received).to.have.length(2);
      for (const got of receiver.received) {
        expect(got.path).to.equal("/api/v1?x=1");
        expect(got.headers).to.include({ "host": new URL(receiver.url()).host, "content-length": "2",
          "content-type": "application/json", "authorization": `Basic ${Buffer.from("user:pw").toString("base64")}` });
        expect(got.body.toString()).to.equal("{}");
      }
    });

    it("gives the answer's headers when asked, and a trusted URL object as it is, for every request", async () => {
      receiver.defaultReply = { status: 200, headers: { "X-Vendor": "a", "Content-Type": "text/plain" }, body: "ok" };
      const http = testHttpClient();
      const url = new URL(receiver.url("/batch"));
      const answers = await Promise.all([1, 2, 3].map(() => http.request({ url, method: "POST", body: "x", trusted: true })));
      expect(answers.map((a) => a.headers["x-vendor"])).to.deep.equal(["a", "a", "a"]);
      expect(answers[0].headers).to.equal(answers[0].headers);
      expect(receiver.received.map((r) => r.path)).to.deep.equal(["/batch", "/batch", "/batch"]);
      expect(url.href).to.equal(receiver.url("/batch"));
    });

    it("sends trusted URL strings, one after another and at once, each to its own address", async () => {
      const http = testHttpClient();
      const [a, b] = [receiver.url("/a?n=1"), receiver.url("/b")];
      for (const url of [a, a, b, a, b, b]) { await http.request({ url, method: "POST", body: "x", trusted: true }); }
      await Promise.all([a, b, a, b].map((url) => http.request({ url, method: "POST", body: "x", trusted: true })));
      expect(receiver.received.map((r) => r.path).slice(0, 6)).to.deep.equal(["/a?n=1", "/a?n=1", "/b", "/a?n=1", "/b", "/b"]);
      expect(receiver.received.slice(6).map((r) => r.path).sort()).to.deep.equal(["/a?n=1", "/a?n=1", "/b", "/b"]);
    });

    it("reads an answer marked unread without keeping it, cut at the limit all the same; a failure keeps its words", async () => {
      const http = testHttpClient();
      const unreadBody = (status: number) => status === 200 || status === 400;
      receiver.reply({ status: 200, body: "all of it again" }, { status: 200, body: "all of it again" },
        { status: 400, body: "{\"message\":\"bad value\"}" });
      const dropped = await http.request({ url: receiver.url(), unreadBody });
      expect([dropped.status, dropped.body.length, dropped.truncated]).to.deep.equal([200, 0, false]);
      const cut = await http.request({ url: receiver.url(), unreadBody, maxResponseBytes: 3 });
      expect([cut.status, cut.body.length, cut.truncated]).to.deep.equal([200, 0, true]);
      const failed = await http.request({ url: receiver.url(), unreadBody }).catch((err: Error) => err);
      expect(String(failed)).to.contain("bad value");
      // The connection was left fit for the next request after the whole unread answer.
      receiver.defaultReply = { status: 200, body: "ok" };
      expect((await http.request({ url: receiver.url() })).text()).to.equal("ok");
    });

    it("sends a body of unknown length chunked, as before", async () => {
      await testHttpClient().request({ url: receiver.url(), method: "POST", body: Readable.from([Buffer.from("ab")]),
        streamed: {}, maxAttempts: 1 });
      expect(receiver.received[0].headers["transfer-encoding"]).to.equal("chunked");
      expect(receiver.received[0].body.toString()).to.equal("ab");
    });
  });
});
