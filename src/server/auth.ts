// API keys: `<nonce>/<hex HMAC-SHA512(secret, nonce)>`, the official hub's scheme, so a
// key pasted into Looker keeps working across hubs that share the secret.
import * as crypto from "crypto";
import { NextFunction, Request, Response } from "express";
import { mayKeepAlive } from "./bodies";

const DIGEST_HEX_LENGTH = 128;
/** Real headers are ~170 characters; anything far longer is refused unread. */
const MAX_HEADER_LENGTH = 1024;
const HEADER = /^\s*token\s+token\s*=\s*"?([^"\s]*)"?\s*$/i;

function digest(secret: string, nonce: string): Buffer {
  return crypto.createHmac("sha512", secret).update(nonce).digest();
}

/**
 * The digests of nonces seen in valid keys, per secret: Looker sends the same key with every
 * request, and an HMAC-SHA512 per request was a tenth of a small request's cost. Only valid
 * keys enter, so junk nonces cannot fill it; the comparison stays timingSafeEqual. Bounded:
 * past MAX_KNOWN_NONCES the oldest is forgotten.
 */
const knownDigests = new Map<string, Map<string, Buffer>>();
const MAX_KNOWN_NONCES = 256;

function expectedDigest(secret: string, nonce: string): { digest: Buffer; known: boolean } {
  const known = knownDigests.get(secret)?.get(nonce);
  return known ? { digest: known, known: true } : { digest: digest(secret, nonce), known: false };
}

function remember(secret: string, nonce: string, value: Buffer): void {
  let nonces = knownDigests.get(secret);
  if (!nonces) {
    if (knownDigests.size >= 8) { knownDigests.delete(knownDigests.keys().next().value as string); }
    nonces = new Map();
    knownDigests.set(secret, nonces);
  }
  if (nonces.size >= MAX_KNOWN_NONCES) { nonces.delete(nonces.keys().next().value as string); }
  nonces.set(nonce, value);
}

/** A fresh API key for `secret`, valid until the secret changes. */
export function generateApiKey(secret: string, nonce = crypto.randomBytes(16).toString("hex")): string {
  return `${nonce}/${digest(secret, nonce).toString("hex")}`;
}

/** Checks a key in constant time; never throws, whatever the key looks like. */
export function isValidApiKey(secret: string, key: string): boolean {
  const slash = key.indexOf("/");
  if (slash <= 0) { return false; }
  const nonce = key.slice(0, slash);
  const hex = key.slice(slash + 1);
  if (hex.length !== DIGEST_HEX_LENGTH || !/^[0-9a-fA-F]+$/.test(hex)) { return false; }
  const given = Buffer.from(hex, "hex");
  const expected = expectedDigest(secret, nonce);
  const valid = given.length === expected.digest.length && crypto.timingSafeEqual(given, expected.digest);
  if (valid && !expected.known) { remember(secret, nonce, expected.digest); }
  return valid;
}

/** The key inside `Token token="<key>"`, or undefined for any other shape. */
export function keyFromHeader(header: string | undefined): string | undefined {
  if (!header || header.length > MAX_HEADER_LENGTH) { return undefined; }
  const match = HEADER.exec(header);
  return match && match[1] ? match[1] : undefined;
}

export const INVALID_AUTH_BODY = { success: false, error: "Invalid 'Authorization' header." };

/**
 * Refuses a request without a valid key before its body is read. The connection is
 * closed after the answer, so a large unauthenticated body is never consumed.
 */
export function requireApiKey(secret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const key = keyFromHeader(req.get("authorization"));
    if (key && isValidApiKey(secret, key)) {
      mayKeepAlive(res);
      return next();
    }
    res.set("Connection", "close");
    res.status(403).json(INVALID_AUTH_BODY);
  };
}
