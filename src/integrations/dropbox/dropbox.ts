// Dropbox: Looks and dashboards saved as files in the user's own Dropbox, after the user logs in
// to Dropbox from the form (OAuth v1, offline access). Files of any size go through upload sessions.
import { DropboxSettings } from "../../config/oauth";
import {
  deliveryStamp, expandPlaceholders, officialExtension, placeholderStamp, scheduleTimezone, wroteMessage,
} from "../../data/files/file_naming";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { OAuthDeclaration } from "../../hub/oauth/oauth_declaration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { DropboxApi, listFolders } from "./dropbox_api";
import { DropboxConflict } from "./dropbox_errors";
import { DEFAULT_CHUNK_BYTES, uploadToDropbox } from "./dropbox_upload";

/**
 * The file's name as the official hub made it, so a moved schedule writes the same file: the typed
 * name, with the delivery's stamp right after it for Include timestamp: yes (13 digits from Looker's
 * webhook id, so a re-send writes no second file; the time in epoch milliseconds without one, as there),
 * then `.` and the extension, always (`report.csv` typed became `report.csv.csv` there, and does
 * here). `{date}` and `{timestamp}` are expanded; without a name, the schedule's title.
 */
export function dropboxFileName(request: ActionRequest, now: Date = new Date()): string {
  const typed = request.formParams.filename || request.suggestedTitle();
  // The delivery's stamp (from Looker's webhook id where there is one): a re-send gets the same name.
  const stamp = request.formParams.includeTimestamp === "yes" ? deliveryStamp(request, now) : "";
  const ext = officialExtension(request);
  const name = `${expandPlaceholders(typed, now, scheduleTimezone(request), placeholderStamp(request))}${stamp}`;
  return ext ? `${name}.${ext}` : name;
}

/** The form's value for the top of the user's Dropbox (the official hub's). */
export const ROOT = "__root";

export class DropboxIntegration extends FileIntegration {
  readonly name = "dropbox";
  readonly label = "Dropbox";
  readonly description = "Save Looks and dashboards as files in your Dropbox.";
  readonly icon = iconBeside(__dirname, "dropbox.svg");
  readonly params: Param[] = [];
  readonly minimumSupportedLookerVersion = "6.8.0";
  readonly oauth: OAuthDeclaration;

  constructor(private readonly settings: DropboxSettings, private readonly http: HttpClient,
              private readonly chunkBytes = DEFAULT_CHUNK_BYTES) {
    super();
    this.oauth = {
      vendor: "Dropbox",
      client: settings.client,
      setupVariables: ["DROPBOX_ACTION_APP_KEY", "DROPBOX_ACTION_APP_SECRET"],
      endpoints: { authorizeUrl: settings.oauthAuthorizeUrl, tokenUrl: `${settings.apiUrl}oauth2/token` },
      // The app's permissions (set in Dropbox's App Console) are granted; none are asked here.
      scopes: [],
      authorizeParams: { token_access_type: "offline", force_reapprove: "true" },
      tokenUrlFlow: false,
      loginField: "oauth_link",
      keepTokenFields: ["account_id"],
      http,
      check: (session, request) => session.withAccessToken((token) =>
        this.api(token, request).rpc("files/list_folder", { path: "", limit: 1 }, "your Dropbox")),
    };
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    const { paths, truncated } = await request.oauth!.withAccessToken((token) => listFolders(this.api(token, request)));
    const fields = this.fields();
    fields[0].options = [{ name: ROOT, label: "Home (top of your Dropbox)" },
      ...paths.map((p) => ({ name: p.replace(/^\//, ""), label: p }))];
    if (truncated) {
      fields[0].description = "Only the first 50,000 entries of your Dropbox were searched for folders.";
    }
    return new ActionForm(fields);
  }

  async validationForm(): Promise<ActionForm> {
    // Nothing is required on delivery: the folder defaults to Home and the name to the schedule's title.
    return new ActionForm(this.fields().map((f) => ({ ...f, required: false })));
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    if (!request.delivery) {
      throw new UserError("Looker sent no data to save (the query may have had no results). Nothing was written.");
    }
    const path = this.path(request);
    // The token is checked with a cheap call first: a refused login is refreshed before any byte is read.
    const token = await request.oauth!.withAccessToken(async (accessToken) => {
      await this.api(accessToken, request).rpc("users/get_current_account", null, "your Dropbox account");
      return accessToken;
    });
    try {
      const file = await uploadToDropbox(this.api(token, request), path, await request.delivery.stream(),
        this.chunkBytes);
      return ActionResponse.ok(wroteMessage(file.bytes, `Dropbox: ${file.path}`));
    } catch (err) {
      // A stamped name (Include timestamp, or a typed {timestamp}) is this delivery's own: what is
      // there was written by an earlier send of it.
      const stamped = request.formParams.includeTimestamp === "yes" ||
        /\{timestamp\}/i.test(request.formParams.filename || request.suggestedTitle());
      if (!(err instanceof DropboxConflict && stamped && request.webhookId)) {
        throw err;
      }
      request.logger.info("delivery already written", { integration: this.name });
      return ActionResponse.ok(`Dropbox: ${path} was already written by this delivery (sent again with the same ` +
        "Looker webhook id); nothing was replaced.");
    }
  }

  private fields(): FormField[] {
    return [{
      name: "directory", label: "Folder", type: "select", required: true, default: ROOT,
      description: "The folder of your Dropbox the file goes to.",
    }, {
      name: "filename", label: "File name", type: "string", required: true,
      description: "The file's name; the format's extension is added after it, as the official hub did. {date} " +
        "and {timestamp} are replaced.",
    }, {
      name: "includeTimestamp", label: "Include timestamp", type: "select", required: true, default: "no",
      description: "Yes adds the time of the delivery (epoch milliseconds) to the name, so each delivery makes " +
        "a new file.",
      options: [{ name: "no", label: "No" }, { name: "yes", label: "Yes" }],
    }];
  }

  private path(request: ActionRequest): string {
    const directory = (request.formParams.directory ?? ROOT).trim();
    const folder = !directory || directory === ROOT ? "" : `/${directory.replace(/^\/+|\/+$/g, "")}`;
    if (folder.split("/").some((part) => part === "." || part === "..")) {
      throw new UserError("The folder must be one of your Dropbox's folders.", { directory: "Choose a folder." });
    }
    return `${folder}/${dropboxFileName(request)}`;
  }

  private api(token: string, request: ActionRequest): DropboxApi {
    return new DropboxApi(this.http, this.settings, token, request.logger);
  }
}
