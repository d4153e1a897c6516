// mParticle: each row becomes one batch of mParticle's server-to-server Events API (user
// attributes, or a custom event), sent 100 batches a request to the bulk endpoint. The
// official hub's names: params apiKey, apiSecret; form data_type, environment; the mp_* tags.
import { CrmSettings } from "../../config/crm";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { iconBeside, Param } from "../../hub/integration";
import { RowIntegration } from "../../families/rows/row_integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { MparticleDestination } from "./mparticle_destination";
import { DataType } from "./mparticle_mapping";

const DATA_TYPES: DataType[] = ["user_data", "event_data"];
const ENVIRONMENTS = ["production", "development"];

export class MparticleIntegration extends RowIntegration {
  readonly name = "mparticle";
  readonly label = "mParticle";
  readonly description = "Send a query's rows to mParticle as user attributes or custom events.";
  readonly icon = iconBeside(__dirname, "mparticle.svg");
  readonly params: Param[];

  constructor(private readonly http: HttpClient, private readonly settings: CrmSettings) {
    super(settings.maxRejectedPercent);
    this.params = this.withThreshold([
      { name: "apiKey", label: "API Key", required: true, sensitive: false,
        description: "The key of an mParticle server-to-server input feed (Setup > Inputs > Feeds)." },
      { name: "apiSecret", label: "API Secret", required: true, sensitive: true,
        description: "The secret of the same feed." },
    ]);
  }

  async form(): Promise<ActionForm> {
    return new ActionForm([
      { name: "data_type", label: "Data Type", type: "select", required: true,
        description: "User data updates user attributes; event data sends one custom event per row.",
        options: [{ name: "user_data", label: "User Data" }, { name: "event_data", label: "Event Data" }] },
      { name: "environment", label: "Environment", type: "select", required: true,
        description: "The mParticle environment the data goes to.",
        options: [{ name: "production", label: "Production" }, { name: "development", label: "Development" }] },
    ]);
  }

  protected destination(request: ActionRequest): MparticleDestination {
    const dataType = request.formParams.data_type as DataType;
    if (!DATA_TYPES.includes(dataType)) {
      throw new UserError("Pick the data type to send (User Data or Event Data).",
        { data_type: "Pick user_data or event_data." });
    }
    // As the official hub: anything but production goes to development.
    const environment = ENVIRONMENTS.includes(request.formParams.environment) ? request.formParams.environment
      : "development";
    return new MparticleDestination(this.http, this.settings.mparticleApiUrl,
      request.params.apiKey.trim(), request.params.apiSecret.trim(), dataType, environment,
      `looker-${request.webhookId ?? Date.now().toString(36)}-`, request.logger);
  }
}
