// The execute body's Content-Encoding and size limits: gzip and deflate are inflated as they
// stream, and bounded as they inflate (MAX_DELIVERY_BYTES, or a ratio no real delivery reaches).
import { Readable } from "stream";
import * as zlib from "zlib";
import { BadRequestError, PayloadTooLargeError } from "../../lib/errors";
import type { BodySource } from "./execute_body";

/**
 * Without MAX_DELIVERY_BYTES, a compressed body may inflate to this many times its compressed
 * size (plus 1 MiB): real CSV and JSON compress 5 to 50 times, a bomb 1,000 times.
 */
export const MAX_INFLATE_RATIO = 200;
export const INFLATE_SLACK_BYTES = 1024 * 1024;

export function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The delivery is larger than this integration service accepts (${maxBytes} bytes). ` +
    "Send fewer rows, or ask the hub's admin to raise MAX_DELIVERY_BYTES.",
  );
}

export function tooInflated(): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The compressed request body inflates to more than ${MAX_INFLATE_RATIO} times its size, which no real ` +
    "delivery does; nothing was delivered. Send it uncompressed, or ask the hub's admin to set MAX_DELIVERY_BYTES.",
  );
}

export function decodedSource(source: BodySource): { input: Readable; compressed?: string } {
  const encoding = (source.encoding ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") { return { input: source.readable }; }
  if (encoding === "gzip" || encoding === "x-gzip") {
    return { input: source.readable.pipe(zlib.createGunzip()), compressed: "gzip" };
  }
  if (encoding === "deflate") { return { input: source.readable.pipe(zlib.createInflate()), compressed: "deflate" }; }
  throw new BadRequestError(
    `The request body's Content-Encoding "${encoding.slice(0, 40)}" is not supported; send identity or gzip.`,
  );
}
