// What HubSpot Contacts and HubSpot Companies declare alike and their one way to execute:
// rows keyed by a tagged id field, every other visible field a property, sent with CRM v3
// batch update through the shared row pipeline. A dry run first tries the token with a read of one record.
import { CrmSettings } from "../../config/crm";
import { ActionRequest } from "../../hub/action_request";
import { iconBeside, Param, RequiredField } from "../../hub/integration";
import { ROW_DRY_RUN_CHECKS, RowIntegration } from "../../families/rows/row_integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { HUBSPOT_MAX_BATCH, HubspotDestination, HubspotObjectKind } from "./hubspot_destination";

export abstract class HubspotIntegration extends RowIntegration {
  abstract readonly kind: HubspotObjectKind;
  readonly icon = iconBeside(__dirname, "hubspot.svg");
  readonly params: Param[];
  abstract readonly requiredFields: RequiredField[];

  constructor(private readonly http: HttpClient, private readonly settings: CrmSettings) {
    super(settings.maxRejectedPercent);
    this.params = this.withThreshold([{
      name: "hubspot_access_token",
      label: "HubSpot Access Token",
      description: "A HubSpot private app's access token, with write access to these records.",
      required: true,
      sensitive: true,
    }, {
      name: "hubspot_batch_update_size",
      label: "HubSpot Batch Update Size",
      description: `Records per batch update request, 1 to ${HUBSPOT_MAX_BATCH} (HubSpot's limit and the default).`,
      required: false,
      sensitive: false,
    }]);
  }

  readonly dryRunChecks: string = `${ROW_DRY_RUN_CHECKS}; before that, the access token, tried with HubSpot's read ` +
    "of one record (GET /crm/v3/objects/contacts or companies?limit=1, which changes nothing: a refused token fails " +
    "the dry run with HubSpot's reason; a token whose app may read nothing is known, its write scope not proven)";

  /** The access token, tried with a read of one record; nothing is updated. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    return this.destination(request).tryToken();
  }

  protected destination(request: ActionRequest): HubspotDestination {
    return new HubspotDestination(this.http, this.settings.hubspotApiUrl,
      request.params.hubspot_access_token.trim(), this.kind, batchSize(request), request.logger);
  }
}

/** hubspot_batch_update_size, when set: a whole number; above HubSpot's limit it is the limit. */
function batchSize(request: ActionRequest): number {
  const raw = request.params.hubspot_batch_update_size?.trim();
  if (!raw) { return HUBSPOT_MAX_BATCH; }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new UserError(`The setting "HubSpot Batch Update Size" must be a whole number from 1 to ` +
      `${HUBSPOT_MAX_BATCH}. Ask your Looker admin to correct it under Admin > Actions.`);
  }
  return Math.min(value, HUBSPOT_MAX_BATCH);
}
