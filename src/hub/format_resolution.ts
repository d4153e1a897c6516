// Settles a delivery's Looker format before the integration runs, from what Looker said
// (`form_params.format`, the MIME type, the extension) and, when only the content can tell
// (a `json` push: json_detail or an array of rows), from the data's first significant byte.
import type { ActionRequest } from "./action_request";
import type { Format } from "./integration";
import { candidateFormats, chooseFormat, narrowByJsonStart, needsJsonSniff } from "./formats";

/** Sets `request.format` (and the delivery's) to the format the integration is given. */
export async function resolveDeliveryFormat(request: ActionRequest, declared: readonly Format[]): Promise<void> {
  let candidates = candidateFormats(request.formatHints);
  if (request.delivery && needsJsonSniff(candidates)) {
    const first = await request.delivery.firstSignificantByte();
    candidates = narrowByJsonStart(candidates, first === undefined ? undefined : String.fromCharCode(first));
  }
  const format = chooseFormat(candidates, declared);
  request.resolvedFormat = format;
  if (request.delivery) { request.delivery.format = format; }
}
