// Base64 decoding across chunks: a chunk boundary can fall anywhere, so the characters that
// do not yet make a full 4-character group wait for the next chunk.
import { Transform, TransformCallback } from "stream";

const HAS_SPACE = /\s/;
const SPACES = /\s+/g;

export class Base64Decoder {
  private carry = "";

  /** Decodes what can be decoded of `chunk`; keeps the rest for the next call. */
  write(chunk: Buffer): Buffer {
    let text = this.carry + chunk.toString("latin1");
    // Base64 from mail-style encoders wraps lines; the newlines are not data.
    if (HAS_SPACE.test(text)) { text = text.replace(SPACES, ""); }
    const usable = text.length - (text.length % 4);
    this.carry = text.slice(usable);
    return usable ? Buffer.from(text.slice(0, usable), "base64") : Buffer.alloc(0);
  }

  /** The last bytes, from an unpadded final group. */
  end(): Buffer {
    const rest = this.carry;
    this.carry = "";
    return rest ? Buffer.from(rest, "base64") : Buffer.alloc(0);
  }
}

/** A Transform from base64 text to bytes. */
export function base64DecodeStream(): Transform {
  const decoder = new Base64Decoder();
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      const out = decoder.write(chunk);
      done(null, out.length ? out : undefined);
    },
    flush(done: TransformCallback) {
      const out = decoder.end();
      done(null, out.length ? out : undefined);
    },
  });
}

/** True when a mimetype says the data is base64 (`image/png;base64`). */
export function isBase64Mimetype(mimetype: string | undefined): boolean {
  return !!mimetype && /;\s*base64\s*$/i.test(mimetype);
}
