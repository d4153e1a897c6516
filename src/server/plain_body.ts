// Short plain bodies (a declared length of at most 64 KiB, no compression, UTF-8) are read
// whole here, without body-parser's or the streaming reader's machinery: list, form and cell
// requests are most of Looker's small traffic, and for them that machinery cost more CPU than
// the JSON. Every other body goes the general way (bodies.ts, src/data/body/payload_stream.ts).
import { Request } from "express";

const PLAIN_BODY_BYTES = 64 * 1024;
/** No charset, or UTF-8 (what body-parser reads any UTF-8 body as). */
const UTF8_TYPE = /^[^;]*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** The declared length of a short, uncompressed UTF-8 body of at most `limit` bytes; else undefined. */
export function plainLength(req: Request, limit: number): number | undefined {
  const { headers } = req;
  const length = headers["content-length"];
  if (length === undefined || length.length > 6 || !/^\d+$/.test(length) || headers["transfer-encoding"]) {
    return undefined;
  }
  const declared = Number(length);
  const encoding = headers["content-encoding"];
  const type = headers["content-type"];
  if (declared > limit || declared > PLAIN_BODY_BYTES || (encoding && encoding.toLowerCase() !== "identity") ||
    (type !== undefined && !UTF8_TYPE.test(type))) {
    return undefined;
  }
  return declared;
}

/** Reads the body whole: `whole` with its bytes, or `cut` with the bytes read when it ends short. */
export function readWhole(req: Request, whole: (bytes: Buffer) => void, cut: (bytesRead: number) => void): void {
  const chunks: Buffer[] = [];
  let read = 0;
  let settled = false;
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    read += chunk.length;
  };
  // A request closes after its end too: only one that closes first was cut short.
  const cutShort = () => {
    if (settled) { return; }
    settled = true;
    req.off("data", onData);
    cut(read);
  };
  req.on("data", onData);
  req.once("end", () => {
    if (settled) { return; }
    settled = true;
    whole(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, read));
  });
  req.once("error", cutShort);
  req.once("close", cutShort);
}

/** The JSON text of a body as body-parser reads it: UTF-8 without a byte order mark. */
export function jsonText(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
