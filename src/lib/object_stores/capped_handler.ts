// The S3 SDK's HTTP handler with a cap on answer bodies. The SDK reads every answer whole
// before parsing it, so a store (or a thing posing as one at a typed endpoint) that streams
// without end would grow the hub's memory without limit. The hub only sends, lists and commits:
// its answers are small, so anything past the cap is an error, not data.
import { NodeHttpHandler, NodeHttpHandlerOptions } from "@smithy/node-http-handler";
import { Transform } from "stream";

export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export class AnswerTooLargeError extends Error {
  readonly code = "AnswerTooLarge";
}

export class CappedHttpHandler extends NodeHttpHandler {
  constructor(options: NodeHttpHandlerOptions, private readonly maxBytes = MAX_ANSWER_BYTES) { super(options); }

  async handle(...args: Parameters<NodeHttpHandler["handle"]>): ReturnType<NodeHttpHandler["handle"]> {
    const result = await super.handle(...args);
    const body = result.response.body;
    if (body && typeof body.pipe === "function") {
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
      body.on("error", (err: Error) => capped.destroy(err));
      result.response.body = body.pipe(capped);
    }
    return result;
  }
}
