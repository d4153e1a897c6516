// Google Cloud Storage: the delivery streamed to a bucket with a resumable upload, signed in
// as a service account (a JWT signed with its key, exchanged at the token URL).
import { openDeliveryFile, withSuffix } from "../../data/files/file_delivery";
import { wroteMessage } from "../../data/files/file_naming";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  ALL_FORMATS, DownloadSetting, Format, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { serviceAccountToken } from "../../lib/google_service_account";
import { HttpClient } from "../../lib/http_client";
import { gcsObjectExists, GcsSession, listGcsBuckets, uploadGcsStream } from "../../lib/object_stores/gcs";

export interface GcsSettings {
  /** GCS_API_URL, without a trailing slash. */
  apiUrl: string;
  /** GOOGLE_OAUTH_TOKEN_URL. */
  tokenUrl: string;
}

const SCOPE = "https://www.googleapis.com/auth/devstorage.read_write";

export class GoogleCloudStorageIntegration extends Integration {
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
      "Storage Object Creator on the buckets (Storage Object Viewer too for Overwrite: no) and storage.buckets.list " +
      "on the project to list them.",
    required: true, sensitive: true,
  }, {
    name: "project_id", label: "Project Id", description: "The project whose buckets are offered (\"project_id\").",
    required: true, sensitive: false,
  }];
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard"];
  readonly supportedFormats: Format[] = [...ALL_FORMATS];
  readonly supportedFormattings: Formatting[] = ["formatted", "unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["apply", "noapply"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  constructor(private readonly http: HttpClient, private readonly settings: GcsSettings) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    const buckets = await listGcsBuckets(await this.session(request), (request.params.project_id ?? "").trim());
    if (!buckets.length) {
      return ActionForm.error("The project in \"Project Id\" has no buckets the service account can see: " +
        "create one in the Cloud console.");
    }
    return new ActionForm(this.fields(buckets));
  }

  async validationForm(): Promise<ActionForm> { return new ActionForm(this.fields()); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const bucket = (request.formParams.bucket ?? "").trim();
    const session = await this.session(request);
    const file = await openDeliveryFile(request, request.formParams.filename);
    const noOverwrite = (request.formParams.overwrite ?? "yes").trim().toLowerCase() === "no";
    let name = file.name;
    if (noOverwrite && await gcsObjectExists(session, bucket, name)) { name = withSuffix(name, String(Date.now())); }
    const { bytes } = await uploadGcsStream(session, {
      bucket, name, body: file.stream, contentType: file.contentType, noOverwrite,
      // A chunk gets one more try than a plain request: each resumes where the last one stopped.
      maxAttempts: this.http.retryPolicy.maxAttempts + 1, retryBaseDelayMs: this.http.retryPolicy.baseDelayMs,
    });
    return ActionResponse.ok(wroteMessage(bytes, `gs://${bucket}/${name}`));
  }

  private fields(buckets?: string[]): FormField[] {
    return [{
      name: "bucket", label: "Bucket", type: "select", required: true, description: "The bucket to write to.",
      default: buckets?.[0], options: (buckets ?? []).map((b) => ({ name: b, label: b })),
    }, {
      name: "filename", label: "Filename", type: "string",
      description: "Defaults to the schedule's title; {date} and " +
        "{timestamp} are replaced. The format's extension is added when missing.",
    }, {
      name: "overwrite", label: "Overwrite", type: "select", default: "yes",
      description: "Replace an object of the same name, or keep it and add the time to the new file's name.",
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
