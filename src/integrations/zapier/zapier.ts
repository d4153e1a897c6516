// Zapier's "Catch Hook" trigger: the query's json_detail posted to the zap's webhook URL.
// Name, form field and formats are the official hub's, so existing schedules keep working.
import { iconBeside } from "../../hub/integration";
import { HttpClient } from "../../lib/http_client";
import { VendorWebhook, VendorWebhookIntegration } from "../../families/webhook/vendor_webhook";

export class ZapierIntegration extends VendorWebhookIntegration {
  readonly name = "zapier";
  readonly label = "Zapier";
  readonly description = "Send data and begin a Zapier zap.";
  readonly icon = iconBeside(__dirname, "zapier.svg");
  protected readonly spec: VendorWebhook;

  constructor(http: HttpClient, domains: string[]) {
    super(http);
    this.spec = {
      vendor: "Zapier", domains, example: "https://hooks.zapier.com/hooks/catch/123/abc/",
      urlLabel: "Zapier Webhook URL", urlDescription: "The URL of the zap's \"Webhooks by Zapier\" Catch Hook trigger.",
    };
  }
}
