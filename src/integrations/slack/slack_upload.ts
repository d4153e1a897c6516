// A delivery as a file in Slack, through Slack's external upload flow:
// files.getUploadURLExternal (name + length) → POST the bytes → files.completeUploadExternal
// (channel, title). The retired files.upload is never used. A comment is the caller's own
// message: Slack's initial_comment does not render links (the official hub posts it apart too).
import * as os from "os";
import { Delivery } from "../../hub/delivery";
import { UserError } from "../../lib/errors";
import { SpoolLimitError, spoolStream } from "../../lib/spool";
import { SlackApi } from "./slack_api";
import { fileTooLargeMessage } from "./slack_errors";
import { postFileToUploadUrl, UploadBody, UploadPostOptions } from "./upload_post";

export interface FileUpload {
  /** The conversation, or how to find it once the file is known not to be empty (a DM's channel). */
  channelId: string | (() => Promise<string>);
  fileName: string;
  title: string;
  maxBytes: number;
  tmpDir?: string;
  post: UploadPostOptions;
}

/** Uploads the delivery as one file; answers its size, or 0 when there was nothing to send. */
export async function uploadDelivery(api: SlackApi, delivery: Delivery, upload: FileUpload): Promise<number> {
  const source = await delivery.stream();
  const size = delivery.knownSize?.();
  if (size !== undefined && size > upload.maxBytes) {
    source.destroy();
    throw new UserError(fileTooLargeMessage(upload.maxBytes, size));
  }
  // Slack needs the length before the bytes. When the delivery says it (a download's
  // Content-Length, an attachment already on disk), the bytes go as they are read, a copy kept
  // for a retry; otherwise they go to a private temporary file first.
  if (size !== undefined && size > 0) { return uploadFile(api, upload, source, size); }
  let spooled;
  try {
    spooled = await spoolStream(source, { dir: upload.tmpDir ?? os.tmpdir(), maxBytes: upload.maxBytes });
  } catch (err) {
    if (err instanceof SpoolLimitError) { throw new UserError(fileTooLargeMessage(err.limit, err.limit)); }
    throw err;
  }
  try {
    return spooled.size === 0 ? 0 : await uploadFile(api, upload, spooled, spooled.size);
  } finally {
    await spooled.dispose();
  }
}

/** The external upload of `size` bytes: an address for them, the bytes, then the file shared. */
async function uploadFile(api: SlackApi, upload: FileUpload, file: UploadBody, size: number): Promise<number> {
  const target = await api.call("files.getUploadURLExternal", (c) => c.files.getUploadURLExternal({
    filename: upload.fileName, length: size,
  }));
  if (!target.upload_url || !target.file_id) {
    throw new UserError("Slack did not hand out an upload address for the file. Try again later.");
  }
  await postFileToUploadUrl(target.upload_url, file, size, upload.post);
  const channelId = typeof upload.channelId === "string" ? upload.channelId : await upload.channelId();
  await api.call("files.completeUploadExternal", (c) => c.files.completeUploadExternal({
    files: [{ id: target.file_id!, title: upload.title }],
    channel_id: channelId,
  }));
  return size;
}
