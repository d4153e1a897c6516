// The v3 mail/send JSON body with the attachment base64-encoded into it as a stream: the JSON
// before and after the attachment's `content` is small text, the content is encoded from the
// spooled file on the fly, and the exact length is known up front (4 characters per 3 bytes),
// so the body is sent with a Content-Length and re-read for a retry without a copy in memory.
import { Readable } from "stream";
import { StreamBody } from "../../lib/http_client";
import { SpooledBody } from "../../lib/spool";

export interface SendgridAttachment {
  file: SpooledBody;
  filename: string;
  type: string;
}

/** Base64 characters of `bytes` bytes. */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

async function* base64Chunks(source: Readable): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  for await (const chunk of source) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : chunk as Buffer;
    const whole = buf.length - (buf.length % 3);
    carry = buf.subarray(whole);
    if (whole) { yield Buffer.from(buf.subarray(0, whole).toString("base64"), "latin1"); }
  }
  if (carry.length) { yield Buffer.from(carry.toString("base64"), "latin1"); }
}

/** The request body: `message` (everything but attachments) plus the attachment when there is one. */
export function mailSendBody(message: Record<string, unknown>, attachment?: SendgridAttachment): StreamBody {
  const json = JSON.stringify(message);
  if (!attachment) {
    const bytes = Buffer.from(json, "utf8");
    return { size: bytes.length, open: () => Readable.from([bytes]) };
  }
  const head = Buffer.from(`${json.slice(0, -1)},"attachments":[{"filename":${JSON.stringify(attachment.filename)},` +
    `"type":${JSON.stringify(attachment.type)},"disposition":"attachment","content":"`, "utf8");
  const tail = Buffer.from("\"}]}", "utf8");
  const size = head.length + base64Length(attachment.file.size) + tail.length;
  return {
    size,
    open: () => Readable.from((async function* () {
      yield head;
      yield* base64Chunks(attachment.file.open());
      yield tail;
    })(), { objectMode: false }),
  };
}
