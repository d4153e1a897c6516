// Amazon S3 (and S3-compatible stores through the admin's `endpoint`): the delivery streamed
// to a bucket as a multipart upload, aborted on failure so no orphaned parts are billed.
import type { S3Client } from "@aws-sdk/client-s3";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { HttpClient } from "../../lib/http_client";
import {
  checkedRegion, S3_KEY_PARAMS, S3ClientSettings, S3Destination, s3Execute, s3Form, s3FormFields, s3Key,
} from "../../families/storage/s3_destination";

export class AmazonS3Integration extends FileIntegration implements S3Destination {
  readonly name = "amazon_s3";
  readonly label = "Amazon S3";
  readonly description = "Write data files to an S3 bucket (or an S3-compatible store).";
  readonly icon = iconBeside(__dirname, "amazon_s3.svg");
  readonly params: Param[] = [...S3_KEY_PARAMS, {
    name: "endpoint", label: "Endpoint",
    description: "Optional: the https URL of an S3-compatible store (MinIO, Cloudflare R2, Wasabi, Ceph). " +
      "Leave empty for Amazon S3.",
    required: false, sensitive: false,
  }];
  readonly who = "Amazon S3";
  readonly bucketLabel = "Bucket";
  readonly pathDescription = "Optional folder (key prefix) in front of the file name, e.g. exports/daily/.";

  constructor(private readonly http: HttpClient, private readonly settings: S3ClientSettings) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> { return s3Form(this, request); }
  async validationForm(): Promise<ActionForm> { return new ActionForm(s3FormFields(this)); }
  async execute(request: ActionRequest): Promise<ActionResponse> { return s3Execute(this, request); }
  // The official hub never listed amazon_s3 (no schedule moves over), so Path is honoured here.
  objectKey(request: ActionRequest, name: string): string { return s3Key(request.formParams.path, name); }

  async client(request: ActionRequest): Promise<S3Client> {
    const typed = (request.params.endpoint ?? "").trim();
    // An endpoint typed into the admin settings is a user URL: checked now, and on every connection.
    const endpoint = typed
      ? (await this.http.guard.check(typed)).toString().replace(/\/$/, "") : this.settings.endpoint;
    // AWS's SDK is loaded on first use: start-up time counts, and many hubs never write to S3.
    const { s3Client } = await import("../../lib/object_stores/s3");
    return s3Client({
      accessKeyId: request.params.access_key_id ?? "", secretAccessKey: request.params.secret_access_key ?? "",
      region: checkedRegion(request.params.region), endpoint, lookup: typed ? this.http.guard.connectLookup : undefined,
      who: this.who, connectTimeoutMs: this.settings.connectTimeoutMs, idleTimeoutMs: this.settings.idleTimeoutMs,
      totalTimeoutMs: this.settings.totalTimeoutMs, maxAttempts: this.settings.maxAttempts,
    });
  }
}
