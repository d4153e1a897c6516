// Decodes the inside of a JSON string as its bytes arrive in chunks. A run without escapes
// is found with indexOf and passed on as it is; a chunk with escapes is unescaped 16 bytes at a
// time by WebAssembly (json_string_simd.ts), over the chunk itself when it is the decoder's, or
// where that is not available decoded in large slices by one JSON.parse each (json_string_bulk.ts). The byte loop here
// decodes only what those cannot: an escape cut by the chunk's end, invalid input (with its
// message), the last bytes of the slice holding the closing quote.
import { BULK_MIN_BYTES, decodeSlice, wholeEscapesEnd } from "./json_string_bulk";
import { SIMD_PIECE_BYTES, SimdUnescaper, simdUnescaper } from "./json_string_simd";

/** A JSON text that is not valid where the walker needs it to be. */
export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Longest escape: a surrogate pair, `\uD83D\uDE00`. */
const MAX_ESCAPE = 12;
/** Largest slice decoded in one native call (bounds its scratch buffer). */
const BULK_SLICE_BYTES = 256 * 1024;
/** Output slabs of the WebAssembly path: pieces of one are handed on, none is ever written twice. */
const SLAB_BYTES = 64 * 1024 + MAX_ESCAPE;

const EMPTY = Buffer.alloc(0);

const SIMPLE_ESCAPES: Record<number, number> = {
  0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09,
};

/** Byte after a backslash to the byte it stands for; -1 for `u` and invalid escapes. */
const SIMPLE_TABLE = new Int16Array(256).fill(-1);
for (const [escape, byte] of Object.entries(SIMPLE_ESCAPES)) { SIMPLE_TABLE[Number(escape)] = byte; }

function hex4(buf: Buffer, at: number): number {
  let value = 0;
  for (let k = at; k < at + 4; k++) {
    const c = buf[k];
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30
      : c >= 0x61 && c <= 0x66 ? c - 0x57
      : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (digit < 0) { throw new JsonSyntaxError("A \\u escape in a JSON string is not followed by four hex digits."); }
    value = value * 16 + digit;
  }
  return value;
}

function writeCodePoint(out: Buffer, o: number, cp: number): number {
  if (cp < 0x80) { out[o] = cp; return o + 1; }
  if (cp < 0x800) { out[o] = 0xc0 | (cp >> 6); out[o + 1] = 0x80 | (cp & 0x3f); return o + 2; }
  if (cp < 0x10000) {
    out[o] = 0xe0 | (cp >> 12); out[o + 1] = 0x80 | ((cp >> 6) & 0x3f); out[o + 2] = 0x80 | (cp & 0x3f);
    return o + 3;
  }
  out[o] = 0xf0 | (cp >> 18); out[o + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[o + 2] = 0x80 | ((cp >> 6) & 0x3f); out[o + 3] = 0x80 | (cp & 0x3f);
  return o + 4;
}

/**
 * Decodes the escape at `buf[at]` (a backslash) into `out[o]`. Answers the new output
 * offset and the input length used, or undefined when `buf` ends before the escape does.
 */
function decodeEscape(buf: Buffer, at: number, end: number, out: Buffer, o: number): [number, number] | undefined {
  if (at + 1 >= end) { return undefined; }
  const c = buf[at + 1];
  if (c !== 0x75) {
    const simple = SIMPLE_ESCAPES[c];
    if (simple === undefined) { throw new JsonSyntaxError("A JSON string holds an invalid backslash escape."); }
    out[o] = simple;
    return [o + 1, 2];
  }
  if (at + 6 > end) { return undefined; }
  const unit = hex4(buf, at + 2);
  if (unit >= 0xd800 && unit <= 0xdbff) {
    // A high surrogate pairs with a following \uDC00-\uDFFF; need all 12 bytes to know.
    if (at + 7 > end || (buf[at + 6] === BACKSLASH && at + 12 > end)) { return undefined; }
    if (buf[at + 6] === BACKSLASH && buf[at + 7] === 0x75) {
      const low = hex4(buf, at + 8);
      if (low >= 0xdc00 && low <= 0xdfff) {
        return [writeCodePoint(out, o, 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)), 12];
      }
    }
    return [writeCodePoint(out, o, 0xfffd), 6];
  }
  if (unit >= 0xdc00 && unit <= 0xdfff) { return [writeCodePoint(out, o, 0xfffd), 6]; }
  return [writeCodePoint(out, o, unit), 6];
}

/** Copies a run; short runs by hand, since Buffer#copy costs a native call. */
function copyRun(src: Buffer, from: number, to: number, out: Buffer, o: number): number {
  const length = to - from;
  if (length < 24) {
    for (let k = from; k < to; k++) { out[o++] = src[k]; }
    return o;
  }
  src.copy(out, o, from, to);
  return o + length;
}

export interface StringDecoderOptions {
  /**
   * The chunks fed are the decoder's to write over (no one else holds them): decoded bytes
   * then take the place of the escapes they came from, and no output is allocated.
   */
  overwrite?: boolean;
  /** False: never the WebAssembly unescaper (the slower paths, for tests). */
  simd?: boolean;
}

/**
 * Decodes one JSON string's contents across chunks. `feed` is called with the position
 * just after the opening quote (and then at 0 of each next chunk); it emits decoded bytes
 * and answers the index just past the closing quote, or -1 when the string goes on.
 */
export class JsonStringDecoder {
  /** The start of an escape cut by a chunk boundary. */
  private pending: Buffer | undefined;
  private readonly unescaper: SimdUnescaper | undefined;
  private readonly overwrite: boolean;
  /** Without `overwrite`: where decoded bytes go, pieces of it handed on, never written twice. */
  private slab = EMPTY;
  private slabAt = 0;

