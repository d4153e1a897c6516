// Amazon S3 and S3-compatible stores (DigitalOcean Spaces, MinIO, R2, Wasabi, Ceph): listing
// buckets, a multipart upload of a stream in constant memory, presigned download links, and
// the store's refusals as sentences. No Action API knowledge: the storage integrations and the
// email link store both use it.
//
// Memory: the upload holds at most `buffers` parts of `partSize` bytes, in buffers reused from
// part to part. Each part is a Buffer, so the SDK's own retry (per request, exponential backoff)
// resends a part that failed without restarting the upload; when the upload fails for good it is
// aborted, so no parts stay billed.
import {
  AbortMultipartUploadCommand, CompletedPart, CompleteMultipartUploadCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, GetBucketLocationCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand,
  ListBucketsCommandOutput, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import * as http from "http";
import * as https from "https";
import { Readable } from "stream";
import { UserError } from "../errors";
import { PooledPart, uploadInParts } from "../part_pool";
import { CappedHttpHandler } from "./capped_handler";
import { countBytes } from "./store_errors";
import { s3Problem } from "./s3_errors";

export { s3Problem } from "./s3_errors";

export interface S3Settings {
  accessKeyId: string;
  secretAccessKey: string;
  /** For temporary credentials (AWS_SESSION_TOKEN). */
  sessionToken?: string;
  region: string;
  /** An S3-compatible endpoint; omitted for AWS itself. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which most S3-compatible servers want. */
  forcePathStyle?: boolean;
  /** Attempts per request (each part included), the first counted; default 4. */
  maxAttempts?: number;
  connectTimeoutMs?: number;
  /** Longest silence on a socket; default 60 s. */
  idleTimeoutMs?: number;
  /** Longest one request (one part) may take; default 15 minutes. */
  totalTimeoutMs?: number;
  /** A `lookup` for the sockets, e.g. the URL guard's for an endpoint a user typed. */
  lookup?: any;
  /** Names the store in messages ("Amazon S3", "DigitalOcean Spaces"). */
  who?: string;
}

/** An S3 client with the hub's timeouts and retry count. */
export function s3Client(settings: S3Settings): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: 16, lookup: settings.lookup };
  return new S3Client({
    region: settings.region || "us-east-1",
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle ?? Boolean(settings.endpoint),
    credentials: { accessKeyId: settings.accessKeyId.trim(), secretAccessKey: settings.secretAccessKey.trim(),
      sessionToken: settings.sessionToken?.trim() || undefined },
    maxAttempts: settings.maxAttempts ?? 4,
    // Checksums on every part cost CPU and some S3-compatible servers refuse the new headers.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: new CappedHttpHandler({
      connectionTimeout: settings.connectTimeoutMs ?? 10_000,
      socketTimeout: settings.idleTimeoutMs ?? 60_000,
      requestTimeout: settings.totalTimeoutMs ?? 900_000,
      throwOnRequestTimeout: true,
      httpAgent: new http.Agent(agentOptions),
      httpsAgent: new https.Agent(agentOptions),
    }),
  });
}

/** Every bucket the key can see, by name (all pages). */
export async function listS3Buckets(client: S3Client, who = "Amazon S3"): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  try {
    for (let page = 0; page < 1000; page++) {
      const answer: ListBucketsCommandOutput = await client.send(new ListBucketsCommand({
        ContinuationToken: token, MaxBuckets: token === undefined && page === 0 ? undefined : 1000,
      }));
      for (const b of answer.Buckets ?? []) { if (b.Name) { names.push(b.Name); } }
      // A token that repeats (a broken or hostile server) ends the listing.
      if (!answer.ContinuationToken || answer.ContinuationToken === token) { break; }
      token = answer.ContinuationToken;
    }
  } catch (err) {
    throw s3Problem(err, { who, action: "list", permission: "s3:ListAllMyBuckets" });
  }
  return names.sort((a, b) => a.localeCompare(b));
}

export interface S3UploadOptions {
  bucket: string;
  key: string;
  body: Readable;
  contentType?: string;
  /** Bytes per part, at least 5 MiB (S3's minimum, and the default: 10,000 parts make 48.8 GiB at most). */
  partSize?: number;
  /** Parts in memory (and in flight) at once, at least 2; default 2. */
  buffers?: number;
  who?: string;
  /** The setting that names the bucket, for messages ("Bucket"); they never quote the value. */
  bucketSetting?: string;
  signal?: AbortSignal;
}

const MIN_PART = 5 * 1024 * 1024;
/** S3's limit of parts in one multipart upload. */
const MAX_PARTS = 10_000;

/**
 * Streams `body` to `bucket/key` (one PUT when it fits in one part, else a multipart upload of
 * parts from a reused pool: part_pool.ts); answers the bytes written. A multipart upload that
 * fails is aborted once no part is in flight any more, so no parts stay billed.
 */
