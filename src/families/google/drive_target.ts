// Where a Google delivery goes: the form's drive, and its folder (picked from the list, or a
// pasted folder URL or id, which wins), plus the admin's domain allowlist.
import { ActionRequest } from "../../hub/action_request";
import { Param } from "../../hub/integration";
import { LoginRequiredError } from "../../hub/oauth/login_errors";
import { UserError } from "../../lib/errors";
import { DriveApi, MY_DRIVE } from "./drive_api";

/** The admin's allowlist of login domains, a param of every Google file destination (Drive, Sheets). */
export const DOMAIN_ALLOWLIST_PARAM: Param = {
  name: "domain_allowlist",
  label: "Domain allowlist",
  description: "Optional. Comma-separated email domains (example.com) whose Google accounts may be used; " +
    "anyone logged in with another account is refused before anything is written.",
  required: false,
  sensitive: false,
};

export interface DriveTarget {
  /** Undefined for My Drive. */
  driveId?: string;
  folderId: string;
}

/** A pasted folder URL (…/folders/<id>, open?id=<id>) or a bare id; "my-drive" is the root. */
export function folderIdFrom(pasted: string): string | undefined {
  const text = pasted.trim();
  if (!text) { return undefined; }
  if (/\/my-drive\/?(\?|$)/.test(text) || text === "my-drive" || text === "root") { return "root"; }
  const inUrl = /\/folders\/([A-Za-z0-9_-]{10,})/.exec(text) ?? /[?&]id=([A-Za-z0-9_-]{10,})/.exec(text);
  if (inUrl) { return inUrl[1]; }
  return /^[A-Za-z0-9_-]{10,}$/.test(text) ? text : undefined;
}

export function driveTarget(request: ActionRequest): DriveTarget {
  const drive = (request.formParams.drive ?? "").trim();
  const driveId = drive && drive !== MY_DRIVE ? drive : undefined;
  const pasted = request.formParams.folderid ?? "";
  if (pasted.trim()) {
    const id = folderIdFrom(pasted);
    if (!id) {
      throw new UserError("The folder URL or ID is not a Google Drive folder link: paste the address of the folder " +
        "as Drive shows it (https://drive.google.com/drive/folders/…) or leave it empty.",
        { folderid: "Paste a Drive folder link or ID." });
    }
    return { driveId, folderId: id === "root" ? driveId ?? "root" : id };
  }
  const folder = (request.formParams.folder ?? "").trim();
  return { driveId, folderId: !folder || folder === "root" ? driveId ?? "root" : folder };
}

/** The allowed domains of the `domain_allowlist` param (comma or space separated). */
export function allowedDomains(param: string | undefined): string[] {
  return (param ?? "").split(/[\s,;]+/).map((d) => d.trim().replace(/^@/, "").toLowerCase()).filter(Boolean);
}

/**
 * Refuses, before anything is written, a Google account outside the admin's allowed domains;
 * the login is cleared so the form offers to log in with another account.
 */
export async function enforceDomainAllowlist(drive: DriveApi, token: string, param: string | undefined,
                                             label: string): Promise<void> {
  const domains = allowedDomains(param);
  if (!domains.length) { return; }
  const email = (await drive.email(token)).toLowerCase();
  const domain = email.split("@")[1] ?? "";
  if (domains.some((d) => domain === d || domain.endsWith(`.${d}`))) { return; }
  // The account is not named: failure messages are logged, and an email address is personal.
  throw new LoginRequiredError(`The Google account you logged in with is not in the domains your ` +
    `Looker admin allows for ${label} (${domains.join(", ")}); log in with an account of ${domains.length > 1 ?
      "one of them" : "that domain"}.`, "Google", true);
}
