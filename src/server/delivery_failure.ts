// A failed delivery, made findable: the message Looker shows (and emails to the schedule's
// owner) ends with a short reference, and one log line carries the same reference with the
// message, the integration, the request id and Looker's webhook id. An admin told "(ref
// 1a2b3c4d)" searches the logs for it. The message holds no secrets or row data (integrations
// write it for the user), so it may be logged; nothing else of the request is.
import { Logger } from "../lib/logger";

export interface FailureContext {
  requestId: string;
  webhookId?: string;
  integration: string;
  /** Logged instead of the message when the message holds row values (ActionResponse.logMessage). */
  logMessage?: string;
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
    ref, userMessage: context.logMessage ? withRef(context.logMessage, ref) : message,
    integration: context.integration, requestId: context.requestId,
    webhookId: context.webhookId, ...details,
  });
  return { ...body, looker: { ...looker, message } };
}
