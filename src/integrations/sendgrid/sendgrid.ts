// SendGrid's v3 mail/send: Looks and dashboards as attachments (base64 in the JSON body, streamed
// from the spooled file), the first rows in the body, and past the attachment limit (at most
// SendGrid's 30 MB per message) an expiring link. Named as the official hub's `sendgrid`, with
// its param and form fields, so schedules move over.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { HttpUnavailableError } from "../../lib/http_errors";
import { MailAddress, parseSender } from "../../families/mail/mail_addresses";
import { mailContent } from "../../families/mail/mail_content";
import { MailServices, prepareMailFile } from "../../families/mail/mail_file";
import { FILENAME_FIELD, PREVIEW_ROWS, readHeaders, sentMessage } from "../../families/mail/mail_message";
import { base64Length, mailSendBody } from "./sendgrid_body";
import { explainSendgridAnswer, sendgridUnavailable } from "./sendgrid_errors";

/** The sender of the official hub's SendGrid emails when the form names none. */
const OFFICIAL_SENDER = "Looker <noreply@lookermail.com>";

/** SendGrid's limit for one message, attachments (base64) included. */
export const SENDGRID_MAX_MESSAGE_BYTES = 30 * 1024 * 1024;
/** Room kept for the JSON, addresses and bodies beside the attachment. */
const MESSAGE_ROOM = 512 * 1024;

/** The largest file SendGrid can carry once base64-encoded, under the hub's own limit. */
export function sendgridAttachmentLimit(configured: number): number {
  let raw = Math.floor((SENDGRID_MAX_MESSAGE_BYTES - MESSAGE_ROOM) / 4) * 3;
  while (base64Length(raw) > SENDGRID_MAX_MESSAGE_BYTES - MESSAGE_ROOM) { raw -= 3; }
  return Math.min(configured, raw);
}

export interface SendgridOptions extends MailServices {
  http: HttpClient;
}

export class SendgridIntegration extends FileIntegration {
  readonly name = "sendgrid";
  readonly label = "SendGrid";
  readonly description = "Email Looks and dashboards through SendGrid, with the first rows in the message.";
  readonly icon = iconBeside(__dirname, "sendgrid.svg");
  readonly params: Param[] = [{
    name: "sendgrid_api_key", label: "SendGrid API Key", required: true, sensitive: true,
    description: "An API key with the Mail Send permission (SendGrid: Settings > API Keys). Senders must be " +
      "verified in SendGrid (Settings > Sender Authentication).",
  }];

  constructor(private readonly options: SendgridOptions) { super(); }

  async form(_request?: ActionRequest): Promise<ActionForm> {
    return new ActionForm([
      { name: "to", label: "To Email Address", type: "string", required: true,
        description: "Email addresses, separated by commas." },
      { name: "from", label: "From Email Address", type: "string", required: false,
        description: "A sender verified in your SendGrid account, e.g. Reports <reports@example.com>. Default: " +
          "Looker <noreply@lookermail.com>, which SendGrid sends only if your account verified it." },
      FILENAME_FIELD,
      { name: "subject", label: "Subject", type: "string", required: false,
        description: "Default: the title of the Look or dashboard." },
    ]);
  }

  /** Looker's connection test from the admin page has no form values to check. */
  async validationForm(request: ActionRequest): Promise<ActionForm> {
    return request.isTest ? new ActionForm() : this.form(request);
  }

  readonly dryRunChecks = "the API key, read as Looker's connection test reads it (GET /v3/scopes: the key works " +
    "and may send mail); the From and the form's addresses; and the data Looker sent (bytes, rows, the first row " +
    "with its values masked)";

  /** The key, tried with the connection test's read; the sender and addresses checked. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    const key = this.key(request);
    readHeaders(request, false);
    this.sender(request);
    await this.connectionTest(request, key);
    return "SendGrid took the API key and it may send mail (GET /v3/scopes)";
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const key = this.key(request);
    if (request.isTest) { return this.connectionTest(request, key); }
    const headers = readHeaders(request, false);
    const from = this.sender(request);
    const prepared = await prepareMailFile(request, {
      maxAttachmentBytes: sendgridAttachmentLimit(this.options.settings.maxAttachmentBytes),
      linkStore: this.options.linkStore, spoolDir: this.options.spoolDir, previewRows: PREVIEW_ROWS,
      what: "a SendGrid email",
    });
    try {
      const content = mailContent(request, { preview: prepared.preview, file: prepared.file });
      const message = {
        personalizations: [{ to: headers.to.map(address) }],
        from: address(from),
        subject: headers.subject,
        content: [{ type: "text/plain", value: content.text }, { type: "text/html", value: content.html }],
      };
      const file = prepared.file;
      const body = mailSendBody(message, file.kind === "attached"
        ? { file: file.body, filename: file.name, type: file.contentType } : undefined);
      const response = await this.call(request, key, "v3/mail/send", { method: "POST", body });
      if (response.status !== 202 && response.status !== 200) { throw explainSendgridAnswer(response, from.email); }
      request.logger.info("sendgrid email sent", { bytes: file.kind === "none" ? 0 : file.size });
      return ActionResponse.ok(sentMessage(request, headers, file, " through SendGrid"));
    } finally {
      await prepared.dispose();
    }
  }

  private key(request: ActionRequest): string {
    const key = (request.params.sendgrid_api_key ?? "").trim();
    if (!/^[\x21-\x7e]+$/.test(key)) {
      throw new UserError("The SendGrid API Key of the SendGrid action has spaces or characters an API key " +
        "cannot have. Ask your Looker admin to paste it again.");
    }
    return key;
  }

  /**
   * The form's From, else the official hub's default sender, so a schedule saved without one asks
   * SendGrid just as before (SendGrid refuses a sender the account has not verified, and the
   * answer then says to type one).
   */
  private sender(request: ActionRequest): MailAddress {
    const raw = (request.formParams.from ?? "").trim();
    return parseSender(raw || OFFICIAL_SENDER, "From", "from");
  }

  private async connectionTest(request: ActionRequest, key: string): Promise<ActionResponse> {
    const response = await this.call(request, key, "v3/scopes", { method: "GET" });
    if (response.status !== 200) { throw explainSendgridAnswer(response, ""); }
    const scopes: unknown = (() => { try { return response.json()?.scopes; } catch { return undefined; } })();
    if (Array.isArray(scopes) && !scopes.includes("mail.send")) {
      throw new UserError("The SendGrid API key works but lacks the Mail Send permission. Give it Mail Send " +
        "under Settings > API Keys in SendGrid.");
    }
    return ActionResponse.ok("Connected to SendGrid; the API key may send email.");
  }

  private async call(request: ActionRequest, key: string, path: string, init: { method: string; body?: any }) {
    try {
      return await this.options.http.request({
        url: new URL(path, this.options.settings.sendgridApiUrl), trusted: true, who: "SendGrid",
        method: init.method, body: init.body, logger: request.logger,
        headers: { "authorization": `Bearer ${key}`, ...(init.body ? { "content-type": "application/json" } : {}) },
        // 4xx answers are SendGrid's word on this email, explained below; 429 and 5xx are retried.
        acceptStatus: (s) => s < 500 && s !== 429 && s !== 408,
      });
    } catch (err) {
      if (err instanceof HttpUnavailableError) { throw sendgridUnavailable(err.failure.status); }
      throw err;
    }
  }
}

function address(a: MailAddress): Record<string, string> {
  return a.name ? { email: a.email, name: a.name } : { email: a.email };
}
