// What Amazon S3 and DigitalOcean Spaces share: the form (every bucket, a path, a file name)
// and the delivery (a multipart upload of the stream under the object's key). Each integration
// says who it is, where its endpoint is and how its key is made (S3 puts the path in front;
// Spaces ignores it, as the official hub did).
import type { S3Client } from "@aws-sdk/client-s3";
import { openDeliveryFile } from "../../data/files/file_delivery";
import { OBJECT_NAME_HELP, objectName, wroteMessage } from "../../data/files/file_naming";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { UserError } from "../../lib/errors";

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
