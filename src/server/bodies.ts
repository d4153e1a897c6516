// What reads a request body, and what never does. Bodies are read only by the routes that
// take them, after the token check: list, definition and form bodies whole (they are small:
// Looker sends no data there), execute bodies as a stream (src/data/body/payload_stream.ts).
// Everything else (other methods, unknown paths, refusals) answers unread and closes the
// connection, so an unauthenticated body costs nothing, compressed or not.
import * as bodyParser from "body-parser";
import { NextFunction, Request, Response } from "express";
import { jsonText, plainLength, readWhole } from "./plain_body";

/** Looker's list, definition and form bodies are a few kilobytes: a megabyte is far more than enough. */
export const DEFAULT_MAX_JSON_BODY_BYTES = 1024 * 1024;

/** A body-parser error's shape (`type`), which normalizeError (errors.ts) turns into an answer. */
class BodyError extends Error {
  constructor(message: string, readonly type: string) {
    super(message);
  }
}

/** A short plain body, read whole and parsed as body-parser would (an empty body is {}, any JSON value is taken). */
function readPlainBody(req: Request, next: NextFunction): void {
  readWhole(req, (bytes) => {
    const text = jsonText(bytes);
    try {
      req.body = text.length ? JSON.parse(text) : {};
    } catch {
      return next(new BodyError("The request body is not valid JSON.", "entity.parse.failed"));
    }
    (req as Request & { _body?: boolean })._body = true;
    next();
  }, () => next(new BodyError("The request ended before its body.", "request.aborted")));
}

/**
 * A whole JSON body of at most `limit` bytes. The limit applies to the decompressed bytes
 * as they stream, so a small gzip that inflates to gigabytes stops at `limit`.
 */
export function smallJsonBody(limit: number) {
  const parser = bodyParser.json({ limit, type: () => true, strict: false, inflate: true });
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req as Request & { _body?: boolean })._body) { return next(); }
    return plainLength(req, limit) === undefined ? parser(req, res, next) : readPlainBody(req, next);
  };
}

/** True when the request announces a body: a Content-Length above 0, or chunks. */
function announcesBody(req: Request): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * Marks every request that carries a body to close its connection after the answer, unless a
 * valid token lifts the mark (`mayKeepAlive`). Node otherwise reads an unread body to its end
 * to reuse the connection: a GET /status (or /, /metrics, a console page, an OPTIONS) carrying
 * a gigabyte cost a gigabyte of reading, a CPU-second and more, before any token was shown.
 */
export function closeAfterUnreadBody() {
  return (req: Request, res: Response, next: NextFunction) => {
    // A close asked for already (a draining hub) is not this mark's to lift.
    if (announcesBody(req) && !res.hasHeader("connection")) {
      res.setHeader("Connection", "close");
      res.locals.closesForUnreadBody = true;
    }
    next();
  };
}

/** After a valid token: the connection may be kept for the next request (its body is read or drained). */
export function mayKeepAlive(res: Response): void {
  if (res.locals.closesForUnreadBody && !res.headersSent) {
    res.removeHeader("Connection");
    res.locals.closesForUnreadBody = false;
  }
}

/** 405 for a method the route does not serve, without reading a byte of the body. */
export function methodNotAllowed(allowed: string[]) {
  return (req: Request, res: Response) => {
    res.set("Connection", "close");
    res.set("Allow", allowed.join(", "));
    res.status(405).json({ success: false, error: `${req.method} is not served here; use ${allowed.join(" or ")}.` });
  };
}
