// Zapier's "Catch Hook" trigger: the query's json_detail posted to the zap's webhook URL.
// Name, form field and formats are the official hub's, so existing schedules keep working.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  DownloadSetting, Format, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { HttpClient } from "../../lib/http_client";
import { sendToVendorWebhook, VendorWebhook, vendorWebhookForm } from "../../families/webhook/vendor_webhook";

export class ZapierIntegration extends Integration {
  readonly name = "zapier";
  readonly label = "Zapier";
  readonly description = "Send data and begin a Zapier zap.";
  readonly icon = iconBeside(__dirname, "zapier.svg");
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["json_detail"];
  readonly supportedFormattings: Formatting[] = ["unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["noapply"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  private readonly spec: VendorWebhook;

  constructor(private readonly http: HttpClient, domains: string[]) {
    super();
    this.spec = {
      vendor: "Zapier", domains, example: "https://hooks.zapier.com/hooks/catch/123/abc/",
      urlLabel: "Zapier Webhook URL", urlDescription: "The URL of the zap's \"Webhooks by Zapier\" Catch Hook trigger.",
    };
  }

  async form(): Promise<ActionForm> { return vendorWebhookForm(this.spec); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    return sendToVendorWebhook(this.http, request, this.spec);
  }
}
