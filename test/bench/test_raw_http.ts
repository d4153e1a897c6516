// The generator's lean HTTP client: answers parsed whole (Content-Length, chunked with the
// hub's keep-alive newlines, to the close), sockets reused only when the answer allows it.
import { expect } from "chai";
import * as http from "http";
import { AddressInfo } from "net";
import { parseAnswer, RawHttpPool } from "../../bench/raw_http";

const b = (text: string) => Buffer.from(text, "latin1");

describe("bench raw HTTP client", () => {
  it("parses Content-Length, chunked and to-the-close answers, and waits while one is incomplete", () => {
    const sized = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    expect(parseAnswer(b(sized.slice(0, -1)), false)).to.equal(undefined);
    expect(parseAnswer(b(sized), false)).to.deep.include({ answer: { status: 200, body: "hello" }, close: false });
    const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
      "1\r\n\n\r\n7\r\n{\"a\":1}\r\n0\r\n\r\n";
    expect(parseAnswer(b(chunked.slice(0, -2)), false)).to.equal(undefined);
    expect(parseAnswer(b(chunked), false))
      .to.deep.include({ answer: { status: 200, body: "\n{\"a\":1}" }, close: true });
    const open = "HTTP/1.0 403 Forbidden\r\n\r\nno";
    expect(parseAnswer(b(open), false)).to.equal(undefined);
    expect(parseAnswer(b(open), true)).to.deep.include({ answer: { status: 403, body: "no" }, close: true });
    const utf8 = Buffer.concat([b("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"), Buffer.from("é")]);
    expect(parseAnswer(utf8, false)?.answer.body).to.equal("é");
  });

  it("sends prebuilt requests over reused keep-alive sockets, new ones only for concurrent requests", async () => {
    const sockets = new Set<unknown>();
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      sockets.add(req.socket);
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization} ${body}`);
        if (req.url === "/slow") { res.write("\n"); setTimeout(() => res.end("{\"late\":true}"), 20); return; }
        if (req.url === "/close") { res.setHeader("Connection", "close"); }
        res.end(JSON.stringify({ ok: req.url }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pool = new RawHttpPool(url);
    const send = (path: string) => new Promise<unknown>((resolve) => {
      pool.send(RawHttpPool.build(url, "POST", path, { Authorization: "Token token=\"k\"" }, "{\"x\":1}"), 5000,
        (error, answer) => resolve(error ?? answer));
    });
    try {
      expect(await send("/a")).to.deep.equal({ status: 200, body: "{\"ok\":\"/a\"}" });
      expect(await send("/b")).to.deep.equal({ status: 200, body: "{\"ok\":\"/b\"}" });
      expect(sockets.size).to.equal(1);
      const both = await Promise.all([send("/slow"), send("/c")]);
      expect(both).to.deep.equal([
        { status: 200, body: "\n{\"late\":true}" }, { status: 200, body: "{\"ok\":\"/c\"}" }]);
      expect(sockets.size).to.equal(2);
      expect(await send("/close")).to.deep.equal({ status: 200, body: "{\"ok\":\"/close\"}" });
      expect(seen[0]).to.equal("POST /a Token token=\"k\" {\"x\":1}");
      server.close();
      server.closeAllConnections();
      expect(await send("/gone")).to.be.a("string");
    } finally {
      pool.destroy();
      server.closeAllConnections();
    }
  });
});
