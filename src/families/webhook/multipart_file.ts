// A delivery as the `file` part of a multipart/form-data body, the way chat and ticket vendors
// take an attached file (Jira's attachments, Discord's and Slack-like webhooks): streamed from
// Looker's data as it is sent, never whole in memory. The body goes chunked as it is read (the
// HTTP client's `streamed`: no pass through disk before the first send) while a copy is kept for
// a retry, which sends the same bytes, with their length (also to a vendor that answers 411).
import * as crypto from "crypto";
import { PassThrough, Readable } from "stream";
import { Delivery } from "../../hub/delivery";
import { UserError } from "../../lib/errors";
import { sendAsRead } from "../../lib/http_request";

/** A filename for a multipart header: quotes and line breaks dropped, non-ASCII in filename*. */
function dispositionName(name: string): string {
  const ascii = name.replace(/["\\\r\n]/g, "_").replace(/[^\x20-\x7e]/g, "_");
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export interface MultipartFile {
  body: Readable;
  contentType: string;
  /** Bytes of the file itself, known once the body has been read. */
  bytes: () => number;
}

export interface MultipartOptions {
  /** The file part's name: `file` unless the vendor names it otherwise (Discord: `files[0]`). */
  fileField?: string;
  /** Text parts sent before the file, e.g. a message as JSON (Discord's `payload_json`). */
  fields?: Record<string, string>;
  /**
   * The vendor's limit on the file: past it the body fails with `tooLarge` (a UserError), no more of
   * the data is read and the request is cut before its end, so the vendor keeps nothing.
   */
  maxFileBytes?: number;
  /** The refusal when the file passes `maxFileBytes`, worded for the Looker user. */
  tooLarge?: (limit: number) => UserError;
}

/** A part's name for its header: quotes and line breaks cannot end the header early. */
function partName(name: string): string {
  return name.replace(/["\\\r\n]/g, "_");
}

/** The delivery as the file part of a multipart/form-data body (after any text parts), read as it is sent. */
export async function multipartFile(delivery: Delivery, fileName: string, fileType: string,
                                    options: MultipartOptions = {}): Promise<MultipartFile> {
  const boundary = `----LookerHub${crypto.randomBytes(12).toString("hex")}`;
  const texts = Object.entries(options.fields ?? {}).map(([name, value]) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${partName(name)}"\r\n\r\n${value}\r\n`).join("");
  const head = `${texts}--${boundary}\r\nContent-Disposition: form-data; name="${partName(options.fileField ?? "file")}"; ` +
    `${dispositionName(fileName)}\r\nContent-Type: ${fileType}\r\n\r\n`;
  const source = await delivery.stream();
  let bytes = 0;
  const body = sendAsRead(new PassThrough());
  body.write(head);
  const limit = options.maxFileBytes;
  source.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (limit !== undefined && bytes > limit) {
      source.unpipe(body);
      source.destroy();
      body.destroy(options.tooLarge?.(limit) ?? new UserError(`The file is larger than ${limit} bytes.`));
    }
  });
  source.on("error", (err) => body.destroy(err));
  source.on("end", () => body.end(`\r\n--${boundary}--\r\n`));
  source.pipe(body, { end: false });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, bytes: () => bytes };
}
