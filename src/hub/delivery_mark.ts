// The mark a created object (a Salesforce campaign, a Google Ads list, a Facebook audience) carries
// to name the delivery that created it: a re-sent delivery (the same X-Looker-Webhook-Id) looks for
// an object of its name with its mark before creating one, and finds the one it made
// (docs/exactly_once.md, "Created lists, audiences and campaigns").
import * as crypto from "crypto";
import type { ActionRequest } from "./action_request";

/** `[Looker delivery <webhook id>]` (the id's SHA-256, cut to 32 digits, past 64 characters); none without an id. */
export function deliveryMark(request: ActionRequest): string | undefined {
  const id = request.webhookId;
  if (!id) { return undefined; }
  const shown = id.length <= 64 && /^[\w.:-]+$/.test(id) ? id
    : crypto.createHash("sha256").update(id).digest("hex").slice(0, 32);
  return `[Looker delivery ${shown}]`;
}

/** `text` with the mark after it (on its own line), kept within `max` characters by cutting the text. */
export function withDeliveryMark(text: string, mark: string | undefined, max = Infinity): string {
  if (!mark) { return text.slice(0, max); }
  const room = max - mark.length - 1;
  return `${text.slice(0, Math.max(0, room)).trim()}\n${mark}`.trim();
}
