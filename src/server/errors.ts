// Maps errors to Action API answers. Nothing here ever sends a stack trace or an HTML page:
// internal details go to the log with the request id, the person gets a generic message.
import { NextFunction, Request, Response } from "express";
import { ActionForm } from "../hub/action_form";
import { ActionResponse } from "../hub/action_response";
import { BadRequestError, HubError, NotFoundError, PayloadTooLargeError, UserError } from "../lib/errors";
import { Logger } from "../lib/logger";
import { sendJson } from "./keepalive";

export interface ErrorAnswer {
  status: number;
  body: Record<string, unknown>;
}

function internalMessage(requestId: string): string {
  return `The integration service hit an internal error (request id ${requestId}). ` +
    "Try again; if it persists, ask your Looker admin to check the integration service's logs.";
}

/** Body-parser and similar errors carry `type`/`status`; turn them into typed errors. */
export function normalizeError(err: unknown): unknown {
  const e = err as { type?: string; status?: number; message?: string; code?: string };
  if (e && typeof e === "object" && !(err instanceof HubError)) {
    if (typeof e.code === "string" && e.code.startsWith("Z_")) {
      return new BadRequestError("The request body says it is compressed (Content-Encoding) but is not valid " +
        "compressed data.");
    }
    switch (e.type) {
      case "entity.parse.failed":
        return new BadRequestError("The request body is not valid JSON.");
      case "entity.too.large":
        return new PayloadTooLargeError("The request body is larger than this integration service accepts.");
      case "request.aborted":
      case "request.size.invalid":
        return new BadRequestError("The request body ended before its announced length.");
      case "encoding.unsupported":
      case "charset.unsupported":
        return new BadRequestError("The request body's encoding is not supported; send UTF-8 JSON.");
    }
  }
  return err;
}

/** The answer to a failure outside an integration's outcome (HTTP status carries it). */
export function plainErrorAnswer(err: unknown, requestId: string): ErrorAnswer {
  err = normalizeError(err);
  if (err instanceof NotFoundError) { return { status: 404, body: { success: false, error: err.message } }; }
  if (err instanceof BadRequestError) { return { status: 400, body: { success: false, error: err.message } }; }
  if (err instanceof PayloadTooLargeError) { return { status: 413, body: { success: false, error: err.message } }; }
  if (err instanceof UserError) { return { status: 400, body: { success: false, error: err.message } }; }
  return { status: 500, body: { success: false, error: internalMessage(requestId), request_id: requestId } };
}

/** An execute's failure: outcomes are HTTP 200 with `success: false`. */
export function executeErrorAnswer(err: unknown, requestId: string): ErrorAnswer {
  err = normalizeError(err);
  if (err instanceof UserError) {
    return { status: 200, body: ActionResponse.failure(err.message, err.validationErrors).toJSON() };
  }
  if (err instanceof HubError) {
    const plain = plainErrorAnswer(err, requestId);
    return { status: plain.status, body: { ...plain.body, looker: { success: false, message: plain.body.error } } };
  }
  const message = internalMessage(requestId);
  return { status: 500, body: { looker: { success: false, message }, request_id: requestId } };
}

/** A form's failure: a form with an `error` the user reads in place of the fields. */
export function formErrorAnswer(err: unknown, requestId: string): ErrorAnswer {
  err = normalizeError(err);
  if (err instanceof UserError) { return { status: 200, body: ActionForm.error(err.message).toJSON() }; }
  if (err instanceof HubError) { return plainErrorAnswer(err, requestId); }
  return { status: 500, body: { ...ActionForm.error(internalMessage(requestId)).toJSON(), request_id: requestId } };
}

/** Logs an error by kind: user errors briefly, internal ones with their stack. */
export function logError(logger: Logger, err: unknown, what: string): void {
  err = normalizeError(err);
  if (err instanceof UserError) {
    logger.info(`${what} failed with a user error`, { error: err.name });
  } else if (err instanceof HubError) {
    logger.warn(`${what} refused`, { error: err.name, reason: err.message });
  } else {
    const e = err as Error;
    logger.error(`${what} failed with an internal error`, { error: e?.name, stack: e?.stack });
  }
}

/** Express's last error handler: JSON, always. */
export function errorHandler(fallbackLogger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = res.locals.requestId ?? "unknown";
    logError(res.locals.logger ?? fallbackLogger, err, "request");
    const answer = plainErrorAnswer(err, requestId);
    sendJson(res, answer.status, answer.body);
  };
}
