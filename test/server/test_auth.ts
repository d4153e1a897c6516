import { expect } from "chai";
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import request from "supertest";
import { DebugIntegration } from "../../src/integrations/debug/debug";
import { generateApiKey, isValidApiKey, keyFromHeader } from "../../src/server/auth";
import { authHeader, buildTestApp, TEST_SECRET } from "../helpers/app";

const INVALID = { success: false, error: "Invalid 'Authorization' header." };

describe("token check", () => {
  const { app } = buildTestApp([new DebugIntegration()]);
  const goodKey = generateApiKey(TEST_SECRET);
  const [nonce, digest] = goodKey.split("/");

  const badHeaders: Array<[string, string | undefined]> = [
    ["no header", undefined],
    ["empty header", ""],
    ["another scheme", `Bearer ${goodKey}`],
    ["no slash", `Token token="${nonce}${digest}"`],
    ["empty nonce", `Token token="/${digest}"`],
    ["short digest", `Token token="${nonce}/${digest.slice(0, 20)}"`],
    ["digest one char short", `Token token="${nonce}/${digest.slice(1)}"`],
    ["digest one char long", `Token token="${nonce}/${digest}0"`],
    ["non-hex digest", `Token token="${nonce}/${"z".repeat(128)}"`],
    ["odd-length hex", `Token token="${nonce}/${digest.slice(0, 127)}"`],
    ["wrong secret", `Token token="${generateApiKey("another-secret-0123456789")}"`],
    ["nonce changed", `Token token="x${nonce}/${digest}"`],
    ["huge key", `Token token="${"a".repeat(8000)}/${digest}"`],
    ["unicode", `Token token="é/${digest}"`],
    ["many slashes", `Token token="a/b/c/${digest}"`],
    ["token without key", "Token token="],
  ];

  for (const [what, header] of badHeaders) {
    it(`refuses ${what} with 403 and the invalid-header JSON`, async () => {
      const req = request(app).post("/");
      if (header !== undefined) { req.set("Authorization", header); }
      const res = await req.expect(403);
      expect(res.body).to.deep.equal(INVALID);
      expect(res.headers["content-type"]).to.match(/application\/json/);
    });
  }

  it("refuses bad tokens on every POST route, not only the list", async () => {
    for (const path of ["/actions/debug", "/actions/debug/execute", "/actions/debug/form",
      "/integrations/debug", "/integrations/debug/action", "/integrations/debug/form", "/actions/nope/execute"]) {
      const res = await request(app).post(path).set("Authorization", "Token token=\"x/y\"").expect(403);
      expect(res.body, path).to.deep.equal(INVALID);
    }
  });

  it("accepts `Token token=\"key\"`, lowercase `token token=key` and no quotes", async () => {
    for (const header of [`Token token="${goodKey}"`, `token token="${goodKey}"`, `Token token=${goodKey}`]) {
      const res = await request(app).post("/").set("Authorization", header).expect(200);
      expect(res.body.integrations).to.have.length(1);
    }
  });

  it("accepts keys made the official hub's way: nonce/hex(HMAC-SHA512(secret, nonce))", async () => {
    const key = `somenonce/${crypto.createHmac("sha512", TEST_SECRET).update("somenonce").digest("hex")}`;
    await request(app).post("/").set("Authorization", `Token token="${key}"`).expect(200);
  });

  it("keeps refusing a known nonce with another digest, and a known key under another secret", () => {
    const key = generateApiKey(TEST_SECRET);
    const [keyNonce, keyDigest] = key.split("/");
    // Seen once, the nonce's digest is remembered: the same key passes again, variants do not.
    expect(isValidApiKey(TEST_SECRET, key)).to.equal(true);
    expect(isValidApiKey(TEST_SECRET, key)).to.equal(true);
    const flipped = (keyDigest[0] === "a" ? "b" : "a") + keyDigest.slice(1);
    expect(isValidApiKey(TEST_SECRET, `${keyNonce}/${flipped}`)).to.equal(false);
    expect(isValidApiKey(TEST_SECRET, `${keyNonce}/${keyDigest.toUpperCase()}`)).to.equal(true);
    expect(isValidApiKey("another-secret-0123456789", key)).to.equal(false);
    expect(isValidApiKey(TEST_SECRET, `${keyNonce}x/${keyDigest}`)).to.equal(false);
  });

  it("stays right past the bound of remembered nonces", () => {
    const keys = Array.from({ length: 300 }, (_, i) => generateApiKey(TEST_SECRET, `nonce-${i}`));
    for (const key of keys) { expect(isValidApiKey(TEST_SECRET, key)).to.equal(true); }
    for (const key of keys) { expect(isValidApiKey(TEST_SECRET, key)).to.equal(true); }
    expect(isValidApiKey(TEST_SECRET, `nonce-1/${keys[2].split("/")[1]}`)).to.equal(false);
  });

  it("never throws on arbitrary keys and headers", () => {
    for (let i = 0; i < 2000; i++) {
      const junk = crypto.randomBytes(i % 300).toString(i % 2 ? "latin1" : "base64");
      expect(() => isValidApiKey(TEST_SECRET, junk)).not.to.throw();
      expect(() => keyFromHeader(`Token token="${junk}"`)).not.to.throw();
      expect(isValidApiKey(TEST_SECRET, `${junk}/${"0".repeat(128)}`)).to.equal(false);
    }
  });

  it("answers an unauthenticated request without reading its body", async () => {
    const server = http.createServer(app).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const answer = await new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
        // Announces 500 MB and sends 1 KB: the answer must come without waiting for the rest.
        const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/actions/debug/execute",
          headers: { "content-type": "application/json", "content-length": String(500 * 1024 * 1024) } });
        req.on("response", (res) => {
          let body = "";
          res.on("data", (c) => { body += c; });
          res.on("end", () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }));
        });
        req.on("error", reject);
        req.write(Buffer.alloc(1024, 0x20));
      });
      expect(answer.status).to.equal(403);
      expect(JSON.parse(answer.body)).to.deep.equal(INVALID);
      expect(answer.connection).to.equal("close");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("needs no token for GET / and GET /status", async () => {
    await request(app).get("/status").expect(200);
    await request(app).get("/").expect(200);
    await request(app).post("/").set("Authorization", authHeader()).expect(200);
  });
});
