// The AWS SDK's HTTP handler (S3, SageMaker, EC2) with what its own lacks:
// - A cap on answer bodies. The SDK reads every answer whole before parsing it, so a store (or a
//   thing posing as one at a typed endpoint) that streams without end would grow the hub's memory
//   without limit. The hub only sends, lists and commits: its answers are small, so anything past
//   the cap is an error, not data.
// - A total deadline that covers the answer's body. The SDK's requestTimeout ends when the headers
//   arrive and its socketTimeout catches only silence, so a store answering 200 and then a byte a
//   second held a delivery (and its slot) for ever; now the whole exchange gets `requestTimeout`.
// - The delivery's signal (abort_scope.ts): when Looker hangs up, the request and its body stop.
import { NodeHttpHandler, NodeHttpHandlerOptions } from "@smithy/node-http-handler";
import { Readable, Transform } from "stream";
import { abortReason, onAbort } from "../abort_scope";
import { deadline } from "../deadline";
import { overPlainHttp } from "../network_errors";

export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** The SDK's own requestTimeout default is none; the hub's HTTP_TOTAL_TIMEOUT_SECONDS default. */
const DEFAULT_TOTAL_MS = 900_000;

export class AnswerTooLargeError extends Error {
  readonly code = "AnswerTooLarge";
}

export class CappedHttpHandler extends NodeHttpHandler {
  private readonly totalMs: number;
  /** The store answered a request of this client (a later cut connection is no TLS-only port). */
  private answered = false;

  constructor(options: NodeHttpHandlerOptions, private readonly maxBytes = MAX_ANSWER_BYTES) {
    super(options);
    this.totalMs = options.requestTimeout ?? DEFAULT_TOTAL_MS;
  }

  async handle(...args: Parameters<NodeHttpHandler["handle"]>): ReturnType<NodeHttpHandler["handle"]> {
    const [request, options = {}] = args;
    const given = options.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
    const limit = deadline(this.totalMs, given);
    let result: Awaited<ReturnType<NodeHttpHandler["handle"]>>;
    try {
      result = await super.handle(request, { ...options, abortSignal: limit.signal as any });
    } catch (err) {
      limit.clear();
      // The deadline passed, or the delivery ended: its reason, not the transport's bare AbortError.
      throw limit.signal.aborted ? abortReason(limit.signal) : overPlainHttp(err, request.protocol, this.answered);
    }
    this.answered = true;
    const body = result.response.body;
    if (body && typeof body.pipe === "function") {
      result.response.body = this.bounded(body as Readable, limit.signal, () => limit.clear());
    } else {
      limit.clear();
    }
    return result;
  }

  /** The body, cut at the cap, and ended with the deadline's (or the delivery's) reason when it aborts. */
  private bounded(body: Readable, signal: AbortSignal, done: () => void): Readable {
    let seen = 0;
    const max = this.maxBytes;
    const capped = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        seen += chunk.length;
        if (seen > max) {
          body.destroy();
          return callback(new AnswerTooLargeError(`The answer was longer than ${max} bytes.`));
        }
        callback(undefined, chunk);
      },
    });
    const stop = onAbort(signal, (reason) => { body.destroy(); capped.destroy(reason); });
    capped.once("close", () => { stop(); done(); });
    body.on("error", (err: Error) => capped.destroy(err));
    return body.pipe(capped);
  }
}
