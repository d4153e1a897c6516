// The form Drive and Sheets share: `drive` (My Drive and every shared drive), `folder` (every
// folder of that drive), `folderid` (a pasted folder URL or id, which wins) and `filename`,
// under the official hub's names.
import { FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { DriveApi, MY_DRIVE } from "./drive_api";

export async function driveFormFields(drive: DriveApi, request: ActionRequest, token: string): Promise<FormField[]> {
  const shared = await drive.sharedDrives(token);
  const chosen = shared.some((d) => d.id === request.formParams.drive) ? request.formParams.drive : MY_DRIVE;
  const { folders, truncated } = await drive.folders(token, chosen === MY_DRIVE ? undefined : chosen);
  const rootLabel = chosen === MY_DRIVE ? "My Drive (top level)" : "Top level of the shared drive";
  return [{
    name: "drive", label: "Drive", type: "select", required: true, interactive: true, default: MY_DRIVE,
    description: "My Drive, or a shared drive you can add files to.",
    options: [{ name: MY_DRIVE, label: "My Drive" }, ...shared.map((d) => ({ name: d.id, label: d.name }))],
  }, {
    name: "folder", label: "Folder", type: "select", default: "root",
    description: truncated ? "The first 50,000 folders are listed; paste a folder's link below for any other."
      : "A folder of the drive above.",
    options: [{ name: "root", label: rootLabel }, ...folders.map((f) => ({ name: f.id, label: f.name }))],
  }, {
    name: "folderid", label: "Folder URL or ID", type: "string",
    description: "Optional: paste a folder's address from Google Drive (https://drive.google.com/drive/folders/…). " +
      "It wins over the folder above, and works for folders shared with you.",
  }, {
    name: "filename", label: "File name", type: "string", required: true,
    description: "The name of the file in Drive; {date} and {timestamp} are replaced. The format's extension is " +
      "added when missing.",
  }];
}

/** The fields as an execute checks them: no vendor calls; the file name falls back to the title. */
export function driveValidationFields(): FormField[] {
  return ["drive", "folder", "folderid", "filename"].map((name) => ({ name, type: "string" as const }));
}
