// Twilio's Messages resource: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP
// Basic auth and a form body (To, From or MessagingServiceSid, Body), answering 201 with the
// message resource or Twilio's error body `{code, message, more_info, status}`. `To` is E.164 or,
// as Twilio also accepts, an unformatted US number (`2125551234`, `12125551234`), which Twilio
// stores as E.164; anything else is 21211.
import { HttpReceiver, Received, Reply } from "./http_receiver";

export const TWILIO_SID = "AC0123456789abcdef0123456789abcdef";
export const TWILIO_TOKEN = "twilio-auth-token-secret-42";
export const TWILIO_FROM = "+15005550006";

export class TwilioFake extends HttpReceiver {
  /** Numbers a trial account has not verified (error 21608). */
  unverified = new Set<string>();
  /** Numbers that replied STOP (error 21610). */
  blocked = new Set<string>();
  private count = 0;

  constructor() {
    super();
    this.handler = (r) => this.route(r);
  }

  /** Fetch an Account: the account, for its own SID and Auth Token. */
  private fetchAccount(r: Received, sid: string): Reply {
    const auth = Buffer.from(String(r.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
    if (auth !== `${TWILIO_SID}:${TWILIO_TOKEN}`) { return error(401, 20003, "Authenticate"); }
    if (sid !== TWILIO_SID) { return error(404, 20404, "The requested resource was not found"); }
    return { status: 200, headers: { "content-type": "application/json" },
      body: JSON.stringify({ sid, friendly_name: "Looker hub", status: "active", type: "Full" }) };
  }

  /** The messages Twilio accepted: To, From, Body. */
  get sent(): Array<Record<string, string>> {
    return this.accepted;
  }
  private accepted: Array<Record<string, string>> = [];

  private route(r: Received): Reply {
    const account = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/.exec(r.path);
    if (account && r.method === "GET") { return this.fetchAccount(r, account[1]); }
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(r.path);
    if (r.method !== "POST" || !match) { return error(404, 20404, "The requested resource was not found"); }
    const auth = Buffer.from(String(r.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
    if (auth !== `${TWILIO_SID}:${TWILIO_TOKEN}`) { return error(401, 20003, "Authenticate"); }
    if (match[1] !== TWILIO_SID) { return error(404, 20404, "The requested resource was not found"); }
    if (r.headers["content-type"] !== "application/x-www-form-urlencoded") {
      return error(400, 21601, "Content-Type must be application/x-www-form-urlencoded");
    }
    const form = Object.fromEntries(new URLSearchParams(r.body.toString("utf8")));
    if (!form.From && !form.MessagingServiceSid) { return error(400, 21603, "A 'From' phone number is required."); }
    if (form.From && form.From !== TWILIO_FROM) {
      return error(400, 21606, `The From phone number ${form.From} is not a valid, SMS-capable inbound phone number ` +
        "or short code for your account.");
    }
    const to = asE164(form.To ?? "");
    if (!to) { return error(400, 21211, `The 'To' number ${form.To} is not a valid phone number.`); }
    if (this.unverified.has(to)) {
      return error(400, 21608, `The number ${to} is unverified. Trial accounts cannot send messages to ` +
        "unverified numbers; verify it at twilio.com/user/account/phone-numbers/verified, or purchase a Twilio " +
        "number.");
    }
    if (this.blocked.has(to)) { return error(400, 21610, "Attempt to send to unsubscribed recipient"); }
    if ((form.Body ?? "").length > 1600) { return error(400, 21617, "The concatenated message body exceeds the 1600 character limit."); }
    this.accepted.push({ To: form.To, From: form.From ?? form.MessagingServiceSid, Body: form.Body });
    const sid = `SM${String(++this.count).padStart(32, "0")}`;
    return { status: 201, headers: { "content-type": "application/json" }, body: JSON.stringify({
      sid, account_sid: TWILIO_SID, to, from: form.From, body: form.Body, status: "queued" }) };
  }
}

/** What Twilio makes of a `To`: E.164 as it is, an unformatted US number with +1. */
function asE164(raw: string): string | undefined {
  if (/^\+[1-9]\d{6,14}$/.test(raw)) { return raw; }
  const digits = raw.replace(/[\s().-]/g, "");
  if (/^[2-9]\d{9}$/.test(digits)) { return `+1${digits}`; }
  if (/^1[2-9]\d{9}$/.test(digits)) { return `+${digits}`; }
  return undefined;
}

function error(status: number, code: number, message: string): Reply {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify({
    code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }) };
}
