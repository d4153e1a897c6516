// API keys: `<nonce>/<hex HMAC-SHA512(secret, nonce)>`, the official hub's scheme, so a
// key pasted into Looker keeps working across hubs that share the secret.
import * as crypto from "crypto";
import { NextFunction, Request, Response } from "express";

const DIGEST_HEX_LENGTH = 128;
/** Real headers are ~170 characters; anything far longer is refused unread. */
const MAX_HEADER_LENGTH = 1024;
const HEADER = /^\s*token\s+token\s*=\s*"?([^"\s]*)"?\s*$/i;

function digest(secret: string, nonce: string): Buffer {
  return crypto.createHmac("sha512", secret).update(nonce).digest();
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
  const expected = digest(secret, nonce);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
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
    if (key && isValidApiKey(secret, key)) { return next(); }
    res.set("Connection", "close");
    res.status(403).json(INVALID_AUTH_BODY);
  };
}
