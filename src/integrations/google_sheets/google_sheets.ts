// Google Sheets: a Look's CSV written into a spreadsheet in the user's Drive, new or (overwrite)
// replacing the one of that name in the folder. Rows are spooled and counted first, so a result
// over Sheets' cell limit fails before anything is written, then sent in batches.
import { GoogleSettings } from "../../config/oauth";
import { requestFileName } from "../../data/files/file_naming";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { DownloadSetting, Format, iconBeside, Integration, Param } from "../../hub/integration";
import { OAuthDeclaration } from "../../hub/oauth/oauth_declaration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { DriveApi } from "../../families/google/drive_api";
import { driveFormFields, driveValidationFields } from "../../families/google/drive_form";
import {
  DOMAIN_ALLOWLIST_PARAM, driveTarget, DriveTarget, enforceDomainAllowlist,
} from "../../families/google/drive_target";
import { groupDigits } from "../../lib/digits";
import { GoogleApi } from "../../families/google/google_api";
import { DRIVE_SCOPE, EMAIL_SCOPE, googleOAuth, SHEETS_SCOPE } from "../../families/google/google_oauth";
import { SheetInfo, SheetsApi } from "./sheets_api";
import { spoolCsvRows } from "./sheet_rows";

export const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
/** Google Sheets' limit per spreadsheet, all sheets together. */
export const CELL_LIMIT = 10_000_000;
const BATCH_ROWS = 20_000;
const BATCH_BYTES = 4 * 1024 * 1024;

export class GoogleSheetsIntegration extends Integration {
  readonly name = "google_sheets";
  readonly label = "Google Sheets";
  readonly description = "Write a Look's rows into a Google Sheets spreadsheet in your Drive.";
  readonly icon = iconBeside(__dirname, "google_sheets.svg");
  readonly params: Param[] = [DOMAIN_ALLOWLIST_PARAM];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["csv"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  readonly minimumSupportedLookerVersion = "7.3.0";
  readonly oauth: OAuthDeclaration;

  constructor(private readonly settings: GoogleSettings, private readonly http: HttpClient,
              private readonly batchRows = BATCH_ROWS, private readonly cellLimit = CELL_LIMIT) {
    super();
    this.oauth = googleOAuth({
      settings, client: settings.sheetsClient, http,
      setupVariables: ["GOOGLE_DRIVE_CLIENT_ID", "GOOGLE_DRIVE_CLIENT_SECRET"],
      scopes: [SHEETS_SCOPE, DRIVE_SCOPE, EMAIL_SCOPE],
      check: (session, request) => session.withAccessToken((token) =>
        new DriveApi(this.google(request, this.settings.apiUrl, "Google Drive")).sharedDrives(token)
          .then(() => undefined)),
    });
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    const drive = new DriveApi(this.google(request, this.settings.apiUrl, "Google Drive"));
    const fields = await request.oauth!.withAccessToken(async (token) => {
      await enforceDomainAllowlist(drive, token, request.params.domain_allowlist, this.label);
      return driveFormFields(drive, request, token);
    });
    fields.push({ name: "overwrite", label: "Overwrite existing spreadsheet", type: "select", required: true,
      default: "yes", description: "Yes replaces the content of the spreadsheet of this name in the folder; " +
        "No makes a new spreadsheet on every delivery.",
      options: [{ name: "yes", label: "Yes" }, { name: "no", label: "No" }] });
    return new ActionForm(fields);
  }

  async validationForm(): Promise<ActionForm> {
    return new ActionForm([...driveValidationFields(), { name: "overwrite", type: "string" }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    if (!request.delivery) {
      throw new UserError("Looker sent no data to write (the query may have had no results). Nothing was written.");
    }
    const target = driveTarget(request);
    const name = requestFileName(request, request.formParams.filename, { maxLength: 250 });
    const rows = await spoolCsvRows(await request.delivery.stream());
    try {
      request.delivery.noteRows?.(rows.rows);
      checkCells(rows.rows * rows.columns, rows, this.cellLimit);
      const drive = new DriveApi(this.google(request, this.settings.apiUrl, "Google Drive"));
      const sheets = new SheetsApi(this.google(request, this.settings.sheetsApiUrl, "Google Sheets"));
      const { token, id, sheet, replaced } = await request.oauth!.withAccessToken(async (accessToken) => {
        await enforceDomainAllowlist(drive, accessToken, request.params.domain_allowlist, this.label);
        // As the official hub: only "yes" overwrites; schedules saved before the form had the
        // field (none) and any other value make a new spreadsheet.
        const found = await this.spreadsheet(drive, sheets, accessToken, name, target,
          request.formParams.overwrite === "yes");
        const others = found.sheets.slice(1).reduce((sum, s) => sum + s.rowCount * s.columnCount, 0);
        checkCells(rows.rows * rows.columns + others, rows, this.cellLimit);
        await sheets.prepare(accessToken, found.id, found.sheets[0], rows.rows, rows.columns, found.replaced);
        return { token: accessToken, id: found.id, sheet: found.sheets[0], replaced: found.replaced };
      });
      let next = 1;
      for await (const batch of rows.batches(this.batchRows, BATCH_BYTES)) {
        await sheets.write(token, id, sheet, next, batch.json);
        next += batch.rows;
      }
      const how = replaced ? "Replaced the content of" : "Wrote";
      return ActionResponse.ok(`${how} "${name}" in Google Sheets: ${groupDigits(rows.rows)} rows, ` +
        `${rows.columns} columns.`);
    } finally {
      rows.dispose();
    }
  }

  /** The spreadsheet to write: the existing one of that name (overwrite) or a new one in the folder. */
  private async spreadsheet(drive: DriveApi, sheets: SheetsApi, token: string, name: string, target: DriveTarget,
                            overwrite: boolean): Promise<{ id: string; sheets: SheetInfo[]; replaced: boolean }> {
    if (overwrite) {
      const existing = await drive.filesNamed(token, name, target.folderId, SPREADSHEET_MIME, target.driveId);
      if (existing.length) {
        return { id: existing[0].id, sheets: await sheets.sheets(token, existing[0].id), replaced: true };
      }
    }
    const created = await drive.google.json(token, { path: "drive/v3/files", what: "the folder",
      query: { supportsAllDrives: "true", fields: "id,name" },
      json: { name, mimeType: SPREADSHEET_MIME, parents: [target.folderId] } });
    const list = await sheets.sheets(token, String(created.id));
    if (!list.length) { throw new UserError("Google Sheets made a spreadsheet without a sheet. Send it again."); }
    return { id: String(created.id), sheets: list, replaced: false };
  }

  private google(request: ActionRequest, baseUrl: string, api: string): GoogleApi {
    return new GoogleApi(this.http, baseUrl, api, request.logger);
  }
}

/** Refuses, before anything is written, a result that needs more cells than a spreadsheet holds. */
export function checkCells(cells: number, rows: { rows: number; columns: number }, limit = CELL_LIMIT): void {
  if (cells <= limit) { return; }
  throw new UserError(`The result has ${groupDigits(rows.rows)} rows and ${rows.columns} columns, which ` +
    `needs ${groupDigits(cells)} cells; a Google Sheets spreadsheet holds at most ` +
    `${groupDigits(limit)}. Nothing ` +
    "was written. Filter the Look to fewer rows or columns, or send it to Google Drive as a CSV file instead.");
}


