// A request built from a whole, already parsed body (form and list requests, which are small).
import { ActionRequest, applyPayloadFields, parseAttachment, RequestContext } from "../../hub/action_request";
import { BadRequestError } from "../../lib/errors";
import { InlineDelivery } from "../delivery/read_once";

/** Builds a request from a whole, already parsed body. */
export function requestFromBody(body: unknown, context: RequestContext): ActionRequest {
  if (body === null || body === undefined) { body = {}; }
  if (typeof body !== "object" || Array.isArray(body)) {
    throw new BadRequestError("The request body must be a JSON object.");
  }
  const request = new ActionRequest(context);
  const payload = body as Record<string, unknown>;
  for (const key of ["type", "data", "form_params", "scheduled_plan", "state"]) {
    applyPayloadFields(request, key, payload[key]);
  }
  request.attachment = parseAttachment(payload.attachment);
  const raw = payload.attachment as Record<string, unknown> | null | undefined;
  if (raw && raw.data !== undefined && raw.data !== null) {
    request.delivery = new InlineDelivery(raw.data, request.attachment?.mimetype, request.format);
  }
  return request;
}
