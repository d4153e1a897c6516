// The status mails of a training job, sent as the official hub sent them: to the `user_email`
// param, from `smtpFrom`, over the admin's SMTP server (`smtpHost`, `smtpPort`, `smtpUser`,
// `smtpPass`). Port 465 is TLS from the first byte; any other port must offer STARTTLS. The host is
// typed by an admin, so it passes the private-address guard. Nothing of a mail is logged.
import { UserError } from "../../lib/errors";
import type { Logger } from "../../lib/logger";
import { UrlGuard } from "../../lib/url_guard";
import { transportOptions } from "../../families/mail/smtp_target";

export interface MailSettings {
  host: string;
  port: number;
  from: string;
  to: string;
  user: string;
  pass: string;
}

export interface Mailer {
  guard: UrlGuard;
  timeoutMs: number;
  /** HTTP_TOTAL_TIMEOUT_SECONDS: the longest one conversation may take (nodemailer catches only silence). */
  totalTimeoutMs?: number;
  /** SMTP_CA_CERTIFICATE: a private CA to trust besides the system's. */
  caCertificate?: string;
}

export interface Mail {
  subject: string;
  text: string;
}

/** The SMTP settings of a request's params, or a UserError naming what is wrong. */
export function mailSettings(params: Record<string, string>): MailSettings {
  const port = Number((params.smtpPort ?? "").trim());
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(`The action's "SMTP Port" must be a port number such as 465 or 587; it is ` +
      `"${params.smtpPort ?? ""}". Ask your Looker admin to correct it.`);
  }
  const to = (params.user_email ?? "").trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(to)) {
    throw new UserError("The action's \"Looker User Email\" is not an email address: ask your Looker admin to bind " +
      "it to the user attribute 'Email'.");
  }
  return { host: (params.smtpHost ?? "").trim(), port, from: (params.smtpFrom ?? "").trim(), to,
    user: (params.smtpUser ?? "").trim(), pass: params.smtpPass ?? "" };
}

/** Sends one status mail; throws a UserError saying why it could not. */
export async function sendStatusMail(mailer: Mailer, settings: MailSettings, mail: Mail, logger: Logger):
  Promise<void> {
  const secure = settings.port === 465;
  try {
    await mailer.guard.checkHost(settings.host);
  } catch (err) {
    if (err instanceof UserError) {
      throw new UserError("The action's \"SMTP Host\" is an address this hub may not reach (a private or local " +
        "one). Ask your Looker admin to correct it, or the hub's admin to allow it (PRIVATE_URL_ALLOWLIST).");
    }
    throw err;
  }
  const nodemailer = await import("nodemailer");
  const options = await transportOptions(
    { url: "", trusted: false, caCertificate: mailer.caCertificate },
    { host: settings.host, port: settings.port, secure, requireTLS: !secure, ignoreTLS: false,
      user: settings.user || undefined, pass: settings.pass },
    { guard: mailer.guard, timeoutMs: mailer.timeoutMs });
  const transport = nodemailer.createTransport(options);
  try {
    // Its own deadline, not the delivery's signal: the mail goes after the answer, from the job's follower.
    await transport.sendMail({ from: settings.from, to: settings.to, subject: mail.subject, text: mail.text,
      signal: AbortSignal.timeout(mailer.totalTimeoutMs ?? 900_000) });
    logger.info("sagemaker status mail sent");
  } catch (err) {
    const code = String((err as { code?: string; responseCode?: number }).code ?? "");
    // No host or address here: the message is logged, and the host is a value an admin typed.
    throw new UserError(`The SageMaker status mail could not be sent through the action's SMTP server` +
      `${code ? ` (${code})` : ""}. Ask your Looker admin to check the action's SMTP settings.`);
  } finally {
    transport.close();
  }
}
