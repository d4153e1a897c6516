// What Zapier and Tray share: the official hub's declarations (a query's json_detail, unformatted),
// a form with one URL field, a check that the URL is on the vendor's hosts, and the delivery
// posted to it. Each vendor declares its name, label, icon and its VendorWebhook.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  DownloadSetting, Format, Formatting, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { groupDigits } from "../../lib/digits";
import { HttpClient } from "../../lib/http_client";
import { requireVendorHost } from "./vendor_host";
import { postDelivery } from "./webhook_post";
import { tryWebhookUrl, WEBHOOK_DRY_RUN_CHECKS } from "./webhook_preflight";

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
  return ActionResponse.ok(`Sent ${groupDigits(result.bytes)} bytes to ${spec.vendor}.`);
}

/** A workflow vendor's webhook trigger: the subclass declares who it is and its VendorWebhook. */
export abstract class VendorWebhookIntegration extends Integration {
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["json_detail"];
  readonly supportedFormattings: Formatting[] = ["unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["noapply"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  protected abstract readonly spec: VendorWebhook;

  constructor(private readonly http: HttpClient) { super(); }

  readonly dryRunChecks: string = WEBHOOK_DRY_RUN_CHECKS;

  /** The URL on the vendor's hosts, tried with a HEAD request (writes nothing): webhook_preflight.ts. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    const url = request.formParams.url ?? "";
    requireVendorHost(url, this.spec.domains, this.spec.vendor, this.spec.example, "url");
    return tryWebhookUrl(this.http, url, "url", this.spec.vendor);
  }

  async form(): Promise<ActionForm> { return vendorWebhookForm(this.spec); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    return sendToVendorWebhook(this.http, request, this.spec);
  }
}
