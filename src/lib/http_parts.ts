// Small pieces of the outbound HTTP client (http_client.ts): replayable bodies and header maps.
import { Readable } from "stream";
import { SpooledBody } from "./spool";

/** A body of known size that can be opened afresh for each attempt (e.g. made from a spooled file). */
export interface StreamBody {
  readonly size: number;
  open(): Readable;
}

export type HttpBody = string | Buffer | Readable | SpooledBody | StreamBody;

/**
 * A body ready to send any number of times: `prepare` (when there is one) before each send;
 * `size` undefined sends it chunked; a `failure` set means its source failed and no send can succeed.
 */
export interface ReplayableBody {
  readonly size: number | undefined;
  open(): Readable | Buffer;
  prepare?(): Promise<void>;
  readonly failure?: Error;
}

/** A string body is made bytes before (HttpClient.request), so that the string is not kept. */
export function replayable(body: Exclude<HttpBody, string | Readable> | undefined): ReplayableBody | undefined {
  if (body === undefined) { return undefined; }
  if (body instanceof SpooledBody || isStreamBody(body)) { return { size: body.size, open: () => body.open() }; }
  return { size: body.length, open: () => body };
}

function isStreamBody(body: HttpBody): body is StreamBody {
  return typeof body === "object" && !Buffer.isBuffer(body) && !(body instanceof Readable) &&
    typeof (body as StreamBody).open === "function";
}

export function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const secret = /^(authorization|cookie|proxy-authorization)$/i;
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !secret.test(k)));
}
