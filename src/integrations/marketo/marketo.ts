// Marketo: rows become leads (createOrUpdate by the form's lookup field), then optionally a
// campaign is triggered for them, or they are added to or removed from lists. The official
// hub's names: params url, clientID, clientSecret; form lookupField, subaction, campaignId.
import { CrmSettings } from "../../config/crm";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { iconBeside, Param } from "../../hub/integration";
import { ROW_DRY_RUN_CHECKS, RowIntegration } from "../../families/rows/row_integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { MarketoApi, MarketoApiOptions } from "./marketo_api";
import { MarketoDestination, Subaction, SUBACTIONS } from "./marketo_destination";

export class MarketoIntegration extends RowIntegration {
  readonly name = "marketo";
  readonly label = "Marketo";
  readonly description = "Create or update Marketo leads from a query's rows, then add them to a campaign or a list.";
  readonly icon = iconBeside(__dirname, "marketo.svg");
  readonly params: Param[];
  private readonly apiOptions: MarketoApiOptions;

  constructor(private readonly http: HttpClient, settings: CrmSettings, apiOptions: Partial<MarketoApiOptions> = {}) {
    super(settings.maxRejectedPercent);
    this.apiOptions = { rateLimitWaitMs: 20_000, rateLimitRetries: 3, ...apiOptions };
    this.params = this.withThreshold([
      { name: "url", label: "Marketo URL", required: true, sensitive: false,
        description: "Your REST base URL, e.g. https://123-ABC-456.mktorest.com." },
      { name: "clientID", label: "Client ID", required: true, sensitive: false,
        description: "A LaunchPoint API service's Client ID." },
      { name: "clientSecret", label: "Client Secret", required: true, sensitive: true,
        description: "The Client Secret of the same LaunchPoint service." },
    ]);
  }

  async form(): Promise<ActionForm> {
    return new ActionForm(formFields(true));
  }

  /** Schedules saved before `subaction` existed carry none and mean "trigger the campaigns named". */
  async validationForm(): Promise<ActionForm> {
    return new ActionForm(formFields(false));
  }

  readonly dryRunChecks: string = `${ROW_DRY_RUN_CHECKS}; before that, the Client ID and Client Secret, signed ` +
    "in with Marketo's identity service (a token minted, which writes nothing)";

  /** The Client ID and Secret, signed in with the identity service; no lead is touched. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    await this.api(request).signIn();
    return "Marketo's identity service took the Client ID and Client Secret";
  }

  protected destination(request: ActionRequest): MarketoDestination {
    const { subaction, ids } = membershipStep(request.formParams);
    const lookupField = request.formParams.lookupField?.trim() || "email";
    return new MarketoDestination(this.api(request), lookupField, subaction, ids);
  }

  private api(request: ActionRequest): MarketoApi {
    return new MarketoApi(this.http, instanceUrl(request.params.url), request.params.clientID.trim(),
      request.params.clientSecret.trim(), this.apiOptions, request.logger);
  }
}

function formFields(subactionRequired: boolean): FormField[] {
  return [
    { name: "lookupField", label: "Lookup Field", type: "string", required: true, default: "email",
      description: "The Marketo lead field that finds each lead (its column must be tagged marketo:<field>)." },
    { name: "subaction", label: "Then", type: "select", required: subactionRequired, default: "addCampaign",
      options: [{ name: "addCampaign", label: "Trigger a campaign" }, { name: "addList", label: "Add to lists" },
        { name: "removeList", label: "Remove from lists" }, { name: "none", label: "Only update the leads" }] },
    { name: "campaignId", label: "Campaign or List IDs", type: "string", required: false,
      description: "Comma-separated ids of the campaigns to trigger or lists to change." },
  ];
}

/** The instance URL without a path the admin may have pasted with it (/rest, /identity). */
function instanceUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UserError("The Marketo URL setting is not a URL. Use your instance's REST base URL, " +
      "e.g. https://123-ABC-456.mktorest.com (Admin > Actions > Marketo).");
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/(rest|identity)(\/.*)?$/, "").replace(/\/+$/, "")}`;
}

/** The form's subaction and ids; old schedules without a subaction trigger the campaigns they name. */
function membershipStep(form: Record<string, string>): { subaction: Subaction; ids: string[] } {
  const ids = (form.campaignId ?? "").split(",").map((id) => id.trim()).filter(Boolean);
  const given = form.subaction?.trim();
  if (given && !(SUBACTIONS as readonly string[]).includes(given)) {
    throw new UserError("The form's step is not one Marketo offers; pick one in the form.",
      { subaction: "Pick a step." });
  }
  const subaction = (given || (ids.length ? "addCampaign" : "none")) as Subaction;
  if (subaction === "none") {
    // As the official hub: ids with "only update" are a form mistake, not ids to ignore.
    if (ids.length) {
      throw new UserError('"Only update the leads" takes no ids: empty "Campaign or List IDs", or pick a step.',
        { campaignId: "Leave empty, or pick a step that uses ids." });
    }
    return { subaction, ids: [] };
  }
  const what = subaction === "addCampaign" ? "campaign" : "list";
  if (ids.length === 0) {
    throw new UserError(`Give the ${what} id(s) in "Campaign or List IDs".`, { campaignId: `Enter ${what} ids.` });
  }
  const bad = ids.find((id) => !/^\d+$/.test(id));
  if (bad) {
    throw new UserError(`"Campaign or List IDs" must be Marketo ${what} ids (numbers, as in the ${what}'s URL).`,
      { campaignId: "Comma-separated numbers." });
  }
  return { subaction, ids };
}
