// Base64 in lines of 76 characters ending in CRLF (RFC 2045, as MIME bodies carry it), encoded
// straight into Buffers by a table lookup. A 500 MB attachment otherwise passes through the heap
// as strings (Buffer#toString('base64'), then joined and re-sliced into lines), and that churn,
// not anything kept, is what lifted the hub's peak memory while an email was sent.
import { Readable } from "stream";

const ALPHABET = Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "latin1");
/** Input bytes per output line: 57 bytes become 76 characters. */
const LINE_BYTES = 57;
const LINE_CHARS = 76;
/** Lines encoded per output Buffer (about 64 KiB of output). */
const LINES_PER_CHUNK = 840;

/** Encodes `src[start, end)` (a multiple of 3 bytes, except at the very end) into `out` at `at`. */
function encodeInto(src: Buffer, start: number, end: number, out: Buffer, at: number): number {
  let o = at;
  let i = start;
  for (; i + 2 < end; i += 3) {
    const v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
    out[o++] = ALPHABET[v >>> 18];
    out[o++] = ALPHABET[(v >>> 12) & 63];
    out[o++] = ALPHABET[(v >>> 6) & 63];
    out[o++] = ALPHABET[v & 63];
  }
  const left = end - i;
  if (left === 1) {
    const v = src[i] << 16;
    out[o++] = ALPHABET[v >>> 18];
    out[o++] = ALPHABET[(v >>> 12) & 63];
    out[o++] = 0x3d;
    out[o++] = 0x3d;
  } else if (left === 2) {
    const v = (src[i] << 16) | (src[i + 1] << 8);
    out[o++] = ALPHABET[v >>> 18];
    out[o++] = ALPHABET[(v >>> 12) & 63];
    out[o++] = ALPHABET[(v >>> 6) & 63];
    out[o++] = 0x3d;
  }
  return o;
}

/** Lines for `bytes` whole input bytes (each full or last partial line ends in CRLF). */
function encodeLines(src: Buffer): Buffer {
  const lines = Math.ceil(src.length / LINE_BYTES);
  const lastBytes = src.length - (lines - 1) * LINE_BYTES;
  const size = (lines - 1) * (LINE_CHARS + 2) + Math.ceil(lastBytes / 3) * 4 + 2;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (let start = 0; start < src.length; start += LINE_BYTES) {
    o = encodeInto(src, start, Math.min(start + LINE_BYTES, src.length), out, o);
    out[o++] = 0x0d;
    out[o++] = 0x0a;
  }
  return out;
}

/** The stream's bytes as base64 lines; every line, the last included, ends in CRLF. */
export function base64Lines(source: Readable): Readable {
  return Readable.from((async function* () {
    const block = LINE_BYTES * LINES_PER_CHUNK;
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of source) {
      let buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : chunk as Buffer;
      while (buf.length >= block) {
        yield encodeLines(buf.subarray(0, block));
        buf = buf.subarray(block);
      }
      const whole = buf.length - (buf.length % LINE_BYTES);
      if (whole) { yield encodeLines(buf.subarray(0, whole)); }
      carry = Buffer.from(buf.subarray(whole));
    }
    if (carry.length) { yield encodeLines(carry); }
  })(), { objectMode: false });
}
