// The Drive calls the Google integrations share: the user's drives and folders (every page), a
// file by name in a folder, and the logged-in account's email.
import { GoogleApi } from "./google_api";

export const FOLDER_MIME = "application/vnd.google-apps.folder";
/** My Drive, as the form's `drive` option names it. */
export const MY_DRIVE = "mydrive";
/** Pages read at most when listing folders (1,000 folders each): a bound on a form's wait. */
const MAX_FOLDER_PAGES = 50;

export interface DriveEntry {
  id: string;
  name: string;
}

/** Drive API v3 under GOOGLE_API_URL. */
export class DriveApi {
  constructor(readonly google: GoogleApi) {}

  /** Every shared drive the user can see, all pages. */
  async sharedDrives(token: string): Promise<DriveEntry[]> {
    const drives: DriveEntry[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.google.json(token, { path: "drive/v3/drives",
        query: { pageSize: "100", pageToken, fields: "nextPageToken,drives(id,name)" }, what: "your shared drives" });
      for (const d of page.drives ?? []) { drives.push({ id: String(d.id), name: String(d.name ?? d.id) }); }
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
    return drives;
  }

  /** The folders of My Drive or of a shared drive, by name; `truncated` when there were more. */
  async folders(token: string, driveId?: string): Promise<{ folders: DriveEntry[]; truncated: boolean }> {
    const folders: DriveEntry[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await this.google.json(token, { path: "drive/v3/files", what: "your folders", query: {
        q: `mimeType='${FOLDER_MIME}' and trashed=false`, fields: "nextPageToken,files(id,name)", pageSize: "1000",
        orderBy: "name", spaces: "drive", pageToken, ...driveScope(driveId),
      } });
      for (const f of page.files ?? []) { folders.push({ id: String(f.id), name: String(f.name ?? f.id) }); }
      pageToken = page.nextPageToken || undefined;
    } while (pageToken && ++pages < MAX_FOLDER_PAGES);
    return { folders, truncated: !!pageToken };
  }

  /** Files of that name and type in a folder, not trashed. */
  async filesNamed(token: string, name: string, folderId: string, mimeType: string, driveId?: string):
    Promise<DriveEntry[]> {
    const page = await this.google.json(token, { path: "drive/v3/files", what: "the folder", query: {
      q: `name = '${quote(name)}' and '${quote(folderId)}' in parents and mimeType = '${quote(mimeType)}' ` +
        "and trashed = false",
      fields: "files(id,name)", pageSize: "10", spaces: "drive", ...driveScope(driveId),
    } });
    return (page.files ?? []).map((f: any) => ({ id: String(f.id), name: String(f.name) }));
  }

  /**
   * The first file in a folder (not trashed) carrying the app property `key` = `value`: app
   * properties are private to the app that set them, so only this hub's OAuth client sees and
   * matches them (Drive API v3, "appProperties has { key=... and value=... }").
   */
  async fileWithAppProperty(token: string, key: string, value: string, folderId: string, driveId?: string):
    Promise<DriveEntry | undefined> {
    const page = await this.google.json(token, { path: "drive/v3/files", what: "the folder", query: {
      q: `appProperties has { key='${quote(key)}' and value='${quote(value)}' } and '${quote(folderId)}' in parents ` +
        "and trashed = false",
      fields: "files(id,name)", pageSize: "1", spaces: "drive", ...driveScope(driveId),
    } });
    const file = (page.files ?? [])[0];
    return file ? { id: String(file.id), name: String(file.name) } : undefined;
  }

  /** The Google account's email, from Google's tokeninfo endpoint. */
  async email(token: string): Promise<string> {
    const info = await this.google.json(token, { path: "oauth2/v2/tokeninfo", query: { access_token: token },
      what: "your Google account" });
    return String(info.email ?? "");
  }
}

/** The query parameters that search one drive: My Drive (`user`) or a shared drive. */
export function driveScope(driveId?: string): Record<string, string> {
  return driveId
    ? { corpora: "drive", driveId, includeItemsFromAllDrives: "true", supportsAllDrives: "true" }
    : { corpora: "user" };
}

/** A value inside a Drive query's single quotes. */
function quote(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
}
