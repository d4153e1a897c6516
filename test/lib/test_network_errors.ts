// Network and TLS failures in words (src/lib/network_errors.ts), from real faults on loopback:
// through the shared HTTP client (self-signed, private authority, https to a plain-http port,
// refused, a name that does not exist), and as the mapping of the errors Node gives for the
// faults that need the authority trusted first (expired, another name), made here with that
// authority passed to https.get.
import { expect } from "chai";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { HttpConnectionError, HttpUnavailableError } from "../../src/lib/http_errors";
import { networkFailure, networkMessage } from "../../src/lib/network_errors";
import { closedPort } from "../fakes/closed_port";
import { startPlainServerForHttps, startTlsServer, TLS_FIXTURES, TlsServer } from "../fakes/tls_servers";
import { failureOf } from "../helpers/failure";
import { testHttpClient } from "../helpers/http";

/** The error Node's own https client ends in for `url`, trusting the test authority. */
function nodeErrorTrusting(url: string): Promise<Error> {
  const ca = fs.readFileSync(path.join(TLS_FIXTURES, "ca.crt"));
  return new Promise((resolve) => {
    https.get(url, { ca }, (res) => { res.resume(); resolve(new Error(`answered ${res.statusCode}`)); })
      .on("error", resolve);
  });
}

describe("network and TLS failures in words", () => {
  const servers: TlsServer[] = [];
  afterEach(async () => { for (const s of servers.splice(0)) { await s.close(); } });

  const cases: Array<[string, () => Promise<TlsServer>, RegExp]> = [
    ["a self-signed certificate", () => startTlsServer("self_signed"),
      new RegExp("^The server at 127\\.0\\.0\\.1 could not be reached safely: its certificate is self-signed, " +
        ".*trust your own authority \\(docs/operations\\.md")],
    ["a certificate of a private authority the hub does not trust", () => startTlsServer("private_ca"),
      /could not be reached safely: its certificate is signed by a certificate authority the hub does not trust/],
    ["an https URL answered by a plain-http server", startPlainServerForHttps,
      /could not be reached safely: it does not speak https on that port .*scheme \(https:\/\/ or http:\/\/\)/],
  ];
  for (const [what, start, message] of cases) {
    it(`${what}: one attempt, a user error naming the cause and the fix`, async () => {
      const server = await start();
      servers.push(server);
      const err = await failureOf(testHttpClient().request({ url: `${server.url}/hook`, method: "POST", body: "{}" }));
      expect(err).to.be.instanceOf(HttpConnectionError);
      expect(err.message).to.match(message);
      expect((err as HttpConnectionError).failure.attempts).to.equal(1);
      expect(server.requests()).to.equal(0);
    });
  }

  it("a refused connection: retried, then said with what to check", async () => {
    const url = `https://127.0.0.1:${await closedPort()}`;
    const err = await failureOf(testHttpClient().request({ url, who: "Zapier" }));
    expect(err).to.be.instanceOf(HttpUnavailableError);
    expect(err.message).to.equal("Zapier could not be reached: the connection was refused (tried 3 times). " +
      "It may be down or busy; try again later. Check the address and port, and that the server is running.");
  });

  it("plain http to a TLS-only port (closed at once): retried, then the https fix", async () => {
    const server = await startTlsServer("self_signed");
    servers.push(server);
    const err = await failureOf(testHttpClient({ ALLOW_HTTP_URLS: "true" })
      .request({ url: server.url.replace(/^https:/, "http:"), who: "Zapier" }));
    expect(err).to.be.instanceOf(HttpUnavailableError);
    expect(err.message).to.match(/^Zapier could not be reached: the connection was closed unexpectedly \(tried 3 times\)\./);
    expect(err.message).to.match(/If the server speaks only https on that port, the address must start with https:\/\/\.$/);
  });

  it("a host name that does not exist: said at once, not retried", async () => {
    const noSuchName = async () => { throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }); };
    const err = await failureOf(testHttpClient({}, noSuchName).request({ url: "https://hooks.invalid/x" }));
    expect(err.message).to.match(/hooks\.invalid/);
    expect(err.message).to.equal("The host hooks.invalid could not be found. Check the URL for typos.");
  });

  it("an expired certificate and one for another name, as Node reports them", async () => {
    const expired = await startTlsServer("expired");
    const otherName = await startTlsServer("other_name");
    const sound = await startTlsServer("private_ca");
    servers.push(expired, otherName, sound);
    const expiredFailure = networkFailure(await nodeErrorTrusting(expired.url))!;
    expect(expiredFailure).to.include({ kind: "certificate_expired", code: "CERT_HAS_EXPIRED", transient: false });
    expect(networkMessage("The server at 127.0.0.1", expiredFailure)).to.equal("The server at 127.0.0.1 could " +
      "not be reached safely: its certificate has expired. Whoever runs the server must renew its certificate " +
      "(or set its clock right).");
    const nameFailure = networkFailure(await nodeErrorTrusting(otherName.url))!;
    expect(nameFailure).to.include({ kind: "certificate_name", code: "ERR_TLS_CERT_ALTNAME_INVALID" });
    expect((await nodeErrorTrusting(sound.url)).message).to.equal("answered 200");
  });

  it("finds the failure inside an SDK's wrappers, and leaves other errors alone", () => {
    const inner = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    expect(networkFailure(new Error("upload failed", { cause: inner }))?.kind).to.equal("refused");
    expect(networkFailure({ code: "ESOCKET", message: "self-signed certificate in certificate chain" })?.kind)
      .to.equal("certificate_untrusted");
    expect(networkFailure({ code: "ECONNECTION", originalCode: "ECONNREFUSED", message: "x" })?.kind)
      .to.equal("refused");
    expect(networkFailure(new TypeError("x is not a function"))).to.equal(undefined);
    expect(networkFailure(undefined)).to.equal(undefined);
  });
});
