// Bytes for the object store tests (test/lib/test_object_stores*.ts): a patterned buffer of any
// size, and a stream that hands it over in chunks as an upload's source.
import { Readable } from "stream";

export const MiB = 1024 * 1024;

export function data(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) { out.writeUInt32LE((i * 2654435761 + seed) >>> 0, i); }
  return out;
}

export function chunks(bytes: Buffer, size = 64 * 1024): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) { parts.push(bytes.subarray(i, i + size)); }
  return Readable.from(parts);
}
