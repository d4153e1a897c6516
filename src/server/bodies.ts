// What reads a request body, and what never does. Bodies are read only by the routes that
// take them, after the token check: list, definition and form bodies whole (they are small:
// Looker sends no data there), execute bodies as a stream (src/data/payload_stream.ts).
// Everything else (other methods, unknown paths, refusals) answers unread and closes the
// connection, so an unauthenticated body costs nothing, compressed or not.
import * as bodyParser from "body-parser";
import { Request, Response } from "express";

/** Looker's list, definition and form bodies are a few kilobytes: a megabyte is far more than enough. */
export const DEFAULT_MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * A whole JSON body of at most `limit` bytes. The limit applies to the decompressed bytes
 * as they stream, so a small gzip that inflates to gigabytes stops at `limit`.
 */
export function smallJsonBody(limit: number) {
  return bodyParser.json({ limit, type: () => true, strict: false, inflate: true });
}

/** 405 for a method the route does not serve, without reading a byte of the body. */
export function methodNotAllowed(allowed: string[]) {
  return (req: Request, res: Response) => {
    res.set("Connection", "close");
    res.set("Allow", allowed.join(", "));
    res.status(405).json({ success: false, error: `${req.method} is not served here; use ${allowed.join(" or ")}.` });
  };
}
