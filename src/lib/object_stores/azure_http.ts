// The HTTP client under @azure/storage-blob, with what the SDK's default lacks: a client-side
// deadline per request that covers the answer's body (the SDK's `tryTimeoutInMs` only asks the
// server to give up, and the transport's own timeout ends with the headers, so an answer that
// trickles a byte a second held a delivery for ever), the delivery's signal (abort_scope.ts: when
// Looker hangs up, the request stops), and a cap on answer bodies (the SDK reads every answer
// whole, so an endless one would grow the hub's memory without limit). The hub lists, stages and
// commits: its answers are small.
import { createDefaultHttpClient, HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { Readable } from "stream";
import { abortReason } from "../abort_scope";
import { deadline } from "../deadline";
import { overPlainHttp } from "../network_errors";

export const MAX_AZURE_ANSWER_BYTES = 16 * 1024 * 1024;
const EVERY_STATUS = new Set(Array.from({ length: 500 }, (_, i) => i + 100));

export class AzureAnswerTooLarge extends Error {
  readonly code = "AnswerTooLarge";
}

async function readCapped(body: NodeJS.ReadableStream, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as Readable) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      (body as Readable).destroy();
      throw new AzureAnswerTooLarge(`The answer was longer than ${maxBytes} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The SDK's default client, with `timeoutMs` per request (its body included) and answers capped at `maxBytes`. */
export function cappedAzureHttpClient(timeoutMs: number, maxBytes = MAX_AZURE_ANSWER_BYTES): HttpClient {
  const inner = createDefaultHttpClient();
  /** The store answered a request (a later cut connection is no TLS-only port). */
  let answered = false;
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const given = request.abortSignal;
      const limit = deadline(timeoutMs, given instanceof AbortSignal ? given : undefined);
      // The transport keeps listening to this signal until the answer's body is read: aborting it
      // at the deadline ends the body too.
      request.abortSignal = limit.signal;
      try {
        const response = await send(inner, request, maxBytes);
        answered = true;
        return response;
      } catch (err) {
        throw limit.signal.aborted ? abortReason(limit.signal) : overPlainHttp(err, request.url, answered);
      } finally {
        limit.clear();
        request.abortSignal = given;
      }
    },
  };
}

async function send(inner: HttpClient, request: PipelineRequest, maxBytes: number): Promise<PipelineResponse> {
  const wanted = request.streamResponseStatusCodes;
  // A download the SDK reads as a stream itself: not one the hub makes, passed through.
  if (wanted?.size) { return inner.sendRequest(request); }
  request.streamResponseStatusCodes = EVERY_STATUS;
  const response = await inner.sendRequest(request);
  request.streamResponseStatusCodes = wanted;
  const body = response.readableStreamBody;
  if (body) {
    response.readableStreamBody = undefined;
    response.bodyAsText = await readCapped(body, maxBytes);
  }
  return response;
}
