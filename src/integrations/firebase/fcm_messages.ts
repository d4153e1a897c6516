// Firebase Cloud Messaging (HTTP v1) as Looker's mobile alerts use it: Looker names the devices
// and the alert in form params; the hub sends one message per device with the official hub's
// shape (notification, data with an id and the user, high priority on Android and APNs). A delivery
// with Looker's webhook id also carries a collapse id derived from it (Android's notification tag
// and collapse_key, APNs' apns-collapse-id), so the same delivery sent again replaces its
// notification on the device instead of showing a second one (docs/exactly_once.md).
import * as crypto from "crypto";
import { keyOf } from "../../families/alerts/alert_keys";
import { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";

export interface Device {
  deviceId: string;
  userId: string;
}

export interface AlertNotice {
  title: string;
  /** The alert's data (alert_id, dashboard_name, ...), as strings, FCM's `data` type. */
  data: Record<string, string>;
  /** Empty when nobody following the alert has the mobile app signed in. */
  devices: Device[];
  ttlSeconds: number;
  priority: "high" | "normal";
  /** `looker-<hash of the webhook id and the alert>`; undefined without a webhook id. */
  collapseId?: string;
}

const DEFAULT_TTL_SECONDS = 24 * 3600;
/** FCM keeps a message four weeks at most. */
const MAX_TTL_SECONDS = 28 * 24 * 3600;

function parseJsonParam(request: ActionRequest, name: string): unknown {
  const raw = request.formParams[name];
  if (raw === undefined || raw.trim() === "") { return undefined; }
  try {
    return JSON.parse(raw);
  } catch {
    throw new UserError(`Looker's "${name}" for the Firebase notification is not JSON; send the alert again from ` +
      "Looker, and check the Looker version if it persists.");
  }
}

/**
 * The devices of `deviceIds`: Looker sends arrays of `{device_id, user_id}` (one array per user).
 * As in the official hub, an entry without both is skipped.
 */
function devicesOf(value: unknown): Device[] {
  const flat = Array.isArray(value) ? value.flat(2) : [];
  const seen = new Map<string, Device>();
  for (const item of flat) {
    if (!item || typeof item !== "object") { continue; }
    const deviceId = idOf((item as any).device_id);
    const userId = idOf((item as any).user_id);
    if (!deviceId || !userId || seen.has(deviceId)) { continue; }
    seen.set(deviceId, { deviceId, userId });
  }
  return [...seen.values()];
}

function idOf(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? String(value).trim() || undefined : undefined;
}

/** Reads what Looker sent for a mobile alert; says in words what is missing. */
export function alertNotice(request: ActionRequest): AlertNotice {
  const rawData = parseJsonParam(request, "data");
  const data = rawData && typeof rawData === "object" && !Array.isArray(rawData)
    ? rawData as Record<string, unknown> : {};
  if (data.alert_id === undefined || data.alert_id === null || String(data.alert_id) === "") {
    throw new UserError("Looker sent no alert ID for the Firebase notification; this action is for Looker's mobile " +
      "alerts, which fill it in. Choose another destination for schedules.");
  }
  const title = (request.formParams.title ?? "").trim();
  if (!title) { throw new UserError("Looker sent no title for the Firebase notification; check the alert's title."); }
  const devices = devicesOf(parseJsonParam(request, "deviceIds"));
  const ttl = Number(request.formParams.timeToLive ?? DEFAULT_TTL_SECONDS);
  const ttlSeconds = Number.isFinite(ttl) && ttl > 0 ? Math.min(Math.round(ttl), MAX_TTL_SECONDS) : DEFAULT_TTL_SECONDS;
  const priority = request.formParams.priority === "normal" ? "normal" : "high";
  const strings: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v !== null && v !== undefined) { strings[k] = typeof v === "string" ? v : JSON.stringify(v); }
  }
  return { title, data: strings, devices, ttlSeconds, priority,
    collapseId: collapseId(request.webhookId, strings.alert_id) };
}

/**
 * The same for a delivery sent again (same webhook id, same alert), different for any other delivery;
 * 47 characters, within APNs' 64 bytes for apns-collapse-id.
 */
export function collapseId(webhookId: string | undefined, alertId: string): string | undefined {
  return webhookId ? `looker-${keyOf([webhookId, alertId], 40)}` : undefined;
}


/** data.id: a UUID, derived from the collapse id and the device when there is one, so a re-send repeats it. */
function messageId(notice: AlertNotice, device: Device): string {
  if (!notice.collapseId) { return crypto.randomUUID(); }
  const h = keyOf([notice.collapseId, device.deviceId]);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}` +
    `${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The FCM v1 `messages:send` body for one device. */
export function fcmMessage(notice: AlertNotice, device: Device, now = Date.now()): Record<string, unknown> {
  const dashboard = notice.data.dashboard_name;
  const collapse = notice.collapseId;
  return {
    message: {
      token: device.deviceId,
      notification: { title: notice.title, body: dashboard ? `On ${dashboard}` : "Open Looker to see it" },
      data: { ...notice.data, id: messageId(notice, device), user_id: device.userId },
      android: { priority: notice.priority, ttl: `${notice.ttlSeconds}s`,
        ...(collapse ? { collapse_key: collapse, notification: { tag: collapse } } : {}) },
      apns: {
        headers: {
          "apns-priority": notice.priority === "high" ? "10" : "5",
          "apns-expiration": String(Math.floor(now / 1000) + notice.ttlSeconds),
          ...(collapse ? { "apns-collapse-id": collapse } : {}),
        },
        payload: { aps: { "content-available": 1, "mutable-content": 1 } },
      },
    },
  };
}

/** A device as a person may see it in an answer: whose, and the token's last characters only. */
export function deviceLabel(device: Device): string {
  return `user ${device.userId}'s device …${device.deviceId.slice(-6)}`;
}

/** FCM's error (`error.status` and the FcmError `errorCode`) as a reason; `stopAll` for the hub's credentials. */
export function fcmReason(status: number, answer: any): { detail: string; stopAll?: boolean } {
  const details: any[] = Array.isArray(answer?.error?.details) ? answer.error.details : [];
  const code = String(details.find((d) => d && typeof d.errorCode === "string")?.errorCode ?? answer?.error?.status ?? "");
  const said = String(answer?.error?.message ?? "").replace(/\.$/, "").slice(0, 200);
  switch (code) {
    case "UNREGISTERED": return { detail: "the app was removed from the device or its token expired" };
    case "SENDER_ID_MISMATCH": return { detail: "the device belongs to another Firebase project" };
    case "INVALID_ARGUMENT": return { detail: `FCM refused the message${said ? ` (${said})` : ""}` };
    case "THIRD_PARTY_AUTH_ERROR":
      return { detail: "Apple refused the Firebase project's APNs key; check it in the Firebase console" };
    case "QUOTA_EXCEEDED": case "RESOURCE_EXHAUSTED":
      return { detail: "Firebase's sending quota was reached; try again later" };
    case "UNAUTHENTICATED":
      return { stopAll: true, detail: "Google refused the hub's Firebase credentials; ask the hub's admin to check " +
        "FIREBASE_CLIENT_EMAIL and FIREBASE_PRIVATE_KEY" };
    case "PERMISSION_DENIED":
      return { stopAll: true, detail: "the hub's Firebase service account may not send messages; ask the hub's admin " +
        "to grant it the Firebase Cloud Messaging API Admin role and check FIREBASE_PROJECT_ID" };
  }
  if (status === 404) { return { detail: "the app was removed from the device or its token expired" }; }
  return { detail: `Firebase answered HTTP ${status}${said ? `: ${said}` : ""}; try again later` };
}
