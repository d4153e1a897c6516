// What reads a request body, and what never does. Bodies are read only by the routes that
// take them, after the token check: list, definition and form bodies whole (they are small:
// Looker sends no data there), execute bodies as a stream (src/data/payload_stream.ts).
// Everything else (other methods, unknown paths, refusals) answers unread and closes the
// connection, so an unauthenticated body costs nothing, compressed or not.
import * as bodyParser from "body-parser";
import { NextFunction, Request, Response } from "express";

/** Looker's list, definition and form bodies are a few kilobytes: a megabyte is far more than enough. */
export const DEFAULT_MAX_JSON_BODY_BYTES = 1024 * 1024;

/** Bodies declared at most this long, uncompressed and UTF-8, are read without body-parser. */
const PLAIN_BODY_BYTES = 64 * 1024;
/** No charset, or UTF-8 (what body-parser reads any UTF-8 body as). */
const UTF8_TYPE = /^[^;]*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** A body-parser error's shape (`type`), which normalizeError (errors.ts) turns into an answer. */
class BodyError extends Error {
  constructor(message: string, readonly type: string) {
    super(message);
  }
}

/** The declared length of a short, uncompressed UTF-8 body; undefined for any other. */
function plainLength(req: Request, limit: number): number | undefined {
  const { headers } = req;
  const length = headers["content-length"];
  if (length === undefined || length.length > 6 || !/^\d+$/.test(length) || headers["transfer-encoding"]) {
    return undefined;
  }
  const declared = Number(length);
  const encoding = headers["content-encoding"];
  const type = headers["content-type"];
  if (declared > limit || declared > PLAIN_BODY_BYTES || (encoding && encoding.toLowerCase() !== "identity") ||
    (type !== undefined && !UTF8_TYPE.test(type))) {
    return undefined;
  }
  return declared;
}

/**
 * Reads a short plain body whole, as body-parser would (an empty body is {}, a BOM is dropped,
 * any JSON value is taken), at a fraction of its CPU: list and form requests are most of
 * Looker's small traffic.
 */
function readPlainBody(req: Request, next: NextFunction): void {
  const chunks: Buffer[] = [];
  let settled = false;
  const settle = (err?: Error) => {
    if (settled) { return; }
    settled = true;
    req.off("data", onData);
    if (err) { return next(err); }
    let text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString("utf8");
    if (text.charCodeAt(0) === 0xfeff) { text = text.slice(1); }
    try {
      req.body = text.length ? JSON.parse(text) : {};
    } catch {
      return next(new BodyError("The request body is not valid JSON.", "entity.parse.failed"));
    }
    (req as Request & { _body?: boolean })._body = true;
    next();
  };
  const onData = (chunk: Buffer) => { chunks.push(chunk); };
  req.on("data", onData);
  req.once("end", () => settle());
  req.once("error", () => settle(new BodyError("The request ended before its body.", "request.aborted")));
  req.once("close", () => settle(new BodyError("The request ended before its body.", "request.aborted")));
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

/** 405 for a method the route does not serve, without reading a byte of the body. */
export function methodNotAllowed(allowed: string[]) {
  return (req: Request, res: Response) => {
    res.set("Connection", "close");
    res.set("Allow", allowed.join(", "));
    res.status(405).json({ success: false, error: `${req.method} is not served here; use ${allowed.join(" or ")}.` });
  };
}
