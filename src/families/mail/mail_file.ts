// Attach or link by size: the email family's rule for the delivery's file. The data is spooled
// once (counted on the way); a file up to the attachment limit is attached, a larger one is
// uploaded to the hub's link store and sent as an expiring link, and without a link store the
// delivery fails before anything is sent, saying how big the result is and what to do. Nothing
// is ever cut short. The first rows for the body are read back from the spooled file.
import { EmailSettings } from "../../config/email";
import { StreamDelivery } from "../../data/delivery/read_once";
import { formatBytes, requestContentType, requestFileName } from "../../data/files/file_naming";
import { readPreview, RowPreview } from "../../data/rows/row_preview";
import { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";
import { Logger } from "../../lib/logger";
import { SpooledBody, spoolUpTo } from "../../lib/spool";
import { headerSafe } from "./mail_addresses";

export interface LinkedFile {
  url: string;
  expiresAt: Date;
}

/** Where files too big to attach are put, answering a link that expires. */
export interface LinkStore {
  /** Uploads the file and answers a URL to download it, valid until `expiresAt`. */
  upload(file: SpooledBody, name: string, contentType: string, logger: Logger): Promise<LinkedFile>;
}

/** What both email integrations are given by the hub. */
export interface MailServices {
  settings: EmailSettings;
  spoolDir: string;
  /** Where files over EMAIL_MAX_ATTACHMENT_BYTES go, when EMAIL_LINK_STORE is set. */
  linkStore?: LinkStore;
}

export interface MailFileOptions {
  /** Largest file attached, in bytes. */
  maxAttachmentBytes: number;
  linkStore?: LinkStore;
  spoolDir: string;
  /** Rows shown in the body. */
  previewRows: number;
  /** Names the provider in the too-big message, e.g. "an email" or "a SendGrid email". */
  what?: string;
}

export type MailFile =
  | { kind: "none" }
  | { kind: "attached"; name: string; contentType: string; size: number; body: SpooledBody }
  | { kind: "linked"; name: string; contentType: string; size: number; url: string; expiresAt: Date };

export interface PreparedFile {
  file: MailFile;
  preview?: RowPreview;
  /** Removes the spooled data; call when the email is sent (or failed). */
  dispose(): Promise<void>;
}

/** Too big to attach, and no link store: the Looker user's two ways out. */
export function tooBigMessage(size: number, limit: number, what = "an email"): string {
  return `The result is ${formatBytes(size)}, more than the ${formatBytes(limit)} ${what} can carry as an ` +
    "attachment, so nothing was sent. Filter the report to fewer rows (or pick a smaller format), or ask " +
    "your Looker admin to configure a link store on the integration service (EMAIL_LINK_STORE), which " +
    "sends large results as a download link.";
}

/** The file's name from the `filename` form field (checked for line breaks), else the title. */
export function mailFileName(request: ActionRequest, field = "filename"): string {
  const typed = headerSafe(request.formParams[field] ?? "", "The file name", field);
  // Characters mail clients and file systems trip over in an attachment name.
  return requestFileName(request, typed, { forbidden: /["<>:*?|]/ });
}

/** Reads the delivery once and applies the size rule; the caller disposes the result. */
export async function prepareMailFile(request: ActionRequest, options: MailFileOptions): Promise<PreparedFile> {
  const nothing: PreparedFile = { file: { kind: "none" }, dispose: async () => undefined };
  if (!request.delivery) { return nothing; }
  const name = mailFileName(request);
  const limit = options.maxAttachmentBytes;
  const spooled = await spoolUpTo(await request.delivery.stream(), {
    dir: options.spoolDir, keepBytes: options.linkStore ? Number.MAX_SAFE_INTEGER : limit,
  });
  const body = spooled.body;
  if (!body) { throw new UserError(tooBigMessage(spooled.size, limit, options.what)); }
  const dispose = () => body.dispose();
  try {
    if (spooled.size === 0) { await dispose(); return nothing; }
    const contentType = requestContentType(request);
    const preview = await previewOf(request, body, options.previewRows);
    if (spooled.size <= limit) {
      return { file: { kind: "attached", name, contentType, size: spooled.size, body }, preview, dispose };
    }
    const link = await options.linkStore!.upload(body, name, contentType, request.logger);
    request.logger.info("email file linked", { bytes: spooled.size });
    return { file: { kind: "linked", name, contentType, size: spooled.size, ...link }, preview, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

async function previewOf(request: ActionRequest, body: SpooledBody, rows: number): Promise<RowPreview | undefined> {
  if (rows <= 0 || request.type === "dashboard") { return undefined; }
  const delivery = new StreamDelivery("push", request.format, request.delivery?.mimetype, () => body.open());
  const hidden = request.scheduledPlan?.query?.vis_config?.hidden_fields;
  try {
    return await readPreview(delivery, request.format, Array.isArray(hidden) ? hidden : [], rows);
  } catch {
    // The file goes out as Looker made it; a body without rows beats no email.
    request.logger.info("email preview skipped: the data could not be read as rows");
    return undefined;
  }
}
