// Load balancers and proxies drop connections that stay silent (often after 60 s), and a
// delivery can take longer. While an execute or form runs, a newline is written every
// interval; JSON parsers skip leading whitespace, so Looker reads the answer that follows.
import { Response } from "express";
import { unmarkVendorText } from "../lib/http_errors";

export interface KeepAlive {
  stop(): void;
}

export function startKeepAlive(res: Response, intervalMs: number): KeepAlive {
  const timer = setInterval(() => {
    if (res.writableEnded || res.destroyed) { return; }
    if (!res.headersSent) {
      // Once a byte is out the status is committed: outcomes are always answered 200.
      res.status(200).type("application/json");
    }
    res.write("\n");
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Sends a JSON answer whether or not keep-alive bytes already went out. */
export function sendJson(res: Response, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) { return; }
  // A vendor's words in a message reach the person unmarked (src/lib/http_errors.ts).
  const text = unmarkVendorText(JSON.stringify(body));
  if (res.headersSent) {
    res.end(text);
  } else {
    // What Express's res.status().json() sends (no ETag: the app turns it off), without its
    // content-type parsing and formatting on every answer.
    res.statusCode = status;
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.setHeader("Content-Length", Buffer.byteLength(text));
    res.end(text);
  }
}
