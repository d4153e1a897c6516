// Salesforce Campaigns: a query's contacts or leads added to a campaign, created by name or
// chosen among the org's, after the user logs in to Salesforce from the form (OAuth v1 at the
// admin's Salesforce domain). The official hub's names: param salesforce_domain; form
// create_or_append, campaign_name, member_status, surface_sfdc_errors; tags sfdc_contact_id,
// sfdc_lead_id. Members go through the shared row pipeline in Composite API chunks.
import { deliveryMark } from "../../hub/delivery_mark";
import { SalesforceSettings } from "../../config/crm_logins";
import { maxRejectedPercent } from "../../data/rows/rejection_threshold";
import { deliverRows } from "../../data/rows/row_pipeline";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { iconBeside, Param, RequiredField } from "../../hub/integration";
import { OAuthDeclaration } from "../../hub/oauth/oauth_declaration";
import { RowIntegration } from "../../families/rows/row_integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { CampaignMembers, CampaignTarget, MEMBER_TAGS } from "./campaign_members";
import { SalesforceApi } from "./salesforce_api";
import { groupDigits } from "../../lib/digits";

const CAMPAIGN_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export class SalesforceCampaignsIntegration extends RowIntegration {
  readonly name = "salesforce_campaigns";
  readonly label = "Salesforce Campaigns";
  readonly description = "Add a query's Salesforce contacts or leads to a new or existing campaign.";
  readonly icon = iconBeside(__dirname, "salesforce.svg");
  readonly params: Param[];
  readonly requiredFields: RequiredField[] = [{ any_tag: [...MEMBER_TAGS] }];
  readonly minimumSupportedLookerVersion = "22.6.0";
  readonly oauth: OAuthDeclaration;

  constructor(private readonly http: HttpClient, private readonly settings: SalesforceSettings,
              private readonly defaultMaxRejected: number) {
    super(defaultMaxRejected);
    this.params = this.withThreshold([{ name: "salesforce_domain", label: "Salesforce domain", required: true,
      sensitive: false, user_attribute_name: "salesforce_campaigns_action_domain",
      description: "Your org's My Domain URL, e.g. https://acme.my.salesforce.com." }]);
    this.oauth = {
      vendor: "Salesforce",
      client: settings.client,
      setupVariables: ["SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET"],
      // The domain is typed by the admin (or a user attribute): the token calls are URL-guarded.
      endpoints: (context) => {
        const domain = salesforceDomain(context.salesforce_domain);
        return { authorizeUrl: `${domain}/services/oauth2/authorize`, tokenUrl: `${domain}/services/oauth2/token`,
          userTyped: true };
      },
      scopes: ["api", "refresh_token"],
      tokenUrlFlow: false,
      loginField: "oauth_link",
      keepTokenFields: ["instance_url"],
      loginContext: (request) => ({ salesforce_domain: salesforceDomain(request.params.salesforce_domain) }),
      http,
      check: (_session, request) => this.api(request).check(),
    };
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    const api = this.api(request);
    // Listing the statuses also proves the login works before anything is chosen.
    const statuses = await api.memberStatuses();
    const choice = request.formParams.create_or_append;
    const fields = [this.fields()[0]];
    if (choice !== "create" && choice !== "append") { return new ActionForm(fields); }
    if (choice === "create") {
      fields.push(this.fields()[1]);
    } else {
      const { campaigns, more } = await api.campaigns();
      fields.push({ ...this.fields()[1], type: "select", description: more
        ? `The first ${groupDigits(campaigns.length)} campaigns by name (SALESFORCE_MAX_RESULTS).`
        : "The campaign the rows are added to.", options: campaigns.map((c) => ({ name: c.id, label: c.name })) });
    }
    fields.push({ ...this.fields()[2], options: statuses.map((s) => ({ name: s.value, label: s.label })) },
      this.fields()[3]);
    return new ActionForm(fields);
  }

  async validationForm(): Promise<ActionForm> {
    return new ActionForm(this.fields());
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    // "Surface errors": any member Salesforce refuses fails the delivery; else the rejected-rows threshold.
    const threshold = request.formParams.surface_sfdc_errors === "yes" ? 0
      : maxRejectedPercent(request, this.defaultMaxRejected);
    const members = this.destination(request);
    const summary = await deliverRows(request, members, threshold);
    return ActionResponse.ok(`${summary}${members.note()}`);
  }

  protected destination(request: ActionRequest): CampaignMembers {
    const status = request.formParams.member_status?.trim() || undefined;
    return new CampaignMembers(this.api(request), campaignTarget(request.formParams), status, this.settings.chunkSize,
      deliveryMark(request));
  }

  private fields(): FormField[] {
    return [
      { name: "create_or_append", label: "Create or append", type: "select", required: true, interactive: true,
        options: [{ name: "create", label: "Create a new campaign" }, { name: "append", label: "Add to a campaign" }] },
      { name: "campaign_name", label: "Campaign", type: "string", required: true,
        description: "The new campaign's name." },
      { name: "member_status", label: "Member status", type: "select", required: false,
        description: "The members' status; empty: the campaign's default status." },
      { name: "surface_sfdc_errors", label: "Fail on any Salesforce error", type: "select", required: false,
        default: "no", options: [{ name: "no", label: "No" }, { name: "yes", label: "Yes" }],
        description: "Yes: one member Salesforce refuses fails the delivery. No: only past the rejected-rows " +
          "threshold." },
    ];
  }

  private api(request: ActionRequest): SalesforceApi {
    const domain = salesforceDomain(request.params.salesforce_domain);
    return new SalesforceApi(this.http, request.oauth!, this.settings, domain, request.logger);
  }
}

/** The admin's Salesforce domain as an origin: https:// added when left out, any path dropped. */
export function salesforceDomain(raw: string | undefined): string {
  const text = (raw ?? "").trim();
  const fix = "Set it to your org's My Domain URL, e.g. https://acme.my.salesforce.com (Admin > Actions > " +
    "Salesforce Campaigns, or the user attribute salesforce_campaigns_action_domain).";
  if (!text) { throw new UserError(`The Salesforce domain setting is empty. ${fix}`); }
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new UserError(`The Salesforce domain setting is not a URL. ${fix}`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password) {
    throw new UserError(`The Salesforce domain setting must be an https address. ${fix}`);
  }
  return `${url.protocol}//${url.host}`;
}

/** The form's campaign: a name to create or the id of an existing one, checked before any call. */
function campaignTarget(form: Record<string, string>): CampaignTarget {
  const choice = form.create_or_append?.trim();
  const value = form.campaign_name?.trim() ?? "";
  if (choice !== "create" && choice !== "append") {
    throw new UserError("Choose whether to create a campaign or add to one in the form.",
      { create_or_append: "Choose create or append." });
  }
  if (!value) { throw new UserError("Give the campaign in the form.", { campaign_name: "Enter a campaign." }); }
  if (choice === "create") {
    if (value.length > 80) {
      throw new UserError("Salesforce campaign names have at most 80 characters.", { campaign_name: "Shorten it." });
    }
    return { create: value };
  }
  if (!CAMPAIGN_ID.test(value)) {
    throw new UserError("Choose the campaign from the list in the form.", { campaign_name: "Choose a campaign." });
  }
  return { append: value };
}
