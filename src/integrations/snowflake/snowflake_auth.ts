// Snowflake's key-pair authentication for the SQL API: a JWT signed (RS256) with the user's
// private key, issued by ACCOUNT.USER.SHA256:<fingerprint of the public key>, for ACCOUNT.USER,
// valid for at most an hour, sent as a Bearer token with X-Snowflake-Authorization-Token-Type
// KEYPAIR_JWT (Snowflake's "Using key-pair authentication" for the SQL API).
import * as crypto from "crypto";
import * as jwt from "jsonwebtoken";
import { UserError } from "../../lib/errors";
import { normalisePrivateKey } from "../../lib/google_service_account";

/** The account as the JWT names it: upper-case, without a locator's region or `.global`. */
export function jwtAccount(account: string): string {
  return account.trim().split(".")[0].toUpperCase();
}

/** `SHA256:` and the base64 SHA-256 of the public key's DER (what DESC USER shows as RSA_PUBLIC_KEY_FP). */
export function publicKeyFingerprint(key: crypto.KeyObject): string {
  const der = crypto.createPublicKey(key).export({ type: "spki", format: "der" });
  return `SHA256:${crypto.createHash("sha256").update(der).digest("base64")}`;
}

/** The user's private key, or a UserError saying what is wrong with it (never the key). */
export function snowflakePrivateKey(text: string | undefined): crypto.KeyObject {
  const pem = normalisePrivateKey(text ?? "");
  if (/ENCRYPTED PRIVATE KEY/.test(pem)) {
    throw new UserError("The Snowflake private key is encrypted. Paste an unencrypted PKCS#8 key (openssl genrsa 2048 " +
      "| openssl pkcs8 -topk8 -inform PEM -out rsa_key.p8 -nocrypt) and set its public half on the user.");
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) {
    throw new UserError("The Snowflake private key is not a PEM private key: paste it from -----BEGIN PRIVATE KEY----- " +
      "to -----END PRIVATE KEY-----.");
  }
  try {
    return crypto.createPrivateKey(pem);
  } catch {
    throw new UserError("The Snowflake private key could not be read: it looks cut off or altered. Paste it again.");
  }
}

/** A fresh JWT for the account and user. */
export function keyPairJwt(account: string, user: string, key: crypto.KeyObject, now = Date.now()): string {
  const qualified = `${jwtAccount(account)}.${user.trim().toUpperCase()}`;
  const iat = Math.floor(now / 1000);
  return jwt.sign({ iss: `${qualified}.${publicKeyFingerprint(key)}`, sub: qualified, iat, exp: iat + 3540 }, key,
    { algorithm: "RS256" });
}
