// Fixed-size chunks of a stream, for vendors that take a big file in pieces one at a time
// (Google Drive's resumable upload, Dropbox's upload sessions), on the part pool of
// src/lib/part_pool.ts: each chunk comes with whether it is the last (vendors want the last
// piece marked: its total size, or a "finish"). Two buffers are used in turn, whatever the
// file's size: a chunk's bytes are valid until the consumer asks for the next chunk (send it,
// then ask), and are then filled again.
import { Readable } from "stream";
import { pooledParts } from "../../lib/part_pool";

export interface Chunk {
  /** The bytes; exactly `size` long except for the last chunk. Reused after the next chunk is asked for. */
  bytes: Buffer;
  /** Offset of the first byte in the file. */
  offset: number;
  last: boolean;
}

/** Yields the stream as chunks of `size` bytes; an empty stream yields one empty last chunk. */
export async function* fixedChunks(stream: Readable, size: number): AsyncGenerator<Chunk> {
  let previous: { release(): void } | undefined;
  for await (const part of pooledParts(stream, size, 2)) {
    // The consumer asked for this one: it is done with the one before.
    previous?.release();
    previous = part;
    yield { bytes: part.bytes, offset: part.offset, last: part.last };
  }
}
