// What both email providers read from the form before anything is sent (recipients, subject),
// and how they word a success. Every value is checked first: a bad address or a line break in a
// header fails the delivery with a message naming the field, before the data is read.
import { formatBytes } from "../../data/files/file_naming";
import { FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { headerSafe, MailAddress, parseAddressList } from "./mail_addresses";
import { MailFile } from "./mail_file";

export interface MailHeaders {
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
}

/** The attachment's name field, the same in both providers' forms. */
export const FILENAME_FIELD: FormField = {
  name: "filename", label: "Filename", type: "string", required: false,
  description: "Name of the attached file; {date} and {timestamp} are replaced. Default: the title.",
};

/** Rows of a query result shown in the body. */
export const PREVIEW_ROWS = 10;

/** The form's recipients and subject, checked; `cc` only where the form has it. */
export function readHeaders(request: ActionRequest, withCc: boolean): MailHeaders {
  const to = parseAddressList(request.formParams.to, "To", "to", true);
  const cc = withCc ? parseAddressList(request.formParams.cc, "Cc", "cc", false) : [];
  const typed = headerSafe(request.formParams.subject ?? "", "The subject", "subject").trim();
  const fallback = request.type === "cell" ? "A value from Looker" : (request.scheduledPlan?.title ?? "").trim() || "Looker";
  return { to, cc, subject: (typed || fallback).slice(0, 250) };
}

function recipients(headers: MailHeaders): string {
  const all = [...headers.to, ...headers.cc].map((a) => a.email);
  return all.length <= 3 ? all.join(", ") : `${all.slice(0, 2).join(", ")} and ${all.length - 2} more`;
}

/** `Emailed "Weekly revenue.csv" (1.2 KB) to ada@example.com.` and the like. */
export function sentMessage(request: ActionRequest, headers: MailHeaders, file: MailFile, via: string): string {
  const to = recipients(headers);
  if (request.type === "cell") { return `Emailed the value to ${to}${via}.`; }
  if (file.kind === "attached") { return `Emailed "${file.name}" (${formatBytes(file.size)}) to ${to}${via}.`; }
  if (file.kind === "linked") {
    return `Emailed a download link to "${file.name}" (${formatBytes(file.size)}, too big to attach) to ${to}${via}.`;
  }
  return `There were no results; emailed a note saying so to ${to}${via}.`;
}
