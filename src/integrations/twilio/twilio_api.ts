// Twilio's Messages resource (REST API 2010-04-01), shared by `twilio` and `twilio_message`:
// the admin params, what cannot be a number refused before anything is sent (the rest is Twilio's
// to judge, as the official hub left it), one message per distinct number, and Twilio's error
// codes as reasons a person can act on.
import { ActionRequest } from "../../hub/action_request";
import { DownloadSetting, iconBeside, Integration, Param } from "../../hub/integration";
import { Attempt, outcomesResponse, TargetOutcome, tryEach } from "../../hub/target_outcomes";
import { ActionResponse } from "../../hub/action_response";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { requestJson } from "../../lib/vendor_json";

export const TWILIO_PARAMS: Param[] = [{
  name: "accountSid", label: "Account SID",
  description: "Your Twilio Account SID (starts with AC), from the Twilio Console's Account Info.",
  required: true, sensitive: false,
}, {
  name: "authToken", label: "Auth Token",
  description: "The Auth Token shown beside the Account SID in the Twilio Console.",
  required: true, sensitive: true,
}, {
  name: "from", label: "From",
  description: "A Twilio phone number of the account (+15551234567), or a Messaging Service SID (MG...).",
  required: true, sensitive: false,
}];

/** Twilio's longest message body. */
export const MAX_BODY = 1600;
/** Twilio queues messages per sender; a few requests at a time keeps clear of its API's concurrency limit. */
const CONCURRENCY = 4;

const WORDING = {
  done: (t: string) => `Sent ${t}`, doneOne: (t: string) => `Sent the message to ${t}`,
  verb: "send", verbOne: "send the message to", noun: "message", where: " through Twilio",
};

/**
 * The address to give Twilio's `To` or `From` for what was typed, or undefined when it cannot be
 * a phone number: spaces, dots, dashes and brackets removed, an optional +, 4 to 15 digits
 * (Twilio takes E.164 and also unformatted numbers, `12122222222`, and judges them itself), or
 * a channel address (`whatsapp:+15551234567`) as typed.
 */
export function twilioAddress(raw: string): string | undefined {
  const typed = raw.trim();
  if (/^[a-z][a-z-]*:\S+$/i.test(typed)) { return typed; }
  const compact = typed.replace(/[\s().\-\u00a0]/g, "");
  return /^\+?\d{4,15}$/.test(compact) ? compact : undefined;
}

/** Numbers typed in a form: separated by commas, semicolons or new lines. */
export function splitNumbers(text: string): string[] {
  return text.split(/[,;\n]+/).map((s) => s.trim()).filter(Boolean);
}

export interface TwilioAccount {
  sid: string;
  token: string;
  from: string;
}

export function twilioAccount(request: ActionRequest): TwilioAccount {
  const sid = request.params.accountSid.trim();
  if (!/^AC[0-9a-f]{32}$/i.test(sid)) {
    throw new UserError("The Twilio Account SID is not one: it starts with AC and has 34 characters. Ask your " +
      "Looker admin to copy it from the Twilio Console.");
  }
  const from = request.params.from.trim();
  const isService = /^MG[0-9a-f]{32}$/i.test(from);
  const address = twilioAddress(from);
  if (!isService && !address && !/^[A-Za-z0-9 ]{1,11}$/.test(from)) {
    throw new UserError("The Twilio \"From\" setting is neither a phone number (+15551234567), a Messaging " +
      "Service SID (MG...) nor an alphanumeric sender ID.");
  }
  return { sid, token: request.params.authToken.trim(), from: isService ? from : (address ?? from) };
}

/** Twilio's error codes, as reasons; `stopAll` for those about the account rather than the number. */
function reason(status: number, answer: any): { detail: string; stopAll?: boolean } {
  const code = Number(answer?.code);
  const said = typeof answer?.message === "string" ? answer.message.replace(/\.$/, "").slice(0, 200) : "";
  switch (code) {
    case 21211: return { detail: "invalid number: Twilio could not read it; use E.164 form (+15551234567)" };
    case 21614: return { detail: "not a mobile number" };
    case 21608: case 21219:
      return { detail: "unverified number: a Twilio trial account sends only to numbers verified in the Console" };
    case 21610: return { detail: "blocked: the recipient replied STOP to this sender" };
    case 21612: return { detail: "cannot be reached by SMS from this sender" };
    case 21408: return { detail: "SMS to this country is not enabled in the Twilio account's Geo Permissions" };
    case 20003:
      return { detail: "Twilio refused the Account SID and Auth Token; ask your Looker admin to check them",
        stopAll: true };
    case 20404:
      return { detail: "Twilio knows no account with this Account SID; ask your Looker admin to check it",
        stopAll: true };
    case 21606: case 21212: case 21659: case 21660: case 21703: case 21704:
      // Twilio's words here quote the number; the reason stands without them.
      return { detail: "Twilio will not send from the \"From\" setting: it is not an SMS-capable number or " +
        "Messaging Service of this account; ask your Looker admin to set one", stopAll: true };
  }
  if (status === 401) { return { detail: "Twilio refused the Account SID and Auth Token", stopAll: true }; }
  const codeText = code ? ` (error ${code})` : "";
  return { detail: `Twilio answered HTTP ${status}${codeText}${said ? `: ${said}` : ""}` };
}

