// The text a chat vendor posts with a delivery or for a clicked cell: the form's message (held to
// the vendor's limit, refused on its field when longer), else the schedule's title; a cell as
// "Field: value" with the link back to Looker. Shared by Discord, Mattermost, Telegram and Webex.
import { ActionRequest } from "../../hub/action_request";
import { cellField, cellLink } from "../../hub/cell";
import { UserError } from "../../lib/errors";
import { groupDigits } from "../../lib/digits";

/** `text` cut to `max` characters, an ellipsis marking the cut. */
export function clipped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The form's message (field `field`), at most `max` characters: a longer one typed by the user is
 * refused on its field rather than cut; when empty, the schedule's title (cut to fit), or "" for a
 * clicked cell (its value says enough).
 */
export function typedMessage(request: ActionRequest, vendor: string, max: number, field = "message"): string {
  const typed = (request.formParams[field] ?? "").trim();
  if (typed.length > max) {
    const message = `${vendor} takes messages of at most ${groupDigits(max)} characters; this one has ` +
      `${groupDigits(typed.length)}. Shorten it.`;
    throw new UserError(message, { [field]: message });
  }
  if (typed || request.type === "cell") { return typed; }
  return clipped(request.suggestedTitle(), max);
}

/** A clicked cell in words: the message (when typed), "Field: value", and the link back to Looker. */
export function cellLines(request: ActionRequest, message: string): string[] {
  const value = request.cellRendered ?? request.cellValue ?? "";
  const link = cellLink(request);
  return [message, `${cellField(request) ?? "Value"}: ${value}`, link ?? ""].filter((line) => line !== "");
}