export async function uploadS3Stream(client: S3Client, options: S3UploadOptions): Promise<{ bytes: number }> {
  const counted = countBytes(options.body);
  const who = options.who ?? "Amazon S3";
  const partSize = Math.max(MIN_PART, options.partSize ?? MIN_PART);
  const target = { Bucket: options.bucket, Key: options.key };
  let uploadId: Promise<string> | undefined;
  const completed: CompletedPart[] = [];
  const send = async (part: PooledPart, signal?: AbortSignal) => {
    if (part.index === 0 && part.last) {
      await client.send(new PutObjectCommand({ ...target, Body: part.bytes, ContentLength: part.bytes.length,
        ContentType: options.contentType }), { abortSignal: signal });
      return;
    }
    if (part.index >= MAX_PARTS) {
      throw new UserError(`The file is larger than ${who} takes in one upload of ${MAX_PARTS} parts of ` +
        `${partSize / 1024 / 1024} MiB; nothing was written.`);
    }
    uploadId ??= client.send(new CreateMultipartUploadCommand({ ...target, ContentType: options.contentType }),
      { abortSignal: signal }).then((created) => {
      if (!created.UploadId) { throw new UserError(`${who} did not start the upload (no upload id in its answer).`); }
      return created.UploadId;
    });
    const answer = await client.send(new UploadPartCommand({ ...target, UploadId: await uploadId,
      PartNumber: part.index + 1, Body: part.bytes, ContentLength: part.bytes.length }), { abortSignal: signal });
    completed[part.index] = { PartNumber: part.index + 1, ETag: answer.ETag };
  };
  try {
    await uploadInParts(counted.stream, { partSize, buffers: options.buffers ?? 2, signal: options.signal }, send);
    if (uploadId) {
      await client.send(new CompleteMultipartUploadCommand({ ...target, UploadId: await uploadId,
        MultipartUpload: { Parts: completed } }), { abortSignal: options.signal as any });
    }
  } catch (err) {
    if (uploadId) {
      const started = uploadId;
      await started.then((id) => client.send(new AbortMultipartUploadCommand({ ...target, UploadId: id })))
        .catch(() => undefined);
    }
    const sourceError = counted.sourceError();
    if (sourceError) { throw sourceError; }
    throw s3Problem(err, { who: options.who, action: "write", permission: "s3:PutObject",
      bucketSetting: options.bucketSetting ?? "Bucket" });
  }
  return { bytes: counted.bytes() };
}

/** True when `bucket/key` exists. */
export async function s3ObjectExists(
  client: S3Client, bucket: string, key: string, who = "Amazon S3", bucketSetting = "Bucket",
): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (err) {
    const status = (err as S3ServiceException).$metadata?.httpStatusCode;
    if (status === 404 && (err as Error).name !== "NoSuchBucket") { return false; }
    throw s3Problem(err, { who, action: "read", permission: "s3:GetObject", bucketSetting });
  }
}

/** The region a bucket was created in (S3 answers no constraint for us-east-1, and "EU" for eu-west-1). */
export async function s3BucketRegion(client: S3Client, bucket: string, who = "Amazon S3", bucketSetting = "Bucket"):
  Promise<string> {
  try {
    const answer = await client.send(new GetBucketLocationCommand({ Bucket: bucket }));
    const constraint = String(answer.LocationConstraint ?? "");
    return constraint === "" ? "us-east-1" : constraint === "EU" ? "eu-west-1" : constraint;
  } catch (err) {
    throw s3Problem(err, { who, action: "read", permission: "s3:GetBucketLocation", bucketSetting });
  }
}

/** Small objects the hub keeps for itself (markers of work in progress): put, read, list by prefix, delete. */
export const s3SmallObjects = {
  async put(client: S3Client, bucket: string, key: string, body: string): Promise<void> {
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body,
        ContentType: "application/json" }));
    } catch (err) {
      throw s3Problem(err, { action: "write", permission: "s3:PutObject" });
    }
  },
  async get(client: S3Client, bucket: string, key: string, maxBytes = 64 * 1024): Promise<string | undefined> {
    try {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = await answer.Body?.transformToByteArray();
      return bytes && bytes.length <= maxBytes ? Buffer.from(bytes).toString("utf8") : undefined;
    } catch (err) {
      if ((err as Error).name === "NoSuchKey") { return undefined; }
      throw s3Problem(err, { action: "read", permission: "s3:GetObject" });
    }
  },
  async list(client: S3Client, bucket: string, prefix: string, max = 100): Promise<string[]> {
    try {
      const answer = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: max }));
      return (answer.Contents ?? []).map((c) => c.Key ?? "").filter(Boolean);
    } catch (err) {
      throw s3Problem(err, { action: "list", permission: "s3:ListBucket" });
    }
  },
  async remove(client: S3Client, bucket: string, key: string): Promise<void> {
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      throw s3Problem(err, { action: "write", permission: "s3:DeleteObject" });
    }
  },
};

/** A presigned GET link to `bucket/key`, valid for `expiresInSeconds` (S3 allows up to 7 days). */
export async function presignS3Get(
  client: S3Client, bucket: string, key: string, expiresInSeconds: number, downloadName?: string,
): Promise<string> {
  const disposition = downloadName ? `attachment; filename="${downloadName.replace(/["\\\r\n]/g, "_")}"` : undefined;
  const command = new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: disposition });
  return getSignedUrl(client, command,
    { expiresIn: Math.min(expiresInSeconds, 7 * 24 * 3600) });
}
