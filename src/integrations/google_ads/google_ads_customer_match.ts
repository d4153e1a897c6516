// Google Ads Customer Match: a query's people (emails, phones, names and addresses, or mobile
// advertising ids) normalised, SHA-256 hashed and added to a Customer Match list through an
// offline user data job that is run and watched until Google finishes it, after the user logs in
// to Google from the form. Consent for EU users is sent as the form says.
import { GoogleAdsSettings } from "../../config/ads";
import { GoogleSettings } from "../../config/oauth";
import { streamingDetailFormats } from "../../data/rows/detail_fields";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { DefinitionContext, Format, iconBeside, Param } from "../../hub/integration";
import { OAuthDeclaration } from "../../hub/oauth/oauth_declaration";
import { RowIntegration } from "../../families/rows/row_integration";
import { HttpClient } from "../../lib/http_client";
import { googleOAuth } from "../../families/google/google_oauth";
import { customerMatchFormFields, customerMatchTarget } from "./customer_match_form";
import { CustomerMatchJob } from "./customer_match_job";
import { GoogleAdsApi } from "./google_ads_api";

export const ADWORDS_SCOPE = "https://www.googleapis.com/auth/adwords";

export class GoogleAdsCustomerMatchIntegration extends RowIntegration {
  readonly name = "google_ads_customer_match";
  readonly label = "Google Ads Customer Match";
  readonly description = "Add a query's people, hashed, to a Google Ads Customer Match list.";
  readonly icon = iconBeside(__dirname, "google_ads.svg");
  readonly params: Param[];
  /** json_label is the official hub's format (schedules moved over keep it); json_detail adds LookML tags. */
  readonly supportedFormats = (context: DefinitionContext): Format[] =>
    [...streamingDetailFormats(context), "json_label"];
  readonly oauth: OAuthDeclaration;

  constructor(private readonly settings: GoogleAdsSettings, google: GoogleSettings, private readonly http: HttpClient,
              defaultMaxRejectedPercent: number, private readonly sleep?: (ms: number) => Promise<void>) {
    super(defaultMaxRejectedPercent);
    this.params = this.withThreshold([]);
    this.oauth = googleOAuth({
      settings: google, client: settings.client, http, scopes: [ADWORDS_SCOPE],
      setupVariables: ["GOOGLE_ADS_CLIENT_ID", "GOOGLE_ADS_CLIENT_SECRET", "GOOGLE_ADS_DEVELOPER_TOKEN"],
      check: (session, request) => session.withAccessToken((token) => this.api(request).call(token,
        { path: "customers:listAccessibleCustomers", what: "your Google Ads accounts" }).then(() => undefined)),
    });
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    return new ActionForm(await request.oauth!.withAccessToken((token) =>
      customerMatchFormFields((loginCid) => this.api(request, loginCid), token, request)));
  }

  async validationForm(): Promise<ActionForm> {
    // The choices depend on each other; execute checks them (customerMatchTarget) without calling Google.
    return new ActionForm([]);
  }

  protected destination(request: ActionRequest): CustomerMatchJob {
    const target = customerMatchTarget(request);
    return new CustomerMatchJob(this.api(request, target.loginCid), this.settings, request, target, undefined,
      this.sleep);
  }

  private api(request: ActionRequest, loginCid?: string): GoogleAdsApi {
    return new GoogleAdsApi(this.http, this.settings, loginCid, request.logger);
  }
}
