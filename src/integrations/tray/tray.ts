// Tray.io's Webhook trigger: the query's json_detail posted to the workflow's public URL.
// Name, form field and formats are the official hub's, so existing schedules keep working.
import { iconBeside } from "../../hub/integration";
import { HttpClient } from "../../lib/http_client";
import { VendorWebhook, VendorWebhookIntegration } from "../../families/webhook/vendor_webhook";

export class TrayIntegration extends VendorWebhookIntegration {
  readonly name = "tray";
  readonly label = "Tray";
  readonly description = "Send data and begin a Tray workflow.";
  readonly icon = iconBeside(__dirname, "tray.svg");
  protected readonly spec: VendorWebhook;

  constructor(http: HttpClient, domains: string[]) {
    super(http);
    this.spec = {
      vendor: "Tray", domains, example: "https://0123abcd-4567-89ef.trayapp.io",
      urlLabel: "Tray Webhook URL", urlDescription: "The public URL of the workflow's Webhook trigger.",
    };
  }
}
