// A failed delivery, made findable: the message Looker shows (and emails to the schedule's
// owner) ends with a short reference, and one log line carries the same reference with the
// message, the integration, the request id and Looker's webhook id. An admin told "(ref
// 1a2b3c4d)" searches the logs for it. The message holds no secrets or row data (integrations
// write it for the user), so it may be logged; nothing else of the request is. It may name
// what the user typed ("no bucket named 'q3-reports'"), which helps the user but is theirs:
// the logged copy has every typed param and form value replaced (scrubTyped), and a vendor's own
// words, which the message may quote, too (redactVendorText).
import { redactVendorText } from "../lib/http_errors";
import { Logger } from "../lib/logger";

export interface FailureContext {
  requestId: string;
  webhookId?: string;
  integration: string;
  /** Logged instead of the message when the message holds row values (ActionResponse.logMessage). */
  logMessage?: string;
  /** The values typed into the request's params and form (typedValues): never logged. */
  typed?: string[];
}

const SCRUBBED = "[typed value]";

/** A choice's value ("create", "internal", "true"): one of the hub's own words, not the user's. */
const HUB_WORD = /^[a-z_]{1,11}$/;

/**
 * The string values of a request's params and form fields, longest first, but for those of under
 * 3 characters and the hub's own words of select fields, which scrubbing would only garble.
 */
export function typedValues(request: { params: Record<string, string>; formParams: Record<string, string> }):
    string[] {
  const values = new Set<string>();
  for (const record of [request.params, request.formParams]) {
    for (const key of Object.keys(record)) {
      const value = record[key];
      const text = typeof value === "string" ? value.trim() : "";
      if (text.length >= 3 && !HUB_WORD.test(text)) { values.add(text); }
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** The message with every typed value in it replaced. */
export function scrubTyped(message: string, typed: string[] = []): string {
  let text = message;
  for (const value of typed) { text = text.split(value).join(SCRUBBED); }
  return text;
}

/** The reference of a request: the first 8 hex digits of its id. */
export function failureRef(requestId: string): string {
  return requestId.replace(/[^0-9a-f]/gi, "").slice(0, 8).toLowerCase() || "unknown";
}

/** The user's message with the reference at its end. */
export function withRef(message: string | undefined, ref: string): string {
  const text = (message ?? "").trim() || "The delivery failed.";
  return `${text} (ref ${ref})`;
}

/**
 * Puts the reference at the end of a failed execute answer's `looker.message` and logs the one
 * line that it finds. Answers other than failures pass through unchanged.
 */
export function markFailure(body: Record<string, any>, logger: Logger, context: FailureContext,
                            details: Record<string, unknown> = {}): Record<string, any> {
  const looker = body.looker;
  if (!looker || looker.success !== false) { return body; }
  const ref = failureRef(context.requestId);
  const message = withRef(looker.message, ref);
  logger.warn("delivery failed", {
    ref, userMessage: redactVendorText(
      scrubTyped(context.logMessage ? withRef(context.logMessage, ref) : message, context.typed)),
    integration: context.integration, requestId: context.requestId,
    webhookId: context.webhookId, ...details,
  });
  return { ...body, looker: { ...looker, message } };
}
