// Facebook Custom Audiences: a query's people (emails, phones, names, birth dates, places, mobile
// advertiser ids, external ids) normalised, SHA-256 hashed and uploaded to a customer-list
// audience, created, added to or replaced, after the user logs in to Facebook from the form.
import { FacebookSettings } from "../../config/ads";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { iconBeside, Param } from "../../hub/integration";
import { OAuthDeclaration } from "../../hub/oauth/oauth_declaration";
import { RowIntegration } from "../../families/rows/row_integration";
import { HttpClient } from "../../lib/http_client";
import { AudienceSession } from "./audience_session";
import { audienceTarget, facebookFormFields } from "./facebook_form";
import { facebookOAuth } from "./facebook_oauth";
import { GraphApi } from "./graph_api";

export class FacebookCustomAudiencesIntegration extends RowIntegration {
  readonly name = "facebook_custom_audiences";
  readonly label = "Facebook Custom Audiences";
  readonly description = "Upload a query's people, hashed, to a Facebook customer list audience.";
  readonly icon = iconBeside(__dirname, "facebook.svg");
  readonly params: Param[];
  readonly oauth: OAuthDeclaration;

  constructor(private readonly settings: FacebookSettings, private readonly http: HttpClient,
              defaultMaxRejectedPercent: number, private readonly batchSize?: number) {
    super(defaultMaxRejectedPercent);
    this.params = this.withThreshold([]);
    this.oauth = facebookOAuth(settings, http, (session, request) => session.withAccessToken((token) =>
      this.graph(request).call(token, { path: "me", query: { fields: "id" }, what: "your Facebook login" })));
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    return new ActionForm(await request.oauth!.withAccessToken((token) =>
      facebookFormFields(this.graph(request), token, request)));
  }

  async validationForm(): Promise<ActionForm> {
    // The choices depend on each other; execute checks them (audienceTarget) without calling Facebook.
    return new ActionForm([]);
  }

  protected destination(request: ActionRequest): AudienceSession {
    return new AudienceSession(this.graph(request), request, audienceTarget(request), this.batchSize);
  }

  private graph(request: ActionRequest): GraphApi {
    return new GraphApi(this.http, this.settings, request.logger);
  }
}
