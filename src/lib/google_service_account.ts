// Google service-account auth, shared by every integration that holds a service account's
// key (Cloud Storage, Firebase): a JWT signed with the key (RS256), exchanged at the token URL
// for an access token (RFC 7523, Google's "OAuth 2.0 for server to server applications").
// The JWT's audience is the token URL in use, so a private or test token endpoint works.
import * as crypto from "crypto";
import * as jwt from "jsonwebtoken";
import { UserError } from "./errors";
import { HttpClient } from "./http_client";
import { Logger } from "./logger";

export interface ServiceAccount {
  clientEmail: string;
  /** The PEM key, as pasted from the JSON key file (literal `\n` accepted). */
  privateKey: string;
  scopes: string[];
}

export interface AccessToken {
  accessToken: string;
  /** Epoch milliseconds after which the token is no longer valid. */
  expiresAt: number;
}

/** A key pasted from a JSON key file often keeps its `\n` escapes (and quotes): make it PEM again. */
export function normalisePrivateKey(key: string): string {
  let k = key.trim();
  if ((k.startsWith("\"") && k.endsWith("\"")) || (k.startsWith("'") && k.endsWith("'"))) { k = k.slice(1, -1); }
  return k.replace(/\\r\\n|\\n/g, "\n").replace(/\r\n/g, "\n");
}

/** The key as a KeyObject, or a UserError that says what is wrong with it (never the key). */
export function parsePrivateKey(key: string, what = "The service account's private key"): crypto.KeyObject {
  const pem = normalisePrivateKey(key);
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) {
    throw new UserError(`${what} is not a PEM private key: paste the "private_key" value of the JSON key file, ` +
      "from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----.");
  }
  try {
    return crypto.createPrivateKey(pem);
  } catch {
    throw new UserError(`${what} could not be read: it looks cut off or altered. ` +
      "Paste it again from the JSON key file.");
  }
}

/** The signed assertion for the token exchange. */
export function serviceAccountAssertion(account: ServiceAccount, tokenUrl: string, now = Date.now()): string {
  const key = parsePrivateKey(account.privateKey);
  const iat = Math.floor(now / 1000);
  return jwt.sign(
    { iss: account.clientEmail, scope: account.scopes.join(" "), aud: tokenUrl, iat, exp: iat + 3600 },
    key, { algorithm: "RS256" },
  );
}

/** Exchanges a service account's signed assertion for an access token. */
export async function serviceAccountToken(
  http: HttpClient, tokenUrl: string, account: ServiceAccount, logger?: Logger, who = "Google",
): Promise<AccessToken> {
  if (!/^[^@\s]+@[^@\s]+$/.test(account.clientEmail.trim())) {
    throw new UserError(`The service account's client email "${account.clientEmail}" is not an email address; ` +
      "use the \"client_email\" value of the JSON key file.");
  }
  const assertion = serviceAccountAssertion({ ...account, clientEmail: account.clientEmail.trim() }, tokenUrl);
  const body = new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString();
  const response = await http.request({
    // Minting a service account's token writes nothing (a dry run may sign in with it).
    url: tokenUrl, method: "POST", trusted: true, who, logger, readOnly: true,
    headers: { "content-type": "application/x-www-form-urlencoded" }, body,
    acceptStatus: (s) => s < 500 && s !== 429,
  });
  let answer: any;
  try { answer = response.json(); } catch { answer = {}; }
  if (response.status === 200 && typeof answer.access_token !== "string") {
    // A 200 without a token is no refusal of the key: whatever answered is not Google's token endpoint.
    throw new UserError(`The token endpoint answered the service account's sign-in with HTTP 200 but no access ` +
      `token, so nothing was sent to ${who}. It does not answer as Google's token endpoint does: ask the hub's ` +
      "admin to check GOOGLE_OAUTH_TOKEN_URL (Google's is https://oauth2.googleapis.com/token).");
  }
  if (response.status !== 200 || typeof answer.access_token !== "string") {
    const error = String(answer.error ?? "");
    const detail = String(answer.error_description ?? "").slice(0, 200);
    if (/invalid_grant/.test(error) && /time|clock|iat|exp/i.test(detail)) {
      throw new UserError(`${who} refused the service account's sign-in because this server's clock is off ` +
        `(${detail}). Ask the hub's admin to sync the clock (NTP).`);
    }
    throw new UserError(`${who} refused the service account's key (${error || `HTTP ${response.status}`}` +
      `${detail ? `: ${detail}` : ""}). Check the client email and private key, and that the key was not deleted ` +
      "in the Cloud console's Service Accounts page.");
  }
  const expiresIn = Number(answer.expires_in) > 0 ? Number(answer.expires_in) : 3600;
  return { accessToken: answer.access_token, expiresAt: Date.now() + expiresIn * 1000 };
}
