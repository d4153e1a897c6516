// Google Cloud Storage: the delivery streamed to a bucket with a resumable upload, signed in
// as a service account (a JWT signed with its key, exchanged at the token URL).
import { openDeliveryFile, withSuffix } from "../../data/files/file_delivery";
import { deliveryStamp, expandUtcDateTokens, objectName, wroteMessage } from "../../data/files/file_naming";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { RetryableError, UserError } from "../../lib/errors";
import { serviceAccountToken } from "../../lib/google_service_account";
import { HttpClient } from "../../lib/http_client";
import { GcsObjectExists, GcsSession, listGcsBuckets, uploadGcsStream } from "../../lib/object_stores/gcs";

export interface GcsSettings {
  /** GCS_API_URL, without a trailing slash. */
  apiUrl: string;
  /** GOOGLE_OAUTH_TOKEN_URL. */
  tokenUrl: string;
}

const SCOPE = "https://www.googleapis.com/auth/devstorage.read_write";

export class GoogleCloudStorageIntegration extends FileIntegration {
  readonly name = "google_cloud_storage";
  readonly label = "Google Cloud Storage";
  readonly description = "Write data files to a Google Cloud Storage bucket.";
  readonly icon = iconBeside(__dirname, "google_cloud_storage.svg");
  readonly params: Param[] = [{
    name: "client_email", label: "Client Email",
    description: "The service account's email: \"client_email\" in its JSON key file.",
    required: true, sensitive: false,
  }, {
    name: "private_key", label: "Private Key",
    description: "\"private_key\" of the JSON key file, pasted as it is (with its \\n). The service account needs " +
      "Storage Object Creator on the buckets and storage.buckets.list on the project to list them.",
    required: true, sensitive: true,
  }, {
    name: "project_id", label: "Project Id", description: "The project whose buckets are offered (\"project_id\").",
    required: true, sensitive: false,
  }];

  constructor(private readonly http: HttpClient, private readonly settings: GcsSettings) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    try {
      const buckets = await listGcsBuckets(await this.session(request), (request.params.project_id ?? "").trim());
      return new ActionForm(this.fields(buckets, buckets.length ? undefined :
        "The project in \"Project Id\" has no buckets the service account can see: type a bucket's name below."));
    } catch (err) {
      // As the official hub does, a bucket list the account may not read still leaves the name to
      // type (a service account may write to another project's bucket it cannot list), with the
      // reason shown. A vendor that is down or busy is a form error, to be tried again.
      if (!(err instanceof UserError) || err instanceof RetryableError) { throw err; }
      return new ActionForm(this.fields([], `The buckets could not be listed: ${err.message} ` +
        "You can still type a bucket's name below."));
    }
  }

  async validationForm(): Promise<ActionForm> { return new ActionForm(this.fields()); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const bucket = (request.formParams.bucket_override ?? "").trim() || (request.formParams.bucket ?? "").trim();
    if (!bucket) {
      throw new UserError("Google Cloud Storage needs a bucket: pick one in \"Bucket\" or type its name in " +
        "\"Bucket name (manual override)\".", { bucket: "Pick a bucket, or type one in the manual override." });
    }
    const session = await this.session(request);
    // One moment for the date tokens and the Overwrite: no stamp, as the official hub named files.
    const now = new Date();
    const typed = request.formParams.filename ? expandUtcDateTokens(request.formParams.filename, now) : undefined;
    const noOverwrite = (request.formParams.overwrite ?? "yes").trim().toLowerCase() === "no";
    let name = objectName(request, typed, now);
    // The stamp comes from the delivery (its webhook id) where there is one: a re-send gets the same name.
    if (noOverwrite) { name = withSuffix(name, deliveryStamp(request, now)); }
    const file = await openDeliveryFile(request, name);
    try {
      const { bytes } = await uploadGcsStream(session, {
        bucket, name, body: file.stream, contentType: file.contentType, noOverwrite,
        // A chunk gets one more try than a plain request: each resumes where the last one stopped.
        maxAttempts: this.http.retryPolicy.maxAttempts + 1, retryBaseDelayMs: this.http.retryPolicy.baseDelayMs,
      });
      return ActionResponse.ok(wroteMessage(bytes, `gs://${bucket}/${name}`));
    } catch (err) {
      // The name is this delivery's own: what is there was written by an earlier send of it.
      if (!(err instanceof GcsObjectExists && noOverwrite && request.webhookId)) { throw err; }
      request.logger.info("delivery already written", { integration: this.name });
      return ActionResponse.ok(`gs://${bucket}/${name} was already written by this delivery (sent again with ` +
        "the same Looker webhook id); nothing was replaced.");
    }
  }

  /** The official hub's fields; `problem` says why the bucket list is empty. */
  private fields(buckets?: string[], problem?: string): FormField[] {
    return [{
      name: "bucket", label: "Bucket", type: "select", required: false,
      description: problem ?? "Buckets the service account sees in its project. Leave empty and use the manual " +
        "override below to write to a bucket it cannot list.",
      default: buckets?.[0], options: (buckets ?? []).map((b) => ({ name: b, label: b })),
    }, {
      name: "bucket_override", label: "Bucket name (manual override)", type: "string",
      description: "Optional: the exact name of the bucket to write to; wins over the list. For a bucket in " +
        "another project where the service account may only create objects.",
    }, {
      name: "filename", label: "Filename", type: "string",
      description: "Used exactly as typed, folders included (daily/report.csv). {YYYYMMDD}, {YYYY}, {MM}, {DD} " +
        "(UTC), {date} and {timestamp} are replaced. Empty: the schedule's title with the format's extension.",
    }, {
      name: "overwrite", label: "Overwrite", type: "select", default: "yes",
      description: "Yes: replace an object of the same name. No: add the time (epoch milliseconds) to every " +
        "file's name, so each delivery is kept.",
      options: [{ name: "yes", label: "Yes" }, { name: "no", label: "No" }],
    }];
  }

  private async session(request: ActionRequest): Promise<GcsSession> {
    const clientEmail = (request.params.client_email ?? "").trim();
    if (!clientEmail) { throw new UserError("The Client Email setting is empty."); }
    const token = await serviceAccountToken(this.http, this.settings.tokenUrl, {
      clientEmail, privateKey: request.params.private_key ?? "", scopes: [SCOPE],
    }, request.logger, "Google Cloud Storage");
    return { http: this.http, apiUrl: this.settings.apiUrl, accessToken: token.accessToken, logger: request.logger };
  }
}
