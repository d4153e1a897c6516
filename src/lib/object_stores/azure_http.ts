// The HTTP client under @azure/storage-blob, with what the SDK's default lacks: a client-side
// timeout per request (the SDK's `tryTimeoutInMs` only asks the server to give up) and a cap on
// answer bodies (the SDK reads every answer whole, so an endless one would grow the hub's memory
// without limit). The hub lists, stages and commits: its answers are small.
import { createDefaultHttpClient, HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { Readable } from "stream";

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

/** The SDK's default client, with `timeoutMs` per request and answers capped at `maxBytes`. */
export function cappedAzureHttpClient(timeoutMs: number, maxBytes = MAX_AZURE_ANSWER_BYTES): HttpClient {
  const inner = createDefaultHttpClient();
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      if (!request.timeout) { request.timeout = timeoutMs; }
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
    },
  };
}
