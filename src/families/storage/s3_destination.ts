// What Amazon S3 and DigitalOcean Spaces share: the form (every bucket, a path, a file name)
// and the delivery (a multipart upload of the stream under the object's key). Each integration
// says who it is, where its endpoint is and how its key is made (S3 puts the path in front;
// Spaces ignores it, as the official hub did).
import type { S3Client } from "@aws-sdk/client-s3";
import type { HttpSettings } from "../../config";
import { openDeliveryFile } from "../../data/files/file_delivery";
import { OBJECT_NAME_HELP, objectName, wroteMessage } from "../../data/files/file_naming";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";

/** The hub's timeouts and default endpoint for an S3 client. */
export interface S3ClientSettings {
  /** AWS_S3_ENDPOINT: used when the admin set no `endpoint`. */
  endpoint?: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
  maxAttempts: number;
}

export const S3_KEY_PARAMS: Param[] = [{
  name: "access_key_id", label: "Access Key",
  description: "The access key ID of an IAM user (or S3-compatible key) allowed s3:ListAllMyBuckets, s3:PutObject " +
    "and s3:AbortMultipartUpload.",
  required: true, sensitive: true,
}, {
  name: "secret_access_key", label: "Secret Key", description: "The secret access key that belongs to it.",
  required: true, sensitive: true,
}, {
  name: "region", label: "Region", description: "The buckets' region, e.g. us-east-1.",
  required: true, sensitive: false,
}];

/** The region as given, or a UserError when it cannot be one. */
export function checkedRegion(region: string | undefined): string {
  const value = (region ?? "").trim().toLowerCase();
  if (!/^[a-z0-9-]{2,40}$/.test(value)) {
    throw new UserError("The \"Region\" setting is not a region name: use one like us-east-1.");
  }
  return value;
}

export interface S3Destination {
  /** The store's name in messages. */
  who: string;
  /** What the store calls a bucket ("Bucket", "Space"). */
  bucketLabel: string;
  /** What the form's Path field says. */
  pathDescription: string;
  /** A client for the request's keys, region and endpoint. */
  client(request: ActionRequest): Promise<S3Client>;
  /** The object's key for the delivery's file name. */
  objectKey(request: ActionRequest, name: string): string;
}

/** The form's fields; `buckets` fills the bucket choice (undefined when only checking values). */
export function s3FormFields(destination: S3Destination, buckets?: string[]): FormField[] {
  return [{
    name: "bucket", label: destination.bucketLabel, type: "select", required: true,
    description: `The ${destination.bucketLabel.toLowerCase()} to write to.`,
    default: buckets?.[0], options: (buckets ?? []).map((b) => ({ name: b, label: b })),
  }, {
    name: "path", label: "Path", type: "string", description: destination.pathDescription,
  }, {
    name: "filename", label: "Filename", type: "string", description: OBJECT_NAME_HELP,
  }];
}

export async function s3Form(destination: S3Destination, request: ActionRequest): Promise<ActionForm> {
  const { listS3Buckets } = await import("../../lib/object_stores/s3");
  const buckets = await listS3Buckets(await destination.client(request), destination.who);
  if (!buckets.length) {
    return ActionForm.error(`The key sees no ${destination.bucketLabel.toLowerCase()}s in ${destination.who}: ` +
      `create one, or give the key access to one.`);
  }
  return new ActionForm(s3FormFields(destination, buckets));
}

/** The object key: the path prefix (no leading slash, one trailing slash) and the file name. */
export function s3Key(path: string | undefined, name: string): string {
  const segments = (path ?? "").split("/").map((s) => s.trim()).filter((s) => s && s !== ".");
  if (segments.includes("..")) {
    throw new UserError("The path may not contain \"..\"; give the folder from the bucket's top, e.g. exports/daily/.",
      { path: "Remove \"..\" from the path." });
  }
  return [...segments, name].join("/");
}

export async function s3Execute(destination: S3Destination, request: ActionRequest): Promise<ActionResponse> {
  const bucket = (request.formParams.bucket ?? "").trim();
  const client = await destination.client(request);
  const file = await openDeliveryFile(request, objectName(request, request.formParams.filename));
  const key = destination.objectKey(request, file.name);
  const { uploadS3Stream } = await import("../../lib/object_stores/s3");
  const { bytes } = await uploadS3Stream(client, {
    bucket, key, body: file.stream, contentType: file.contentType, who: destination.who,
    bucketSetting: destination.bucketLabel,
  });
  return ActionResponse.ok(wroteMessage(bytes, `s3://${bucket}/${key}`));
}

/** The hub's HTTP timeouts and attempts, as every S3 client of the hub takes them. */
export function s3ClientSettings(http: HttpSettings): S3ClientSettings {
  return { connectTimeoutMs: http.connectTimeoutMs, idleTimeoutMs: http.idleTimeoutMs,
    totalTimeoutMs: http.totalTimeoutMs, maxAttempts: http.maxAttempts };
}
