// Google's token endpoint and Firebase Cloud Messaging's HTTP v1 send, as a service account uses
// them: the token endpoint verifies the RS256 JWT (issuer, scope, audience, signature) and hands out
// an access token; messages:send accepts only that token, for the configured project, and answers
// `{name}` or FCM's error body with its FcmError code.
import * as crypto from "crypto";
import * as jwt from "jsonwebtoken";
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const FCM_PROJECT = "looker-alerts-test";
export const FCM_CLIENT_EMAIL = "hub@looker-alerts-test.iam.gserviceaccount.com";

const keys = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
/** The service account's key as its JSON key file holds it (with literal \n). */
export const FCM_PRIVATE_KEY = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString()
  .replace(/\n/g, "\\n");

export class FcmFake extends HttpReceiver {
  /** Device tokens of installed apps; others are UNREGISTERED. */
  readonly devices = new Set(["dev-token-aaaaaa111111", "dev-token-bbbbbb222222", "dev-token-cccccc333333"]);
  readonly issued: string[] = [];
  /** Messages FCM accepted. */
  readonly messages: any[] = [];

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  get tokenUrl(): string { return this.url("/token"); }

  private route(r: Received): Reply {
    if (r.path === "/token") { return this.token(r); }
    const m = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(r.path);
    if (r.method !== "POST" || !m) { return fcmError(404, "NOT_FOUND", "Not found"); }
    const bearer = String(r.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!this.issued.includes(bearer)) { return fcmError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."); }
    if (m[1] !== FCM_PROJECT) { return fcmError(403, "PERMISSION_DENIED", "Permission 'cloudmessaging.messages.create' denied"); }
    const message = JSON.parse(r.body.toString("utf8")).message;
    if (!message?.token || !message.notification?.title) { return fcmError(400, "INVALID_ARGUMENT", "Invalid message", "INVALID_ARGUMENT"); }
    if (Object.values(message.data ?? {}).some((v) => typeof v !== "string")) {
      return fcmError(400, "INVALID_ARGUMENT", "Invalid value at 'message.data': data values must be strings", "INVALID_ARGUMENT");
    }
    if (!this.devices.has(message.token)) {
      return fcmError(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED");
    }
    this.messages.push(message);
    return { status: 200, headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: `projects/${FCM_PROJECT}/messages/${this.messages.length}` }) };
  }

  private token(r: Received): Reply {
    const form = new URLSearchParams(r.body.toString("utf8"));
    try {
      const claims = jwt.verify(form.get("assertion") ?? "", keys.publicKey,
        { algorithms: ["RS256"], audience: this.tokenUrl }) as any;
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer" || claims.iss !== FCM_CLIENT_EMAIL ||
        claims.scope !== "https://www.googleapis.com/auth/firebase.messaging") { throw new Error("bad claims"); }
    } catch {
      return { status: 400, headers: { "content-type": "application/json" },
        body: JSON.stringify({ error: "invalid_grant", error_description: "Invalid JWT Signature." }) };
    }
    const token = `ya29.test-${this.issued.length + 1}`;
    this.issued.push(token);
    return { status: 200, headers: { "content-type": "application/json" },
      body: JSON.stringify({ access_token: token, expires_in: 3599, token_type: "Bearer" }) };
  }
}

export function fcmError(code: number, status: string, message: string, errorCode?: string): Reply {
  const details = errorCode ? [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode }] : [];
  return { status: code, headers: { "content-type": "application/json" },
    body: JSON.stringify({ error: { code, message, status, details } }) };
}
