// Google Drive: Looks and dashboards saved as files in the user's own Drive (My Drive or a shared
// drive), after the user logs in to Google from the form. Uploads are resumable and streamed.
import * as crypto from "crypto";
import { GoogleSettings } from "../../config/oauth";
import { objectName, requestContentType, wroteMessage } from "../../data/files/file_naming";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { OAuthDeclaration } from "../../hub/oauth/oauth_declaration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { DriveApi } from "../../families/google/drive_api";
import { driveFormFields, driveValidationFields } from "../../families/google/drive_form";
import { DOMAIN_ALLOWLIST_PARAM, driveTarget, enforceDomainAllowlist } from "../../families/google/drive_target";
import { GoogleApi } from "../../families/google/google_api";
import { DRIVE_SCOPE, EMAIL_SCOPE, googleOAuth } from "../../families/google/google_oauth";
import { DEFAULT_CHUNK_BYTES, openUploadSession, ResumableUpload } from "./drive_upload";

/** Drive's own word on its file names (the family's form is shared with Sheets, which names its own way). */
const FILENAME_HELP = "The name of the file in Drive, used as typed (add the extension you want, e.g. " +
  "report.csv); {date} and {timestamp} are replaced.";

/** The app property naming the delivery a file was saved by (docs/exactly_once.md). */
export const DELIVERY_PROPERTY = "looker_webhook_id";

/**
 * The delivery's value of that property: Looker's webhook id, or its SHA-256 when it is longer than
 * a property takes (Drive allows 124 bytes for a key and its value together).
 */
export function deliveryProperty(request: ActionRequest): string | undefined {
  const id = request.webhookId;
  if (!id) { return undefined; }
  return Buffer.byteLength(id) + DELIVERY_PROPERTY.length <= 124 ? id
    : crypto.createHash("sha256").update(id).digest("hex");
}

export class GoogleDriveIntegration extends FileIntegration {
  readonly name = "google_drive";
  readonly label = "Google Drive";
  readonly description = "Save Looks and dashboards as files in your Google Drive, in My Drive or a shared drive.";
  readonly icon = iconBeside(__dirname, "google_drive.svg");
  readonly params: Param[] = [DOMAIN_ALLOWLIST_PARAM];
  readonly minimumSupportedLookerVersion = "7.3.0";
  readonly oauth: OAuthDeclaration;

  constructor(private readonly settings: GoogleSettings, private readonly http: HttpClient,
              private readonly chunkBytes = DEFAULT_CHUNK_BYTES) {
    super();
    this.oauth = googleOAuth({
      settings, client: settings.driveClient, http,
      setupVariables: ["GOOGLE_DRIVE_CLIENT_ID", "GOOGLE_DRIVE_CLIENT_SECRET"],
      scopes: [DRIVE_SCOPE, EMAIL_SCOPE],
      check: (session, request) => session.withAccessToken((token) => this.drive(request).sharedDrives(token)
        .then(() => undefined)),
    });
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    const drive = this.drive(request);
    return new ActionForm(await request.oauth!.withAccessToken(async (token) => {
      await enforceDomainAllowlist(drive, token, request.params.domain_allowlist, this.label);
      const fields = await driveFormFields(drive, request, token);
      return fields.map((f) => f.name === "filename" ? { ...f, description: FILENAME_HELP } : f);
    }));
  }

  async validationForm(): Promise<ActionForm> {
    return new ActionForm(driveValidationFields());
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    if (!request.delivery) {
      throw new UserError("Looker sent no data to save (the query may have had no results). Nothing was written.");
    }
    const target = driveTarget(request);
    // As the official hub named Drive files: the typed name as typed, else the title and extension.
    const name = objectName(request, request.formParams.filename);
    const mimeType = requestContentType(request);
    const google = this.google(request);
    const drive = new DriveApi(google);
    const stamp = deliveryProperty(request);
    // Everything that can refuse (login, domain, folder) is asked before the data is read.
    const opened = await request.oauth!.withAccessToken(async (accessToken) => {
      await enforceDomainAllowlist(drive, accessToken, request.params.domain_allowlist, this.label);
      // The same delivery sent again finds the file it saved, by the app property naming it.
      const saved = stamp ? await drive.fileWithAppProperty(accessToken, DELIVERY_PROPERTY, stamp, target.folderId,
        target.driveId) : undefined;
      if (saved) { return { saved, token: undefined, session: undefined }; }
      const url = await openUploadSession(google, accessToken, { name, mimeType, parents: [target.folderId],
        ...(stamp ? { appProperties: { [DELIVERY_PROPERTY]: stamp } } : {}) }, mimeType);
      return { saved: undefined, token: accessToken, session: url };
    });
    if (opened.saved) {
      request.logger.info("delivery already written", { integration: this.name });
      return ActionResponse.ok(`"${opened.saved.name}" in Google Drive was already saved by this delivery (sent again ` +
        "with the same Looker webhook id); nothing was written.");
    }
    const upload = new ResumableUpload(this.http, opened.session!, opened.token!, request.logger, this.chunkBytes);
    const file = await upload.send(await request.delivery.stream());
    const where = target.driveId ? "a shared drive" : "My Drive";
    return ActionResponse.ok(wroteMessage(file.bytes, `"${file.name}" in Google Drive (${where})`));
  }

  private google(request: ActionRequest): GoogleApi {
    return new GoogleApi(this.http, this.settings.apiUrl, "Google Drive", request.logger);
  }

  private drive(request: ActionRequest): DriveApi {
    return new DriveApi(this.google(request));
  }
}
