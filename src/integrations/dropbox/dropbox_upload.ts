// A file to Dropbox in constant memory: one files/upload when it fits in the first chunk, else an
// upload session (start, append_v2 per chunk, finish with the last one), which takes files of any
// size (Dropbox: up to 350 GB). A chunk Dropbox already took before a connection broke is not
// sent twice: its incorrect_offset answer says where to go on.
import { Readable } from "stream";
import { fixedChunks } from "../../data/files/chunks";
import { RetryableError } from "../../lib/errors";
import { HttpResponse } from "../../lib/http_client";
import { DropboxApi } from "./dropbox_api";
import { dropboxError } from "./dropbox_errors";

/** Dropbox recommends chunks in multiples of 4 MiB; each request carries at most 150 MB. */
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

export interface DropboxFile {
  path: string;
  bytes: number;
}

export async function uploadToDropbox(api: DropboxApi, path: string, stream: Readable,
                                      chunkBytes = DEFAULT_CHUNK_BYTES): Promise<DropboxFile> {
  const commit = { path, mode: "add", autorename: false, mute: false };
  let sessionId: string | undefined;
  for await (const chunk of fixedChunks(stream, chunkBytes)) {
    if (!sessionId && chunk.last) {
      const file = await api.content("files/upload", commit, chunk.bytes, path);
      return { path: file?.path_display ?? path, bytes: chunk.bytes.length };
    }
    if (!sessionId) {
      const started = await api.content("upload_session/start", { close: false }, chunk.bytes, path);
      sessionId = String(started.session_id);
      continue;
    }
    const cursor = { session_id: sessionId, offset: chunk.offset };
    if (!chunk.last) {
      await appendOnce(api, cursor, chunk.bytes, path);
      continue;
    }
    const finished = await api.content("upload_session/finish", { cursor, commit }, chunk.bytes, path,
      (r) => isOffsetAnswer(r));
    if (finished instanceof HttpResponse) {
      // The finish's bytes arrived but its answer did not: finish again with nothing more to add.
      const correct = correctOffset(finished);
      if (correct !== chunk.offset + chunk.bytes.length) { throw lostPart(); }
      const retried = await api.content("upload_session/finish", { cursor: { session_id: sessionId, offset: correct },
        commit }, Buffer.alloc(0), path);
      return { path: retried?.path_display ?? path, bytes: correct };
    }
    return { path: finished?.path_display ?? path, bytes: chunk.offset + chunk.bytes.length };
  }
  throw new RetryableError("Dropbox did not confirm the upload. Send it again.");
}

async function appendOnce(api: DropboxApi, cursor: { session_id: string; offset: number }, bytes: Buffer,
                          path: string): Promise<void> {
  const answer = await api.content("upload_session/append_v2", { cursor, close: false }, bytes, path,
    (r) => isOffsetAnswer(r));
  if (!(answer instanceof HttpResponse)) { return; }
  // A retried append whose first attempt arrived: Dropbox says it already has these bytes.
  const correct = correctOffset(answer);
  if (correct === cursor.offset + bytes.length) { return; }
  if (correct !== undefined && correct > cursor.offset && correct < cursor.offset + bytes.length) {
    return appendOnce(api, { ...cursor, offset: correct }, bytes.subarray(correct - cursor.offset), path);
  }
  throw lostPart();
}

function isOffsetAnswer(response: HttpResponse): boolean {
  return response.status === 409 && /incorrect_offset/.test(dropboxError(response).summary);
}

function correctOffset(response: HttpResponse): number | undefined {
  const error = dropboxError(response).body?.error;
  // append_v2 answers {incorrect_offset}; finish nests it in {lookup_failed}.
  const value = Number(error?.correct_offset ?? error?.lookup_failed?.correct_offset);
  return Number.isFinite(value) ? value : undefined;
}

function lostPart(): RetryableError {
  return new RetryableError("Dropbox lost part of the upload. Send it again.");
}
