// Airtable: a query's rows created as records in a table the user picks from their own bases,
// after logging in to Airtable from the form (OAuth with PKCE). The official hub's names: form
// base and table (offered from the metadata API here, not typed). Records go through the shared
// row pipeline, 10 per request, at Airtable's 5 requests per second per base.
import { AirtableSettings } from "../../config/crm_logins";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { DefinitionContext, Format, iconBeside, Param } from "../../hub/integration";
import { isAtLeast } from "../../hub/looker_version";
import { OAuthDeclaration } from "../../hub/oauth/oauth_declaration";
import { RowIntegration } from "../../families/rows/row_integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { RateGate } from "../../lib/rate_gate";
import { AirtableApi, AirtableApiOptions } from "./airtable_api";
import { AirtableRecords } from "./airtable_records";

/** Airtable's limit: requests per second per base. */
export const REQUESTS_PER_SECOND = 5;
const BASE_ID = /^app[A-Za-z0-9]{14}$/;

export class AirtableIntegration extends RowIntegration {
  readonly name = "airtable";
  readonly label = "Airtable";
  readonly description = "Add a query's rows as records to a table of one of your Airtable bases.";
  readonly icon = iconBeside(__dirname, "airtable.svg");
  /** The official hub's json_detail, which its schedules carry; newer Lookers may stream too. */
  readonly supportedFormats = (context: DefinitionContext): Format[] =>
    isAtLeast(context.lookerVersion, "6.2.0") ? ["json_detail", "json_detail_lite_stream"] : ["json_detail"];
  readonly params: Param[];
  readonly oauth: OAuthDeclaration;
  /** One per process: every delivery to a base shares its 5 requests a second. */
  private readonly gate: RateGate;
  private readonly apiOptions: AirtableApiOptions;

  constructor(private readonly http: HttpClient, private readonly settings: AirtableSettings,
              defaultMaxRejected: number, options: Partial<AirtableApiOptions> & { gate?: RateGate } = {}) {
    super(defaultMaxRejected);
    this.params = this.withThreshold([]);
    this.gate = options.gate ?? new RateGate(REQUESTS_PER_SECOND);
    this.apiOptions = { rateLimitWaitMs: options.rateLimitWaitMs ?? settings.rateLimitWaitMs };
    this.oauth = {
      vendor: "Airtable",
      client: settings.client,
      setupVariables: ["AIRTABLE_CLIENT_ID", "AIRTABLE_CLIENT_SECRET"],
      endpoints: { authorizeUrl: `${settings.oauthUrl}/authorize`, tokenUrl: `${settings.oauthUrl}/token` },
      scopes: ["data.records:write", "schema.bases:read"],
      tokenUrlFlow: false,
      loginField: "oauth_link",
      clientAuthentication: "basic",
      pkce: true,
      http,
      check: async (_session, request) => { await this.api(request).bases(); },
    };
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    const api = this.api(request);
    const bases = await api.bases();
    if (!bases.length) {
      return ActionForm.error("Your Airtable login may use no base. Log in again and choose the bases the hub may " +
        "add records to.");
    }
    const [base, table] = this.fields();
    const chosen = bases.find((b) => b.id === request.formParams.base);
    base.options = bases.map((b) => ({ name: b.id, label: b.name }));
    if (chosen) {
      table.options = (await api.tables(chosen.id)).map((t) => ({ name: t.id, label: t.name }));
    } else {
      table.description = "Choose the base first: its tables are listed here.";
    }
    return new ActionForm([base, table]);
  }

  async validationForm(): Promise<ActionForm> {
    return new ActionForm(this.fields().map((f) => ({ ...f, type: "string" })));
  }

  protected destination(request: ActionRequest): AirtableRecords {
    const base = request.formParams.base?.trim() ?? "";
    const table = request.formParams.table?.trim() ?? "";
    if (!BASE_ID.test(base)) {
      throw new UserError("Choose the Airtable base in the form.", { base: "Choose a base." });
    }
    if (!table) { throw new UserError("Choose the Airtable table in the form.", { table: "Choose a table." }); }
    return new AirtableRecords(this.api(request), base, table, request.webhookId);
  }

  private fields(): FormField[] {
    return [
      { name: "base", label: "Base", type: "select", required: true, interactive: true,
        description: "One of the bases your Airtable login may use." },
      { name: "table", label: "Table", type: "select", required: true,
        description: "The table the rows are added to: each column fills the field of the same name." },
    ];
  }

  private api(request: ActionRequest): AirtableApi {
    return new AirtableApi(this.http, request.oauth!, this.settings.apiUrl, this.gate, this.apiOptions, request.logger);
  }
}
