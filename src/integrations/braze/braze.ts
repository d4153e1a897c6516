// Braze: rows update Braze users' custom attributes and mark them with an export segment.
// The official hub's names: params braze_api_key, braze_api_endpoint, braze_description;
// form braze_key, braze_segment; the braze_id and braze[<attribute>] tags.
import { CrmSettings } from "../../config/crm";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { Format, iconBeside, Param, RequiredField } from "../../hub/integration";
import { RowIntegration } from "../../families/rows/row_integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { BRAZE_ID_TAG, BrazeDestination } from "./braze_destination";

const KEYS = ["external_id", "braze_id"];

export class BrazeIntegration extends RowIntegration {
  readonly name = "braze";
  readonly label = "Braze";
  readonly description = "Update Braze users' custom attributes from a query and add them to an export segment.";
  readonly icon = iconBeside(__dirname, "braze.svg");
  readonly params: Param[];
  readonly supportedFormats: Format[] = ["json_detail"];
  readonly requiredFields: RequiredField[] = [{ tag: BRAZE_ID_TAG }];

  constructor(private readonly http: HttpClient, private readonly settings: CrmSettings) {
    super(settings.maxRejectedPercent);
    this.params = this.withThreshold([
      { name: "braze_description", label: "Description", required: false, sensitive: false,
        description: "A note for admins; the hub does not use it." },
      { name: "braze_api_key", label: "Braze API Key", required: true, sensitive: true,
        description: "A REST API key with the users.track permission." },
      { name: "braze_api_endpoint", label: "Braze REST Endpoint", required: true, sensitive: false,
        description: "Your instance's REST endpoint, e.g. https://rest.iad-01.braze.com or " +
          "https://rest.fra-01.braze.eu." },
    ]);
  }

  async form(): Promise<ActionForm> {
    return new ActionForm([
      { name: "braze_key", label: "Unique Key", type: "select", required: true, default: "external_id",
        description: "Which Braze id the braze_id field holds.",
        options: KEYS.map((k) => ({ name: k, label: k })) },
      { name: "braze_segment", label: "Export Segment", type: "string", required: true, default: "LOOKER_EXPORT",
        description: "Added to each user's looker_export attribute, to build a Braze segment on." },
    ]);
  }

  protected destination(request: ActionRequest): BrazeDestination {
    const key = request.formParams.braze_key?.trim() || "external_id";
    if (!KEYS.includes(key)) {
      throw new UserError("The form's Unique Key must be external_id or braze_id.",
        { braze_key: "Pick external_id or braze_id." });
    }
    const segment = request.formParams.braze_segment?.trim() || "LOOKER_EXPORT";
    return new BrazeDestination(this.http, this.endpoint(request.params.braze_api_endpoint),
      request.params.braze_api_key.trim(), key, segment, request.logger);
  }

  /** The admin-typed endpoint: a Braze host (BRAZE_ENDPOINT_DOMAINS), https unless plain http is allowed. */
  private endpoint(raw: string): string {
    let url: URL | undefined;
    try { url = new URL(raw.trim()); } catch { url = undefined; }
    const domains = this.settings.brazeDomains;
    const host = url?.hostname.toLowerCase() ?? "";
    if (!url || !/^https?:$/.test(url.protocol) || !domains.some((d) => host === d || host.endsWith(`.${d}`))) {
      throw new UserError("The Braze REST Endpoint setting is not a Braze REST endpoint (a host under " +
        `${domains.join(" or ")}, e.g. https://rest.iad-01.braze.com). Correct it under Admin > Actions > Braze.`);
    }
    const protocol = url.protocol === "http:" && !this.http.settings.allowHttpUrls ? "https:" : url.protocol;
    return `${protocol}//${url.host}`;
  }
}
