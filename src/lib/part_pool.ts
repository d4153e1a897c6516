// A stream cut into fixed-size parts held in a small pool of reused buffers, for uploads that
// send a big file in pieces: S3 multipart parts, Azure blocks, Drive's and Dropbox's chunks.
// Memory is `buffers × size` whatever the file's size. A fresh Buffer per part (what the SDKs'
// own uploaders do) leaves the freed ones to the garbage collector and the allocator, and the
// hub's RSS grows tens of MB past what is in use (bench/RESULTS.md, storage).
//
// The chunks copied in are garbage at once: young_garbage.ts has them freed soon.
// A full part is held until the next byte arrives, so each comes with whether it is the last
// (vendors want the last piece marked, and a small file can go in one request).
import { Readable } from "stream";
import { spentBytes } from "./young_garbage";

export interface PooledPart {
  /** The bytes; exactly the part size except for the last part. Valid until `release()`. */
  bytes: Buffer;
  /** Offset of the first byte in the file. */
  offset: number;
  /** 0 for the first part. */
  index: number;
  last: boolean;
  /** Gives the buffer back to the pool (idempotent). The reader waits for one when all are out. */
  release(): void;
}

/**
 * Yields `stream` as parts of `size` bytes in at most `buffers` buffers, allocated as needed; an
 * empty stream yields one empty last part. The stream is not read while every buffer is out.
 */
export async function* pooledParts(stream: Readable, size: number, buffers: number): AsyncGenerator<PooledPart> {
  const free: Buffer[] = [];
  let allocated = 0;
  let wake: (() => void) | undefined;
  const acquire = async (): Promise<Buffer> => {
    for (;;) {
      const buffer = free.pop();
      if (buffer) { return buffer; }
      if (allocated < Math.max(1, buffers)) {
        allocated++;
        return Buffer.allocUnsafe(size);
      }
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  };
  let index = 0;
  let offset = 0;
  const part = (buffer: Buffer, length: number, last: boolean): PooledPart => {
    let released = false;
    const made = { bytes: buffer.subarray(0, length), offset, index, last, release: () => {
      if (released) { return; }
      released = true;
      free.push(buffer);
      const waiting = wake;
      wake = undefined;
      waiting?.();
    } };
    index++;
    offset += length;
    return made;
  };
  let filling: Buffer | undefined;
  let filled = 0;
  let full: Buffer | undefined;
  for await (const data of stream) {
    let input: Buffer = Buffer.isBuffer(data) ? data : Buffer.from(data);
    while (input.length) {
      if (full) {
        yield part(full, size, false);
        full = undefined;
      }
      if (!filling) {
        filling = await acquire();
        filled = 0;
      }
      const take = Math.min(size - filled, input.length);
      input.copy(filling, filled, 0, take);
      spentBytes(take);
      filled += take;
      input = input.subarray(take);
      if (filled === size) {
        full = filling;
        filling = undefined;
      }
    }
  }
  if (full) {
    yield part(full, size, true);
  } else if (filling) {
    yield part(filling, filled, true);
  } else {
    yield part(Buffer.alloc(0), 0, true);
  }
}

export interface PartUploadOptions {
  /** Bytes per part. */
  partSize: number;
  /** Parts in memory at once (at least 2): each is sent when full, the stream read again once one is sent. */
  buffers: number;
  /** Aborts the upload: no new part starts, and the parts in flight get the signal. */
  signal?: AbortSignal;
}

/**
 * Reads `stream` into pooled parts and calls `send` for each as soon as it is full, so up to
 * `buffers` parts are in flight (the reader waits while all are). The first failure stops the
 * reading (the stream is destroyed) and is thrown once every part in flight has settled, so the
 * caller can then abort the upload knowing none of its parts is still arriving. The parts in
 * flight are let finish rather than cut: a request cut midway may still land on the server after
 * the upload was aborted (S3 documents this race).
 */
export async function uploadInParts(
  stream: Readable, options: PartUploadOptions, send: (part: PooledPart, signal?: AbortSignal) => Promise<void>,
): Promise<{ parts: number }> {
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    if (failure) { return; }
    failure = { error };
    if (!stream.destroyed) { stream.destroy(); }
  };
  const onAbort = () => fail(options.signal?.reason ?? new Error("The upload was aborted."));
  if (options.signal?.aborted) { onAbort(); }
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const running = new Set<Promise<void>>();
  let parts = 0;
  try {
    for await (const part of pooledParts(stream, options.partSize, Math.max(2, options.buffers))) {
      if (failure) { part.release(); break; }
      parts++;
      const sending: Promise<void> = send(part, options.signal)
        .catch(fail)
        .finally(() => { part.release(); running.delete(sending); });
      running.add(sending);
    }
  } catch (err) {
    // The stream failed, or was destroyed because a part failed (then that failure is the cause).
    fail(err);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await Promise.all(running);
  }
  if (failure) { throw failure.error; }
  return { parts };
}
