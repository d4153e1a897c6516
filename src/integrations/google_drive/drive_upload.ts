// Drive's resumable upload (developers.google.com/drive/api/guides/manage-uploads#resumable):
// one POST with the file's metadata opens a session, then the bytes go in fixed chunks (multiples
// of 256 KiB), read from the stream one at a time, so memory stays at two chunks whatever the
// size. A chunk that fails is resumed from what Drive says it has (a status query), not resent.
import { Readable } from "stream";
import { fixedChunks } from "../../data/files/chunks";
import { RetryableError, UserError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { Logger } from "../../lib/logger";
import { abortableSleep, currentSignal } from "../../lib/abort_scope";
import { backoffDelay } from "../../lib/retry";
import { GoogleApi } from "../../families/google/google_api";
import { googleFailure } from "../../families/google/google_errors";

/** Drive wants chunks in multiples of 256 KiB (the last one excepted). */
export const CHUNK_UNIT = 256 * 1024;
export const DEFAULT_CHUNK_BYTES = 32 * CHUNK_UNIT;
const MAX_TRIES_PER_CHUNK = 5;

export interface DriveFileMetadata {
  name: string;
  mimeType: string;
  parents: string[];
  /** Key-value pairs private to this app (the delivery's webhook id). */
  appProperties?: Record<string, string>;
}

export interface UploadedFile {
  id: string;
  name: string;
  bytes: number;
}

/** Opens a resumable upload session; a 401 here is TokenRejectedError (no byte read yet). */
export async function openUploadSession(google: GoogleApi, token: string, metadata: DriveFileMetadata,
                                        contentType: string): Promise<string> {
  const response = await google.response(token, {
    path: "upload/drive/v3/files", query: { uploadType: "resumable", supportsAllDrives: "true", fields: "id,name" },
    json: metadata, headers: { "x-upload-content-type": contentType }, what: "the folder",
  });
  const location = response.headers.location;
  if (!location) { throw new UserError("Google Drive did not open an upload session. Try again later."); }
  return location;
}

export class ResumableUpload {
  private acknowledged = 0;

  constructor(
    private readonly http: HttpClient, private readonly sessionUrl: string, private readonly token: string,
    private readonly logger?: Logger, private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    if (chunkBytes % CHUNK_UNIT !== 0) { throw new Error("Drive chunks are multiples of 256 KiB."); }
  }

  /** Sends the stream; answers the file Drive made. */
  async send(stream: Readable): Promise<UploadedFile> {
    let file: UploadedFile | undefined;
    for await (const chunk of fixedChunks(stream, this.chunkBytes)) {
      const total = chunk.last ? chunk.offset + chunk.bytes.length : undefined;
      file = await this.sendChunk(chunk.bytes, chunk.offset, total);
    }
    if (!file) { throw new UserError("Google Drive did not confirm the upload. Send it again."); }
    return file;
  }

  /** Sends one chunk until Drive has all of it; answers the file after the last chunk. */
  private async sendChunk(bytes: Buffer, offset: number, total: number | undefined): Promise<UploadedFile | undefined> {
    const end = offset + bytes.length;
    for (let tries = 1; ; tries++) {
      let response: HttpResponse | undefined;
      try {
        const from = this.acknowledged - offset;
        const slice = bytes.subarray(from);
        const size = total ?? "*";
        const range = slice.length ? `bytes ${this.acknowledged}-${end - 1}/${size}` : `bytes */${size}`;
        response = await this.put(slice, range);
      } catch (err) {
        if (!(err instanceof RetryableError) || tries >= MAX_TRIES_PER_CHUNK) { throw err; }
        this.logger?.info("drive upload chunk failed; asking Drive how much it has", { tries });
        await abortableSleep(backoffDelay(tries, this.http.retryPolicy), currentSignal());
        response = await this.put(Buffer.alloc(0), `bytes */${total ?? "*"}`);
      }
      const done = this.read(response, offset);
      if (done) { return { ...done, bytes: total ?? end }; }
      if (this.acknowledged >= end && total === undefined) { return undefined; }
      if (tries >= MAX_TRIES_PER_CHUNK) {
        throw new RetryableError("Google Drive kept refusing part of the upload. Send it again later.");
      }
    }
  }

  private put(body: Buffer, range: string): Promise<HttpResponse> {
    return this.http.request({
      url: this.sessionUrl, method: "PUT", body, trusted: true, who: "Google Drive", logger: this.logger,
      headers: { "authorization": `Bearer ${this.token}`, "content-range": range },
      // This class resumes from Drive's status itself: one attempt per request.
      maxAttempts: 1, acceptStatus: (s) => s === 200 || s === 201 || s === 308 || (s >= 400 && s < 500),
    });
  }

  /** The file when Drive finished; otherwise records how much Drive has. */
  private read(response: HttpResponse, chunkOffset: number): { id: string; name: string } | undefined {
    if (response.status === 200 || response.status === 201) {
      const file = response.json();
      return { id: String(file.id), name: String(file.name) };
    }
    if (response.status === 308) {
      const range = /bytes=0-(\d+)/.exec(String(response.headers.range ?? ""));
      const have = range ? Number(range[1]) + 1 : 0;
      if (have < chunkOffset) {
        throw new RetryableError("Google Drive lost part of the upload. Send it again.");
      }
      this.acknowledged = have;
      return undefined;
    }
    if (response.status === 404 || response.status === 410) {
      throw new RetryableError("The Google Drive upload session expired before the file was complete. Send it again.");
    }
    if (response.status === 401) {
      throw new UserError("Google ended your login during the upload. Send it again.");
    }
    throw googleFailure(response, "Google Drive", "the file");
  }
}
