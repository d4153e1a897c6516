// Our own generic destination: POSTs the delivery, as Looker made it or in a JSON envelope,
// to any URL the user gives, optionally signed so the receiver can verify the hub sent it.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { HttpClient } from "../../lib/http_client";
import { tryWebhookUrl, WEBHOOK_DRY_RUN_CHECKS } from "../../families/webhook/webhook_preflight";
import { postDelivery } from "../../families/webhook/webhook_post";
import { groupDigits } from "../../lib/digits";

export class WebhookIntegration extends FileIntegration {
  readonly name = "webhook";
  readonly label = "Webhook";
  readonly description = "POST the data to a URL of your choice, optionally signed, in any format.";
  readonly icon = iconBeside(__dirname, "webhook.svg");
  readonly params: Param[] = [{
    name: "signing_secret",
    label: "Signing secret",
    description: "Optional. When set, every request carries X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the " +
      "body with this secret>, so the receiver can check that this hub sent it.",
    required: false,
    sensitive: true,
  }];

  constructor(private readonly http: HttpClient) { super(); }

  readonly dryRunChecks: string = WEBHOOK_DRY_RUN_CHECKS;

  /** The typed URL, tried with a HEAD request (writes nothing): src/families/webhook/webhook_preflight.ts. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    return tryWebhookUrl(this.http, request.formParams.url ?? "", "url", "The webhook");
  }

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "url",
      label: "Webhook URL",
      description: "The https URL that receives the data as a POST request.",
      type: "string",
      required: true,
    }, {
      name: "envelope",
      label: "Body",
      description: "The data as Looker made it, or a JSON object with the schedule's details and the data.",
      type: "select",
      default: "none",
      options: [
        { name: "none", label: "The data only (content type of the format)" },
        { name: "json", label: "JSON envelope: schedule details plus the data" },
      ],
    }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const result = await postDelivery(this.http, request, request.formParams.url ?? "", {
      field: "url",
      signingSecret: request.params.signing_secret || undefined,
      envelope: request.formParams.envelope === "json",
    });
    const what = request.delivery ? `${groupDigits(result.bytes)} bytes` : "an empty delivery";
    return ActionResponse.ok(`Sent ${what} to ${result.host} (HTTP ${result.status}).`);
  }
}
