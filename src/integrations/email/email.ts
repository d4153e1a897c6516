// Email through the organisation's own SMTP relay (nodemailer): Looks and dashboards as
// attachments (or, past the attachment limit, as an expiring link), the first rows in the
// body, cells as their value. The relay is the admin's smtp_url or the hub-wide SMTP_URL;
// TLS is required and verified. Not in the official hub, whose only email action is SendGrid.
import type { Transporter } from "nodemailer";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  ALL_FORMATS, DownloadSetting, Format, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { onAbort } from "../../lib/abort_scope";
import { Deadline, deadline } from "../../lib/deadline";
import { UserError } from "../../lib/errors";
import { UrlGuard } from "../../lib/url_guard";
import { formatAddress, parseSender } from "../../families/mail/mail_addresses";
import { mailContent } from "../../families/mail/mail_content";
import { MailFile, MailServices, prepareMailFile } from "../../families/mail/mail_file";
import { FILENAME_FIELD, MailHeaders, PREVIEW_ROWS, readHeaders, sentMessage } from "../../families/mail/mail_message";
import { attachmentPart } from "./mime_attachment";
import { explainSmtpError, SmtpErrorContext } from "../../families/mail/smtp_errors";
import { describeSmtp, parseSmtpUrl, SmtpConnection, SmtpTarget, transportOptions } from "../../families/mail/smtp_target";

export interface EmailOptions extends MailServices {
  /** The hub's private-address guard (with PRIVATE_URL_ALLOWLIST), for the admin's relay host. */
  guard: UrlGuard;
}

