// An execute body that came whole and small (a cell action, a link to download, a few inline
// values) becomes its request here, without the streaming reader (payload_stream.ts): the
// same request that reader builds, field by field. A body with data to stream (a string or
// a container in `attachment.data`), or one the reader refuses, is left to the reader.
import { ActionRequest, applyPayloadFields, parseAttachment, RequestContext } from "../../hub/action_request";
import { DeliveryLimits, InlineDelivery } from "../delivery/read_once";
import { FIELD_KEYS } from "./execute_body";
import { UrlDelivery } from "../delivery/url_delivery";

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The request of a parsed execute body, or undefined when the streaming reader must read it:
 * not an object, an attachment that is not an object, data to stream, or a field it refuses.
 */
export function requestFromWholeExecute(body: unknown, context: RequestContext, limits: DeliveryLimits):
    ActionRequest | undefined {
  if (!isObject(body)) { return undefined; }
  const raw = body.attachment;
  const attachmentFields: Fields = {};
  let attachmentPresent = false;
  let inlineData: unknown;
  if (raw !== undefined && raw !== null) {
    if (!isObject(raw)) { return undefined; }
    for (const key of Object.keys(raw)) {
      attachmentPresent = true;
      if (key === "data") { inlineData = raw.data; } else { attachmentFields[key] = raw[key]; }
    }
    // A string or a container streams to the integration: the reader's work.
    if (typeof inlineData === "string" || (typeof inlineData === "object" && inlineData !== null)) {
      return undefined;
    }
  }
  try {
    const request = new ActionRequest(context);
    for (const key of FIELD_KEYS) {
      if (Object.prototype.hasOwnProperty.call(body, key)) { applyPayloadFields(request, key, body[key]); }
    }
    if (attachmentPresent) { request.attachment = parseAttachment(attachmentFields); }
    if (inlineData !== undefined && inlineData !== null) {
      request.delivery = new InlineDelivery(inlineData, request.attachment?.mimetype, request.format);
    } else if (request.scheduledPlan?.downloadUrl) {
      request.delivery = new UrlDelivery(request.scheduledPlan.downloadUrl, request.format, limits, request.signal);
    }
    return request;
  } catch {
    // The reader refuses the same body, in its own words.
    return undefined;
  }
}
