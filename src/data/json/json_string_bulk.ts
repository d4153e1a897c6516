// JsonStringDecoder's path where WebAssembly SIMD is missing (json_string_simd.ts is faster): a
// large slice of a JSON string's inside is decoded in one native call (V8's JSON.parse on the
// slice between quotes) instead of byte by byte in JavaScript. A pushed CSV holds an escape
// every few bytes (\n per row, \" around quoted cells), which made the byte loop the slowest
// step of a push (about 150 MiB/s against 600+ here). Anything the native path cannot vouch
// for (the closing quote, an invalid escape, a raw control character, \u escapes beside bytes
// that are not UTF-8) makes it answer undefined, and the exact byte loop decodes that slice.
import { isAscii, isUtf8 } from "buffer";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const U = 0x75;
/** Longest escape: a surrogate pair, `\uD83D\uDE00`. */
const MAX_ESCAPE = 12;
/** Below this, the byte loop is as fast as setting up the native call. */
export const BULK_MIN_BYTES = 2048;

/** One scratch buffer for the quoted slice: decoding is synchronous, so one is enough. */
let scratch = Buffer.allocUnsafe(64 * 1024 + 2);

/** True when `buf[at]` is a backslash that starts an escape (an odd run of them ends there). */
function startsEscape(buf: Buffer, from: number, at: number): boolean {
  let run = 0;
  for (let k = at; k >= from && buf[k] === BACKSLASH; k--) { run++; }
  return run % 2 === 1;
}

/** `\uD800`-`\uDBFF` at `at` (a backslash), judged by its first two hex digits. */
function isHighSurrogate(buf: Buffer, at: number): boolean {
  const d = buf[at + 2] | 0x20;
  const e = buf[at + 3] | 0x20;
  return buf[at + 1] === U && d === 0x64 && (e === 0x38 || e === 0x39 || e === 0x61 || e === 0x62);
}

/**
 * The end of the longest prefix of `buf[from, end)` that holds only whole escapes, a high
 * surrogate's pair included. `from` is at an escape boundary. The rest (under 12 bytes) is
 * left to the byte loop, which carries a cut escape over to the next chunk.
 */
export function wholeEscapesEnd(buf: Buffer, from: number, end: number): number {
  const last = buf.lastIndexOf(BACKSLASH, end - 1);
  if (last < from || last < end - MAX_ESCAPE) { return end; }
  if (!startsEscape(buf, from, last)) { return end; }
  const complete = last + 1 < end && (buf[last + 1] !== U || (last + 6 <= end && !(last + 6 === end &&
    isHighSurrogate(buf, last))));
  if (complete) { return end; }
  // A low surrogate may be cut off after its high one: keep the pair together.
  const high = last - 6;
  if (high >= from && buf[high] === BACKSLASH && isHighSurrogate(buf, high) && startsEscape(buf, from, high)) {
    return high;
  }
  return last;
}

/**
 * Decodes `buf[from, end)`, the inside of a JSON string holding whole escapes only, or
 * answers undefined when the native parse cannot: the slice holds the closing quote or is
 * not plain valid JSON string content.
 */
export function decodeSlice(buf: Buffer, from: number, end: number): Buffer | undefined {
  const length = end - from;
  if (scratch.length < length + 2) { scratch = Buffer.allocUnsafe(length + 2); }
  scratch[0] = QUOTE;
  buf.copy(scratch, 1, from, end);
  scratch[length + 1] = QUOTE;
  // Bytes other than escapes must come out as they went in. ASCII and valid UTF-8 do, read
  // as UTF-8 (a \u escape then comes out as UTF-8 too); any other bytes do as latin1 when
  // there is no \u escape (the parse then has nothing to write as UTF-8), else not at all.
  const slice = scratch.subarray(1, length + 1);
  const ascii = isAscii(slice);
  const utf8 = ascii || isUtf8(slice);
  if (!utf8 && slice.indexOf("\\u") >= 0) { return undefined; }
  let text: string;
  try {
    // latin1 makes a one-byte string, the fastest to parse; for ASCII it is the same text.
    text = JSON.parse(scratch.toString(ascii || !utf8 ? "latin1" : "utf8", 0, length + 2));
  } catch {
    return undefined;
  }
  return Buffer.from(text, utf8 ? "utf8" : "latin1");
}
