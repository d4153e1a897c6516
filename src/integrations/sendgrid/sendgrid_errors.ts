// SendGrid's answers in words for the Looker user. SendGrid answers errors as
// {"errors": [{"message", "field", "help"}]}; the common ones get a message that says what to do.
import { RetryableError, UserError } from "../../lib/errors";
import { HttpResponse } from "../../lib/http_client";
import { cleanReply } from "../../families/mail/smtp_errors";

/** The `errors[].message` texts of a SendGrid answer, joined; empty when it has none. */
export function sendgridErrorText(response: HttpResponse): string {
  try {
    const parsed = response.json();
    const errors = Array.isArray(parsed?.errors) ? parsed.errors : [];
    const texts = errors.map((e: any) => [e?.field ? `${e.field}: ` : "", typeof e?.message === "string" ? e.message : ""]
      .join("")).filter((t: string) => t.trim());
    return cleanReply(texts.join("; "));
  } catch {
    return cleanReply(response.text().slice(0, 400));
  }
}

/** The error for an answer other than 202. */
export function explainSendgridAnswer(response: HttpResponse, from: string): Error {
  const text = sendgridErrorText(response);
  const said = text ? ` ("${text}")` : "";
  switch (response.status) {
    case 401:
      return new UserError(`SendGrid refused the API key${said}. Ask your Looker admin to check the SendGrid ` +
        "API Key of the SendGrid action: it may be mistyped, revoked or deleted.");
    case 403:
      if (/sender identity|verified sender|from address/i.test(text)) {
        return new UserError(`SendGrid refused the sender ${from}: it is not a verified Sender Identity. Verify ` +
          "it in SendGrid (Settings > Sender Authentication: a single sender or the whole domain), or type a " +
          "From address that is verified.", { from: "Not a verified SendGrid sender." });
      }
      return new UserError(`SendGrid refused to send${said}. The API key needs the Mail Send permission ` +
        "(Settings > API Keys in SendGrid); ask your Looker admin to check it.");
    case 413:
      return new UserError("SendGrid refused the email as too large (its limit is 30 MB for the whole message, " +
        "attachments included). Filter the report to fewer rows or choose a smaller format.");
    case 400:
      return new UserError(`SendGrid refused the email${said}. Check the form's addresses and subject.`);
    default:
      return new UserError(`SendGrid answered HTTP ${response.status}${said}.`);
  }
}

/** Retries ran out (429, 5xx, network): may succeed later. */
export function sendgridUnavailable(status: number | undefined): RetryableError {
  if (status === 429) {
    return new RetryableError("SendGrid is rate limiting this API key (HTTP 429) and did not accept the email " +
      "after several tries. Try again later, or spread out the schedules that send through it.");
  }
  const what = status ? `answered HTTP ${status}` : "could not be reached";
  return new RetryableError(`SendGrid ${what} after several tries, so the email was not sent. It may be down; ` +
    "try again later.");
}
