// What Zapier and Tray share: a form with one URL field, a check that the URL is on the
// vendor's hosts, and the delivery posted to it.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { HttpClient } from "../../lib/http_client";
import { requireVendorHost } from "./vendor_host";
import { postDelivery } from "./webhook_post";

export interface VendorWebhook {
  vendor: string;
  /** Accepted domains (and subdomains), from the configuration. */
  domains: string[];
  /** An example URL for the refusal message. */
  example: string;
  urlLabel: string;
  urlDescription: string;
}

/** The form: one required `url` field, the official hub's name for it. */
export function vendorWebhookForm(spec: VendorWebhook): ActionForm {
  return new ActionForm([{
    name: "url", label: spec.urlLabel, description: spec.urlDescription, type: "string", required: true,
  }]);
}

export async function sendToVendorWebhook(
  http: HttpClient, request: ActionRequest, spec: VendorWebhook,
): Promise<ActionResponse> {
  const url = request.formParams.url ?? "";
  requireVendorHost(url, spec.domains, spec.vendor, spec.example, "url");
  const result = await postDelivery(http, request, url, { field: "url", who: spec.vendor });
  return ActionResponse.ok(`Sent ${result.bytes.toLocaleString("en-US")} bytes to ${spec.vendor}.`);
}
