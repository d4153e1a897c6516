// What the hub writes into Jira: the description (Atlassian Document Format on Cloud, plain text
// on Data Center) with the official hub's `Looker URL:` line, and the delivery as a multipart
// attachment body streamed from Looker's data (the HTTP client spools it so a retry sends the
// same bytes).
import * as crypto from "crypto";
import { PassThrough, Readable } from "stream";
import { Delivery } from "../../hub/delivery";

/** Paragraphs of text, and a last paragraph linking to Looker, as an ADF document. */
export function adfDescription(text: string, lookerUrl?: string): Record<string, unknown> {
  const paragraphs = text.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean).map((p) => ({
    type: "paragraph",
    content: p.split("\n").flatMap((line, i) => [
      ...(i ? [{ type: "hardBreak" }] : []), ...(line ? [{ type: "text", text: line }] : []),
    ]),
  }));
  if (lookerUrl) {
    paragraphs.push({ type: "paragraph", content: [{ type: "text", text: "Looker URL: " },
      { type: "text", text: lookerUrl, marks: [{ type: "link", attrs: { href: lookerUrl } }] } as any,
    ] });
  }
  return { type: "doc", version: 1, content: paragraphs };
}

/** The official hub's description: the text as typed, then a line `Looker URL: <url>`. */
export function textDescription(text: string, lookerUrl?: string): string {
  return lookerUrl ? `${text}\nLooker URL: ${lookerUrl}` : text;
}

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

/** The delivery as the `file` part of a multipart/form-data body, read as it is sent. */
export async function multipartFile(delivery: Delivery, fileName: string, fileType: string): Promise<MultipartFile> {
  const boundary = `----LookerHub${crypto.randomBytes(12).toString("hex")}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${dispositionName(fileName)}\r\n` +
    `Content-Type: ${fileType}\r\n\r\n`;
  const source = await delivery.stream();
  let bytes = 0;
  const body = new PassThrough();
  body.write(head);
  source.on("data", (chunk: Buffer) => { bytes += chunk.length; });
  source.on("error", (err) => body.destroy(err));
  source.on("end", () => body.end(`\r\n--${boundary}--\r\n`));
  source.pipe(body, { end: false });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, bytes: () => bytes };
}
