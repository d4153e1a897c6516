// Fixed-size chunks of a stream, for vendors that take a big file in pieces (Google Drive's
// resumable upload, Dropbox's upload sessions). One chunk is read ahead, so each comes with
// whether it is the last: vendors want the last piece marked (its total size, or a "finish").
// Two buffers are used in turn, whatever the file's size: a chunk's bytes are valid until the
// consumer asks for the next chunk (send it, then ask), and are then filled again.
import { Readable } from "stream";

export interface Chunk {
  /** The bytes; exactly `size` long except for the last chunk. Reused after the next chunk is asked for. */
  bytes: Buffer;
  /** Offset of the first byte in the file. */
  offset: number;
  last: boolean;
}

/** Yields the stream as chunks of `size` bytes; an empty stream yields one empty last chunk. */
export async function* fixedChunks(stream: Readable, size: number): AsyncGenerator<Chunk> {
  let filling = Buffer.allocUnsafe(size);
  let spare: Buffer | undefined = Buffer.allocUnsafe(size);
  let filled = 0;
  let pending: Buffer | undefined;
  let offset = 0;
  for await (const data of stream) {
    let input: Buffer = Buffer.isBuffer(data) ? data : Buffer.from(data);
    while (input.length) {
      const take = Math.min(size - filled, input.length);
      input.copy(filling, filled, 0, take);
      filled += take;
      input = input.subarray(take);
      if (filled === size) {
        if (pending) {
          yield { bytes: pending, offset, last: false };
          offset += pending.length;
          spare = pending;
        }
        pending = filling;
        filling = spare!;
        spare = undefined;
        filled = 0;
      }
    }
  }
  if (pending && filled === 0) {
    yield { bytes: pending, offset, last: true };
    return;
  }
  if (pending) {
    yield { bytes: pending, offset, last: false };
    offset += pending.length;
  }
  yield { bytes: filling.subarray(0, filled), offset, last: true };
}
