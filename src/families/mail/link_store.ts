// The email link store: a file too big to attach is streamed from the spool to the bucket or
// container of EMAIL_LINK_STORE (S3 multipart, GCS resumable, Azure block blob: the storage
// family's object stores) under a random folder, and the email carries a link that expires
// after EMAIL_LINK_TTL_HOURS (an S3 presigned URL, a GCS V4 signed URL, an Azure SAS).
import * as crypto from "crypto";
import { Config } from "../../config";
import { LinkStoreSettings } from "../../config/link_store";
import { RetryableError, UserError } from "../../lib/errors";
import { serviceAccountToken } from "../../lib/google_service_account";
import { HttpClient } from "../../lib/http_client";
import { Logger } from "../../lib/logger";
import { SpooledBody } from "../../lib/spool";
import { LinkedFile, LinkStore } from "./mail_file";

const GCS_SCOPE = "https://www.googleapis.com/auth/devstorage.read_write";
/** Messages of the stores name this setting where a storage integration's would name its form field. */
const SETTING = "EMAIL_LINK_STORE";

/** What the hub's configuration gives the link store besides EMAIL_LINK_STORE itself. */
export interface LinkStoreContext {
  store: LinkStoreSettings;
  ttlHours: number;
  http: HttpClient;
  /** AWS_S3_ENDPOINT, for an S3-compatible store. */
  s3Endpoint?: string;
  gcsApiUrl: string;
  googleTokenUrl: string;
  /** AZURE_STORAGE_BLOB_URL, with `{account}`. */
  azureBlobUrl: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
  maxAttempts: number;
}

/** The key of a linked file: the prefix, a random folder (links cannot be guessed), the name. */
export function linkKey(prefix: string, name: string): string {
  return [prefix, crypto.randomBytes(12).toString("hex"), name].filter(Boolean).join("/");
}

/** A store's refusal, said as the link store's: the admin's setting, and nothing was sent. */
function linkStoreProblem(err: unknown, url: string): Error {
  if (!(err instanceof UserError)) { return err as Error; }
  const message = `The result is too big to attach, and the link store (${SETTING}, ${url}) did not take it: ` +
    `${err.message} Nothing was sent; ask the integration service's admin to check ${SETTING} and its credentials.`;
  return err instanceof RetryableError ? new RetryableError(message) : new UserError(message);
}

export class ObjectLinkStore implements LinkStore {
  constructor(private readonly ctx: LinkStoreContext) {}

  async upload(file: SpooledBody, name: string, contentType: string, logger: Logger): Promise<LinkedFile> {
    const seconds = this.ctx.ttlHours * 3600;
    const expiresAt = new Date(Date.now() + seconds * 1000);
    const store = this.ctx.store;
    const key = linkKey(store.prefix, name);
    try {
      const url = store.kind === "s3" ? await this.s3(store, key, file, contentType, seconds, name)
        : store.kind === "gcs" ? await this.gcs(store, key, file, contentType, seconds, name, logger)
        : await this.azure(store, key, file, contentType, seconds, name);
      return { url, expiresAt };
    } catch (err) {
      throw linkStoreProblem(err, store.url);
    }
  }

  private async s3(store: Extract<LinkStoreSettings, { kind: "s3" }>, key: string, file: SpooledBody,
                   contentType: string, seconds: number, name: string): Promise<string> {
    const { presignS3Get, s3Client, uploadS3Stream } = await import("../../lib/object_stores/s3");
    const client = s3Client({
      accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey, sessionToken: store.sessionToken,
      region: store.region, endpoint: this.ctx.s3Endpoint, connectTimeoutMs: this.ctx.connectTimeoutMs,
      idleTimeoutMs: this.ctx.idleTimeoutMs, totalTimeoutMs: this.ctx.totalTimeoutMs, maxAttempts: this.ctx.maxAttempts,
    });
    try {
      await uploadS3Stream(client,
        { bucket: store.bucket, key, body: file.open(), contentType, bucketSetting: SETTING });
      return await presignS3Get(client, store.bucket, key, seconds, name);
    } finally {
      client.destroy();
    }
  }

  private async gcs(store: Extract<LinkStoreSettings, { kind: "gcs" }>, key: string, file: SpooledBody,
                    contentType: string, seconds: number, name: string, logger: Logger): Promise<string> {
    const { uploadGcsStream } = await import("../../lib/object_stores/gcs");
    const { gcsSignedUrl } = await import("../../lib/object_stores/gcs_signed_url");
    const token = await serviceAccountToken(this.ctx.http, this.ctx.googleTokenUrl,
      { clientEmail: store.clientEmail, privateKey: store.privateKey, scopes: [GCS_SCOPE] }, logger,
      "Google Cloud Storage");
    const session = { http: this.ctx.http, apiUrl: this.ctx.gcsApiUrl, accessToken: token.accessToken, logger };
    await uploadGcsStream(session, { bucket: store.bucket, name: key, body: file.open(), contentType,
      bucketSetting: SETTING, maxAttempts: this.ctx.maxAttempts });
    return gcsSignedUrl({ clientEmail: store.clientEmail, privateKey: store.privateKey, bucket: store.bucket,
      name: key, expiresInSeconds: seconds, baseUrl: this.ctx.gcsApiUrl, downloadName: name });
  }

  private async azure(store: Extract<LinkStoreSettings, { kind: "azblob" }>, key: string, file: SpooledBody,
                      contentType: string, seconds: number, name: string): Promise<string> {
    const { azureBlobService, azureSasUrl, uploadAzureStream } = await import("../../lib/object_stores/azure_blob");
    const settings = { account: store.account, accessKey: store.accessKey, blobUrlTemplate: this.ctx.azureBlobUrl,
      maxTries: this.ctx.maxAttempts, tryTimeoutMs: this.ctx.totalTimeoutMs };
    await uploadAzureStream(azureBlobService(settings), { container: store.container, name: key, body: file.open(),
      contentType, stallMs: this.ctx.totalTimeoutMs, containerSetting: SETTING });
    return azureSasUrl(settings, store.container, key, seconds, name);
  }
}

/** The hub's link store, when EMAIL_LINK_STORE is set. */
export function emailLinkStore(config: Config, http: HttpClient): LinkStore | undefined {
  const store = config.email.linkStore;
  if (!store) { return undefined; }
  return new ObjectLinkStore({
    store, ttlHours: config.email.linkTtlHours, http, s3Endpoint: config.storage.s3Endpoint,
    gcsApiUrl: config.storage.gcsApiUrl, googleTokenUrl: config.google.oauthTokenUrl,
    azureBlobUrl: config.storage.azureBlobUrl, connectTimeoutMs: config.http.connectTimeoutMs,
    idleTimeoutMs: config.http.idleTimeoutMs, totalTimeoutMs: config.http.totalTimeoutMs,
    maxAttempts: config.http.maxAttempts,
  });
}