export class EmailIntegration extends Integration {
  readonly name = "email";
  readonly label = "Email (SMTP)";
  readonly description = "Email Looks and dashboards as attachments, with the first rows in the message, " +
    "through your organisation's SMTP server.";
  readonly icon = iconBeside(__dirname, "email.svg");
  readonly params: Param[] = [
    { name: "smtp_url", label: "SMTP URL", required: false, sensitive: true,
      description: "Your relay, e.g. smtps://user:password@smtp.example.com (TLS, port 465) or " +
        "smtp://user:password@smtp.example.com:587 (STARTTLS required). Percent-encode special characters " +
        "in the password. Leave empty to use the integration service's SMTP_URL." },
    { name: "from", label: "From", required: false, sensitive: false,
      description: "The sender, e.g. Looker Reports <reports@example.com>; the relay must allow it. Leave empty " +
        "to use the integration service's EMAIL_FROM." },
    { name: "smtp_ca_certificate", label: "SMTP CA Certificate", required: false, sensitive: false,
      description: "Only for a relay with a certificate from a private CA: that CA's certificate in PEM " +
        "(-----BEGIN CERTIFICATE-----...). Certificates are always verified." },
  ];
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard", "cell"];
  readonly supportedFormats: Format[] = [...ALL_FORMATS];
  readonly supportedFormattings: Formatting[] = ["formatted", "unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["apply", "noapply"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  constructor(private readonly options: EmailOptions) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    const fields: FormField[] = [
      { name: "to", label: "To", type: "string", required: true,
        description: "Email addresses, separated by commas." },
      { name: "cc", label: "Cc", type: "string", required: false,
        description: "More addresses, separated by commas." },
      { name: "subject", label: "Subject", type: "string", required: false,
        description: "Default: the title of the Look or dashboard." },
    ];
    if (request.type !== "cell") {
      fields.push(FILENAME_FIELD);
    }
    fields.push({ name: "message", label: "Message", type: "textarea", required: false,
      description: "Text above the results." });
    return new ActionForm(fields);
  }

  /** Looker's connection test from the admin page has no form values to check. */
  async validationForm(request: ActionRequest): Promise<ActionForm> {
    return request.isTest ? new ActionForm() : this.form(request);
  }

  readonly dryRunChecks = "the relay: it connects, greets (EHLO), starts TLS and logs in (AUTH) as a delivery " +
    "would, then quits before any MAIL FROM (nodemailer's verify, as Looker's connection test); the From and the " +
    "form's addresses; and the data Looker sent (bytes, rows, the first row with its values masked)";

  /** The relay's login, tried as the connection test tries it; the sender and addresses, checked. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    this.sender(request);
    readHeaders(request, true);
    return this.conversation(request, async (transport, limit, context) => {
      await bounded(transport.verify(), limit).catch((err) => { throw explainSmtpError(err, context); });
      return `the SMTP server ${context.server} took the connection and the login (no MAIL FROM was sent)`;
    });
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    return this.conversation(request, async (transport, limit, context, connection) => {
      if (request.isTest) {
        // verify() takes no signal: the answer goes at the deadline (the relay's socket ends with its silence).
        await bounded(transport.verify(), limit).catch((err) => { throw explainSmtpError(err, context); });
        return ActionResponse.ok(`Connected to the SMTP server ${context.server}.`);
      }
      const from = this.sender(request);
      const headers = readHeaders(request, true);
      const prepared = await prepareMailFile(request, {
        maxAttachmentBytes: this.options.settings.maxAttachmentBytes, linkStore: this.options.linkStore,
        spoolDir: this.options.spoolDir, previewRows: PREVIEW_ROWS,
      });
      try {
        const content = mailContent(request, {
          message: request.formParams.message, preview: prepared.preview, file: prepared.file,
        });
        const info = await transport.sendMail({
          from: formatAddress(from), to: headers.to.map(formatAddress), cc: headers.cc.map(formatAddress),
          subject: headers.subject, text: content.text, html: content.html,
          attachments: await attachments(prepared.file), signal: limit.signal,
        }).catch((err) => { throw explainSmtpError(err, context); });
        refuseIfPartlyRejected(info.rejected, headers, connection);
        request.logger.info("email sent", { bytes: prepared.file.kind === "none" ? 0 : prepared.file.size });
        return ActionResponse.ok(sentMessage(request, headers, prepared.file, ""));
      } finally {
        await prepared.dispose();
      }
    });
  }

  /** One conversation with the relay, within its deadline; the transport is closed after `work`. */
  private async conversation<T>(request: ActionRequest, work: (transport: Transporter, limit: Deadline,
    context: SmtpErrorContext, connection: SmtpConnection) => Promise<T>): Promise<T> {
    const target = this.target(request);
    const connection = parseSmtpUrl(target.url);
    const timeoutMs = this.options.settings.smtpTimeoutMs;
    // Loaded on first use: most hubs never send email, and start-up time counts (docs: ready in ~0.25 s).
    const nodemailer = await import("nodemailer");
    const transport = nodemailer.createTransport(
      await transportOptions(target, connection, { guard: this.options.guard, timeoutMs }));
    const totalMs = this.options.settings.smtpTotalTimeoutMs;
    const context = { server: describeSmtp(connection), timeoutSeconds: Math.round(timeoutMs / 1000),
      totalSeconds: Math.round(totalMs / 1000), secure: connection.secure };
    // The whole conversation has a deadline: nodemailer's own timeouts catch only silence, and a relay
    // answering a byte a second is never silent. The deadline also ends with the delivery (Looker gone).
    const limit = deadline(totalMs);
    try {
      return await work(transport, limit, context, connection);
    } finally {
      limit.clear();
      transport.close();
    }
  }

  /** The relay: the admin's smtp_url (guarded) or the hub's SMTP_URL (trusted). */
  private target(request: ActionRequest): SmtpTarget {
    const typed = (request.params.smtp_url ?? "").trim();
    const ca = (request.params.smtp_ca_certificate ?? "").trim();
    if (ca && !/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(ca)) {
      throw new UserError("The SMTP CA Certificate of the Email action is not a PEM certificate " +
        "(-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----). Ask your Looker admin to paste it again.");
    }
    if (typed) { return { url: typed, caCertificate: ca || undefined, trusted: false }; }
    const hub = this.options.settings.smtpUrl;
    if (!hub) {
      throw new UserError("Email is not set up: the SMTP URL is missing. Ask your Looker admin to fill it in " +
        "under Admin > Platform > Actions > Email (SMTP), or to set SMTP_URL on the integration service.");
    }
    return { url: hub, caCertificate: ca || this.options.settings.smtpCaCertificate, trusted: true };
  }

  private sender(request: ActionRequest) {
    const typed = (request.params.from ?? "").trim();
    const raw = typed || this.options.settings.from;
    if (!raw) {
      throw new UserError("Email is not set up: the From address is missing. Ask your Looker admin to fill it " +
        "in under Admin > Platform > Actions > Email (SMTP), or to set EMAIL_FROM on the integration service.");
    }
    return parseSender(raw, typed ? "The Email action's From setting" : "EMAIL_FROM", "from");
  }
}

async function attachments(file: MailFile) {
  if (file.kind !== "attached") { return []; }
  return [{ raw: await attachmentPart(file) }];
}

/** Some recipients refused while others got it: not a success, and the message says who. */
function refuseIfPartlyRejected(rejected: unknown, headers: MailHeaders, connection: SmtpConnection): void {
  const list = Array.isArray(rejected) ? rejected.map(String) : [];
  if (!list.length) { return; }
  const got = [...headers.to, ...headers.cc].map((a) => a.email).filter((e) => !list.includes(e));
  throw new UserError(`The SMTP server ${describeSmtp(connection)} refused ${list.join(", ")}; the email went ` +
    `only to ${got.join(", ")}. Check the refused addresses.`);
}

/** `work`, or the deadline's reason as soon as it passes (for calls that take no signal). */
function bounded<T>(work: Promise<T>, limit: Deadline): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(limit.signal, reject);
    work.then(resolve, reject).finally(stop);
  });
}
