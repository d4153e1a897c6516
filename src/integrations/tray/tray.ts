// Tray.io's Webhook trigger: the query's json_detail posted to the workflow's public URL.
// Name, form field and formats are the official hub's, so existing schedules keep working.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  DownloadSetting, Format, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { HttpClient } from "../../lib/http_client";
import { sendToVendorWebhook, VendorWebhook, vendorWebhookForm } from "../../families/webhook/vendor_webhook";

export class TrayIntegration extends Integration {
  readonly name = "tray";
  readonly label = "Tray";
  readonly description = "Send data and begin a Tray workflow.";
  readonly icon = iconBeside(__dirname, "tray.svg");
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
      vendor: "Tray", domains, example: "https://0123abcd-4567-89ef.trayapp.io",
      urlLabel: "Tray Webhook URL", urlDescription: "The public URL of the workflow's Webhook trigger.",
    };
  }

  async form(): Promise<ActionForm> { return vendorWebhookForm(this.spec); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    return sendToVendorWebhook(this.http, request, this.spec);
  }
}
