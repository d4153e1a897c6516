// Google's token endpoint and Firebase Cloud Messaging's HTTP v1 send, as a service account uses
// them: the token endpoint verifies the RS256 JWT (issuer, scope, audience, signature) and hands out
// an access token; messages:send accepts only that token, for the configured project, and answers
// `{name}` or FCM's error body with its FcmError code. Each device's tray is kept as the platform
// shows it: a notification whose tag (Android's `android.notification.tag`) or collapse id (APNs'
// `apns-collapse-id`, at most 64 bytes) is already shown replaces that one; without, it is added.
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
  /** The devices on iOS (through APNs); the others are Android. */
  readonly ios = new Set(["dev-token-bbbbbb222222"]);
  /** What each device shows: its notifications, in the order they arrived. */
  readonly trays = new Map<string, any[]>();
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
    const collapseId = message.apns?.headers?.["apns-collapse-id"];
    if (collapseId !== undefined && Buffer.byteLength(String(collapseId)) > 64) {
      return fcmError(400, "INVALID_ARGUMENT", "Invalid apns-collapse-id: at most 64 bytes", "INVALID_ARGUMENT");
    }
    this.messages.push(message);
    this.show(message, this.ios.has(message.token) ? collapseId : message.android?.notification?.tag);
    return { status: 200, headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: `projects/${FCM_PROJECT}/messages/${this.messages.length}` }) };
  }

  private show(message: any, key: string | undefined): void {
    const tray = this.trays.get(message.token) ?? [];
    const shown = key === undefined ? -1 : tray.findIndex((m) => m.key === key);
    const entry = { key, title: message.notification.title, data: message.data };
    if (shown >= 0) { tray[shown] = entry; } else { tray.push(entry); }
    this.trays.set(message.token, tray);
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