  constructor(private readonly emit: (bytes: Buffer) => void, options: StringDecoderOptions = {}) {
    this.unescaper = options.simd === false ? undefined : simdUnescaper();
    this.overwrite = options.overwrite === true;
  }

  feed(buf: Buffer, start: number): number {
    let i = start;
    const n = buf.length;
    if (this.pending) {
      i = this.finishPending(buf, i);
      if (i < 0) { return -1; }
    }
    if (this.unescaper && buf.indexOf(BACKSLASH, i) >= 0) {
      i = this.feedSimd(this.unescaper, buf, i);
      if (i === n) { return -1; }
    } else if (n - i >= BULK_MIN_BYTES && buf.indexOf(BACKSLASH, i) >= 0) {
      i = this.feedBulk(buf, i);
      if (i === n) { return -1; }
    }
    return this.feedBytes(buf, i, n);
  }

  /**
   * Unescapes with WebAssembly, decoding the escapes it leaves (\u) here, up to the closing
   * quote or an escape cut by the chunk's end; answers where the byte loop must go on.
   */
  private feedSimd(unescaper: SimdUnescaper, buf: Buffer, start: number): number {
    const n = buf.length;
    let i = start;
    /** With `overwrite`: where the decoded bytes written over `buf` end. */
    let written = start;
    while (i < n) {
      const to = Math.min(n, i + SIMD_PIECE_BYTES);
      let out = buf;
      let from = written;
      if (!this.overwrite) {
        // Output is never longer than input; an escape decoded here may reach past `to`.
        if (this.slab.length - this.slabAt < to - i + MAX_ESCAPE) {
          this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, to - i + MAX_ESCAPE));
          this.slabAt = 0;
        }
        out = this.slab;
        from = this.slabAt;
      }
      let o = from;
      let stopped = false;
      const base = i;
      unescaper.load(buf, base, to);
      while (i < to) {
        let stop: number;
        [stop, o] = unescaper.step(i - base, out, o);
        i = base + stop;
        if (i === to) { break; }
        const decoded = buf[i] === QUOTE ? undefined : decodeEscape(buf, i, n, out, o);
        if (!decoded) { stopped = true; break; }
        o = decoded[0];
        i += decoded[1];
      }
      if (o > from) { this.emit(out.subarray(from, o)); }
      if (this.overwrite) { written = o; } else { this.slabAt = o; }
      if (stopped) { return i; }
    }
    return i;
  }

  /** Decodes whole slices natively while it can; answers where the byte loop must go on. */
  private feedBulk(buf: Buffer, start: number): number {
    let i = start;
    while (buf.length - i >= BULK_MIN_BYTES) {
      const end = wholeEscapesEnd(buf, i, Math.min(buf.length, i + BULK_SLICE_BYTES));
      if (end - i < BULK_MIN_BYTES) { break; }
      const decoded = decodeSlice(buf, i, end);
      if (!decoded) { break; }
      if (decoded.length) { this.emit(decoded); }
      i = end;
    }
    return i;
  }

  /** The exact byte loop, from `start` (at an escape boundary) to the chunk's end. */
  private feedBytes(buf: Buffer, start: number, n: number): number {
    const q = buf.indexOf(QUOTE, start);
    const b = buf.indexOf(BACKSLASH, start);
    if (b === -1 || (q !== -1 && q < b)) {
      // No escape before the end of this string or chunk: the bytes pass as they are.
      const end = q === -1 ? n : q;
      if (end > start) { this.emit(buf.subarray(start, end)); }
      return q === -1 ? -1 : q + 1;
    }
    // Escapes are dense in CSV (\n per row, \" around quoted cells): copy byte by byte,
    // handling the one-character escapes inline.
    const out = Buffer.allocUnsafe(n - start);
    let o = copyRun(buf, start, b, out, 0);
    let k = b;
    while (k < n) {
      const c = buf[k];
      if (c === QUOTE) {
        this.emit(out.subarray(0, o));
        return k + 1;
      }
      if (c !== BACKSLASH) {
        out[o++] = c;
        k++;
        continue;
      }
      const simple = k + 1 < n ? SIMPLE_TABLE[buf[k + 1]] : -1;
      if (simple >= 0) {
        out[o++] = simple;
        k += 2;
        continue;
      }
      const decoded = decodeEscape(buf, k, n, out, o);
      if (!decoded) {
        this.pending = Buffer.from(buf.subarray(k));
        break;
      }
      o = decoded[0];
      k += decoded[1];
    }
    if (o > 0) { this.emit(out.subarray(0, o)); }
    return -1;
  }

  /** Completes an escape cut by the previous chunk; answers where to go on in `buf`, or -1. */
  private finishPending(buf: Buffer, start: number): number {
    const pending = this.pending as Buffer;
    const joined = Buffer.concat([pending, buf.subarray(start, start + MAX_ESCAPE)]);
    const out = Buffer.allocUnsafe(4);
    const decoded = decodeEscape(joined, 0, joined.length, out, 0);
    if (!decoded) {
      this.pending = joined;
      return -1;
    }
    this.emit(Buffer.from(out.subarray(0, decoded[0])));
    if (decoded[1] < pending.length) {
      // A lone high surrogate, and the escape after it was cut too: decode that one next.
      this.pending = Buffer.from(pending.subarray(decoded[1]));
      return this.finishPending(buf, start);
    }
    this.pending = undefined;
    return start + decoded[1] - pending.length;
  }

  /** True when the last chunk ended inside an escape. */
  get midEscape(): boolean { return this.pending !== undefined; }
}
