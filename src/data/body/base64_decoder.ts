// Base64 decoding across chunks: a chunk boundary can fall anywhere, so the characters that
// do not yet make a full 4-character group wait for the next chunk. Data that is not base64
// (characters outside the alphabet, padding inside the data, a lone final character) fails
// with a clear error instead of decoding to whatever Buffer makes of it.
// Each chunk is first decoded whole by Buffer's native decoder, which skips what is not in
// the alphabet and stops at padding: the decoded length is exactly 3 bytes per group (less
// the final padding) only when every character was valid. Anything else (line breaks,
// invalid data) is decoded again by the strict path, which finds and names the problem.
import { Transform, TransformCallback } from "stream";
import { BadRequestError } from "../../lib/errors";

const HAS_SPACE = /\s/;
const SPACES = /\s+/g;
/** The standard alphabet, the URL-safe one and padding. */
const NOT_BASE64 = /[^A-Za-z0-9+/\-_=]/;
const PADDED_GROUP = /^[^=]{2}==$|^[^=]{3}=$/;
const EQUALS = 0x3d;

/** The attachment's data is declared base64 but is not. */
export class InvalidBase64Error extends BadRequestError {
  constructor(what: string, at: number) {
    super(`The attachment's data is not valid base64 (its mimetype ends in ;base64): ${what} at character ` +
      `${at}. Nothing was delivered; send the data base64-encoded, or without ";base64" in the mimetype.`);
  }
}

export class Base64Decoder {
  /**
   * `overwrite`: the chunks written are the decoder's to write over (no one else holds them),
   * and decoded bytes take their place instead of new buffers.
   */
  constructor(private readonly overwrite = false) {}

  private carry = "";
  /** Characters decoded so far (whitespace excluded), for error positions. */
  private seen = 0;
  private padded = false;

  /** Decodes what can be decoded of `chunk`; keeps the rest for the next call. */
  write(chunk: Buffer): Buffer {
    return (!this.padded && this.writeWhole(chunk)) || this.writeStrict(chunk);
  }

  /**
   * The fast path: the chunk's groups decoded natively straight into the output, undefined
   * unless all were valid. The chunk is read as a string once (its whole groups only); the
   * carried characters and the chunk's first ones make one group of their own, so the chunk is
   * never joined to the carry nor sliced again (each was a copy of the whole chunk). With
   * `overwrite` the output is the chunk itself: its text is a string by then.
   */
  private writeWhole(chunk: Buffer): Buffer | undefined {
    const carry = this.carry;
    const total = carry.length + chunk.length;
    const usable = total - (total % 4);
    if (usable === 0) { return undefined; }
    const at = (i: number) => i < carry.length ? carry.charCodeAt(i) : chunk[i - carry.length];
    const pad = at(usable - 1) !== EQUALS ? 0 : at(usable - 2) === EQUALS ? 2 : 1;
    if (pad && usable < total) { return undefined; }
    // usable >= 4 > carry.length: the rest is in the chunk.
    const rest = chunk.toString("latin1", usable - carry.length);
    if (rest && NOT_BASE64.test(rest)) { return undefined; }
    const expected = (usable / 4) * 3 - pad;
    const from = carry.length ? 4 - carry.length : 0;
    const first = carry.length ? carry + chunk.toString("latin1", 0, from) : "";
    const groups = from < usable - carry.length ? chunk.toString("latin1", from, usable - carry.length) : "";
    // Output ends before the rest's text: (usable / 4) * 3 <= usable - 3 from 12 characters on.
    const out = this.overwrite && usable >= 12 ? chunk : Buffer.allocUnsafe((usable / 4) * 3);
    let written = 0;
    if (first) {
      written = out.write(first, 0, "base64");
      // A padded first group is the data's last: the general check below must see it whole.
      if (written !== 3 && usable > 4) { return this.restored(chunk, out, first, groups); }
    }
    if (groups) { written += out.write(groups, written, "base64"); }
    if (written !== expected) { return this.restored(chunk, out, first, groups); }
    this.carry = rest;
    this.seen += usable;
    this.padded = pad > 0;
    return written === out.length ? out : out.subarray(0, written);
  }

  /** Undoes an overwrite before the strict path reads the chunk again; answers undefined. */
  private restored(chunk: Buffer, out: Buffer, first: string, groups: string): undefined {
    if (out === chunk) { chunk.write(first.slice(this.carry.length) + groups, 0, "latin1"); }
    return undefined;
  }

  /** Strips line breaks, checks every character, and names the first problem. */
  private writeStrict(chunk: Buffer): Buffer {
    let text = chunk.toString("latin1");
    // Base64 from mail-style encoders wraps lines; the newlines are not data.
    if (HAS_SPACE.test(text)) { text = text.replace(SPACES, ""); }
    if (!text) { return Buffer.alloc(0); }
    if (this.padded) { throw new InvalidBase64Error("data after the padding", this.seen + 1); }
    const bad = NOT_BASE64.exec(text);
    if (bad) {
      throw new InvalidBase64Error(`the character ${JSON.stringify(bad[0])}`,
        this.seen + this.carry.length + bad.index + 1);
    }
    text = this.carry + text;
    const usable = text.length - (text.length % 4);
    const groups = text.slice(0, usable);
    const pad = groups.indexOf("=");
    if (pad >= 0) {
      const groupStart = pad - (pad % 4);
      if (groupStart + 4 !== usable || !PADDED_GROUP.test(groups.slice(groupStart))) {
        throw new InvalidBase64Error("padding (=) inside the data", this.seen + pad + 1);
      }
      this.padded = true;
    }
    this.carry = text.slice(usable);
    if (this.padded && this.carry) { throw new InvalidBase64Error("data after the padding", this.seen + usable + 1); }
    this.seen += usable;
    return usable ? Buffer.from(groups, "base64") : Buffer.alloc(0);
  }

  /** The last bytes, from an unpadded final group. */
  end(): Buffer {
    const rest = this.carry;
    this.carry = "";
    if (!rest) { return Buffer.alloc(0); }
    if (rest.length === 1 || rest.includes("=")) {
      throw new InvalidBase64Error(rest.includes("=") ? "misplaced padding (=)" : "a lone last character",
        this.seen + 1);
    }
    return Buffer.from(rest, "base64");
  }
}

/** Decodes a whole base64 text, strictly. */
export function decodeBase64(text: string): Buffer {
  const decoder = new Base64Decoder();
  const body = decoder.write(Buffer.from(text, "latin1"));
  const rest = decoder.end();
  return rest.length ? Buffer.concat([body, rest]) : body;
}

/** A Transform from base64 text to bytes. */
export function base64DecodeStream(): Transform {
  const decoder = new Base64Decoder();
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      try {
        const out = decoder.write(chunk);
        done(null, out.length ? out : undefined);
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        const out = decoder.end();
        done(null, out.length ? out : undefined);
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** True when a mimetype says the data is base64 (`image/png;base64`). */
export function isBase64Mimetype(mimetype: string | undefined): boolean {
  return !!mimetype && /;\s*base64\s*$/i.test(mimetype);
}
