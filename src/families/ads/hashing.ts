// SHA-256 of normalised identifiers, as both ad platforms want them: lower-case hex of the UTF-8
// bytes. A value that is already a SHA-256 digest (64 hex characters) is passed on, lower-cased,
// not hashed again. Plain identifiers live only in these calls: nothing here logs or keeps them.
import * as crypto from "crypto";
import { Normalized } from "./normalize";

const SHA256_HEX = /^[0-9a-f]{64}$/i;

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** Node's one-shot hash (20.12+) is several times cheaper than a Hash object per value. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

export function sha256Hex(normalized: string): string {
  return oneShot ? oneShot("sha256", normalized, "hex") : crypto.createHash("sha256").update(normalized, "utf8")
    .digest("hex");
}

/**
 * The identifier as the vendor receives it: hashed after `normalize` when `hash` is true and the
 * value is not a digest already; `hash` false (the user hashed the column) takes only digests.
 */
export function identifier(raw: string, normalize: (raw: string) => Normalized, hash: boolean): Normalized {
  const trimmed = raw.trim();
  if (isSha256Hex(trimmed)) { return trimmed.toLowerCase(); }
  if (!hash) { return { invalid: "not a SHA-256 hash" }; }
  const normalized = normalize(trimmed);
  return typeof normalized === "string" ? sha256Hex(normalized) : normalized;
}
