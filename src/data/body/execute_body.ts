// What reading an execute body (payload_stream.ts) takes and gives, and how a body that stops
// early is told apart from one that is not the compression it claims.
import { Readable } from "stream";
import type { ActionRequest } from "../../hub/action_request";
import { BadRequestError, HubError } from "../../lib/errors";

/** Top-level keys applied to the request, in the order `requestFromBody` applies them. */
export const FIELD_KEYS = ["type", "data", "form_params", "scheduled_plan", "state"];
/** Known before the data streams to the integration; otherwise the data is spooled. */
export const NEEDED_BEFORE_DATA = [
  "type", "data", "form_params", "scheduled_plan", "attachment.mimetype", "attachment.extension",
];

/**
 * After a failure the rest of the body is read into nothing, so the client gets the answer
 * (closing with unread data would reset the connection and lose it), up to this many bytes;
 * past them the connection is closed.
 */
export const DISCARD_BYTES = 8 * 1024 * 1024;

export interface ExecuteBody {
  request: ActionRequest;
  /** Ends reading for this request: the rest of the body is discarded, spool files closed. */
  dispose(): void;
}

export interface BodySource {
  /**
   * Its chunks become the reader's, to write decoded data over (they are fresh copies from the
   * HTTP parser or zlib): no chunk may be one that something else still reads.
   */
  readable: Readable;
  /** Content-Length, when the client sent one. */
  declaredLength?: number;
  /** Content-Encoding, when the client sent one. */
  encoding?: string;
  /** Told when the body will stay unread: the connection must then not be reused. */
  abandon?: () => void;
}

/** The error for a body that ended before it was whole, after `bytesRead` bytes (decompressed). */
export function cutOffError(err: Error | undefined, compressed: string | undefined, bytesRead: number): Error {
  if (err instanceof HubError) { return err; }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (compressed && code?.startsWith("Z_")) {
    return new BadRequestError(`The request body says Content-Encoding: ${compressed} but is not valid ` +
      `${compressed} data (${code === "Z_BUF_ERROR" ? "it ends early" : "bad compressed data"}); ` +
      "nothing was delivered.");
  }
  return new BadRequestError(`The request body was cut off after ${bytesRead} bytes; nothing was delivered.`);
}
