// The attachment's MIME part, written by the hub instead of nodemailer's encoder: its headers
// (built with nodemailer's own header functions, so names with any characters are encoded as
// RFC 2231 says) and the body as base64 lines straight from the spooled file into Buffers
// (src/families/mail/base64_lines.ts), which keeps the hub's memory flat for attachments of any size.
import { Readable } from "stream";
import { base64Lines } from "../../families/mail/base64_lines";
import { SpooledBody } from "../../lib/spool";

export interface AttachmentPart {
  name: string;
  contentType: string;
  body: SpooledBody;
}

/** `text/csv; charset=utf-8` as `{value, params}`. */
function splitType(contentType: string): { value: string; params: Record<string, string> } {
  const [value, ...rest] = contentType.split(";").map((s) => s.trim());
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf("=");
    if (eq > 0) { params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1"); }
  }
  return { value: value || "application/octet-stream", params };
}

/** The part as nodemailer's `raw` attachment: headers, a blank line, base64 lines. */
export async function attachmentPart(file: AttachmentPart): Promise<Readable> {
  const { buildHeaderValue, foldLines } = await import("nodemailer/lib/mime-funcs");
  const type = splitType(file.contentType);
  const headers = [
    `Content-Type: ${buildHeaderValue({ value: type.value, params: { ...type.params, name: file.name } })}`,
    "Content-Transfer-Encoding: base64",
    `Content-Disposition: ${buildHeaderValue({ value: "attachment", params: { filename: file.name } })}`,
  ].map((h) => foldLines(h, 76)).join("\r\n") + "\r\n\r\n";
  const body = base64Lines(file.body.open());
  return Readable.from((async function* () {
    yield Buffer.from(headers, "utf8");
    yield* body;
  })(), { objectMode: false });
}