export class TwilioMessages {
  constructor(private readonly http: HttpClient, private readonly apiUrl: string) {}

  /** The account, read with Twilio's Fetch an Account (a GET, which sends nothing); a refusal in words. */
  async checkAccount(request: ActionRequest): Promise<void> {
    const account = twilioAccount(request);
    const result = await requestJson(this.http, {
      url: `${this.apiUrl}2010-04-01/Accounts/${encodeURIComponent(account.sid)}.json`, trusted: true, who: "Twilio",
      logger: request.logger,
      headers: { authorization: `Basic ${Buffer.from(`${account.sid}:${account.token}`).toString("base64")}` },
    });
    if (result.unavailable) { throw new UserError("Twilio did not answer; try again later."); }
    if (result.status >= 300) { throw new UserError(`${reason(result.status, result.answer).detail}.`); }
  }

  private async sendOne(request: ActionRequest, account: TwilioAccount, to: string, body: string): Promise<Attempt> {
    const form = new URLSearchParams({ To: to, Body: body });
    form.set(account.from.startsWith("MG") ? "MessagingServiceSid" : "From", account.from);
    const result = await requestJson(this.http, {
      url: `${this.apiUrl}2010-04-01/Accounts/${encodeURIComponent(account.sid)}/Messages.json`, method: "POST",
      trusted: true, who: "Twilio", logger: request.logger, body: form.toString(),
      headers: {
        "authorization": `Basic ${Buffer.from(`${account.sid}:${account.token}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
    });
    if (result.unavailable) {
      return { target: to, ok: false, detail: result.unavailable === "rate_limited"
        ? "Twilio's rate limit was reached; try again in a minute" : "Twilio did not answer; try again later" };
    }
    if (result.status >= 300) {
      return { target: to, ok: false, ...reason(result.status, result.answer) };
    }
    // Twilio answers 201 with the message's SID; anything else is no proof the message was queued.
    return typeof result.answer?.sid === "string" ? { target: to, ok: true } : { target: to, ok: false,
      detail: `Twilio answered HTTP ${result.status} without a message ID; check the Twilio Console's ` +
        "message log before sending again" };
  }

  /**
   * Sends `body` once to each distinct number; invalid numbers are counted and named without a
   * call. Answers with a sentence for one number and counts for several.
   */
  async sendToAll(request: ActionRequest, numbers: string[], body: string, note = ""): Promise<ActionResponse> {
    const account = twilioAccount(request);
    const targets = new Map<string, string | undefined>();
    for (const raw of numbers) {
      const valid = twilioAddress(raw);
      const key = valid ?? raw.trim();
      if (!targets.has(key)) { targets.set(key, valid); }
    }
    const outcomes: TargetOutcome[] = await tryEach([...targets], CONCURRENCY, ([key]) => key,
      async ([key, valid]): Promise<Attempt> => valid
        ? this.sendOne(request, account, valid, body)
        : { target: key, ok: false, detail: "not a phone number: use E.164 form, + and the country code " +
          "(+15551234567)" });
    request.logger.info("twilio messages sent", {
      messages: outcomes.length, failed: outcomes.filter((o) => !o.ok).length,
    });
    return outcomesResponse(outcomes, WORDING, note);
  }
}

/** What both Twilio actions declare and hold: the account params, the icon, the message sender. */
export abstract class TwilioAction extends Integration {
  readonly icon = iconBeside(__dirname, "twilio.svg");
  readonly params: Param[] = TWILIO_PARAMS;
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  protected readonly messages: TwilioMessages;

  constructor(http: HttpClient, apiUrl: string) {
    super();
    this.messages = new TwilioMessages(http, apiUrl);
  }

  readonly dryRunChecks = "the settings and the form's values; the Account SID and Auth Token, read with Twilio's " +
    "Fetch an Account (a GET, which sends nothing: refused credentials fail the dry run); and the data Looker sent " +
    "(bytes, rows, the first row with its values masked)";

  /** The account's credentials, read with a GET; no message is sent. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    await this.messages.checkAccount(request);
    return "Twilio took the Account SID and Auth Token (Fetch an Account)";
  }
}
