// BigQuery write-back: a query's rows into a table through one load job (resumable upload of
// newline-delimited JSON, the schema from the fields), signed in as a service account like
// Google Cloud Storage. Waits for the job, and answers with BigQuery's own reason when it fails.
import { FoundTable, WarehouseIntegration, wroteRows } from "../../families/warehouse/warehouse_integration";
import { warehouseRows } from "../../families/warehouse/warehouse_rows";
import { tableNameParts, writeMode, writeModeField } from "../../families/warehouse/write_target";
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { iconBeside, Param } from "../../hub/integration";
import { RetryableError, UserError } from "../../lib/errors";
import { serviceAccountToken } from "../../lib/google_service_account";
import { HttpClient } from "../../lib/http_client";
import { BigQuerySession, listDatasets, tableColumns } from "./bigquery_api";
import { bigqueryColumnName, loadRows } from "./bigquery_load";
import { ColumnNaming } from "../../families/warehouse/warehouse_columns";

export interface BigQuerySettings {
  /** BIGQUERY_API_URL, without a trailing slash. */
  apiUrl: string;
  /** GOOGLE_OAUTH_TOKEN_URL. */
  tokenUrl: string;
  jobWaitMs: number;
  pollMs: number;
}

const SCOPE = "https://www.googleapis.com/auth/bigquery";
const WAREHOUSE = "BigQuery";
// BigQuery's names: a dataset of letters, digits and underscores; a table of letters, marks,
// digits, connectors, dashes and spaces.
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;
const TABLE = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]{1,1024}$/u;

/** The form's dataset and table, checked as BigQuery names them. */
function target(request: ActionRequest): { dataset: string; table: string } {
  const dataset = (request.formParams.dataset ?? "").trim();
  if (!DATASET.test(dataset)) {
    throw new UserError("The form's \"Dataset\" must be a BigQuery dataset's name: letters, digits and underscores.",
      { dataset: "Pick or type a dataset." });
  }
  const [table] = tableNameParts(request.formParams.table, 1, "a table's name (the dataset is chosen above)");
  if (!TABLE.test(table)) {
    throw new UserError("The form's \"Table\" is not a name BigQuery takes: letters, digits, underscores, dashes " +
      "and spaces, at most 1,024 characters.", { table: "Not a BigQuery table name." });
  }
  return { dataset, table };
}

export class BigQueryIntegration extends WarehouseIntegration {
  readonly name = "bigquery";
  readonly label = "BigQuery";
  readonly description = "Write a query's rows into a BigQuery table with a load job (append, replace or create).";
  readonly icon = iconBeside(__dirname, "bigquery.svg");
  readonly params: Param[] = [{
    name: "client_email", label: "Client Email", required: true, sensitive: false,
    description: "The service account's email: \"client_email\" in its JSON key file.",
  }, {
    name: "private_key", label: "Private Key", required: true, sensitive: true,
    description: "\"private_key\" of the JSON key file, pasted as it is (with its \\n). The service account needs " +
      "BigQuery Job User on the project and BigQuery Data Editor on the datasets written to.",
  }, {
    name: "project_id", label: "Project Id", required: true, sensitive: false,
    description: "The project the load jobs run in and whose datasets are offered (\"project_id\").",
  }];

  constructor(private readonly http: HttpClient, private readonly settings: BigQuerySettings) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    try {
      const datasets = await listDatasets(await this.session(request));
      return new ActionForm(this.fields(datasets, datasets.length ? undefined :
        "The project has no dataset the service account can see: type the dataset's name."));
    } catch (err) {
      // A dataset list the account may not read still leaves the name to type, with the reason;
      // a vendor that is down or busy is a form error, to be tried again.
      if (!(err instanceof UserError) || err instanceof RetryableError) { throw err; }
      return new ActionForm(this.fields([], `The datasets could not be listed: ${err.message} Type the dataset's name.`));
    }
  }

  /** Checking an execute's values must not list the datasets again: the names only. */
  async validationForm(request: ActionRequest): Promise<ActionForm> {
    return new ActionForm(request?.isTest ? [] : this.fields([]));
  }

  protected async connectionTest(request: ActionRequest): Promise<string> {
    const session = await this.session(request);
    const datasets = await listDatasets(session);
    return `Signed in to BigQuery; project ${session.project} has ${datasets.length} dataset` +
      `${datasets.length === 1 ? "" : "s"} the service account can see.`;
  }

  protected naming(): ColumnNaming {
    return { warehouse: WAREHOUSE, maxBytes: 300, name: bigqueryColumnName };
  }

  protected async findTable(request: ActionRequest): Promise<FoundTable> {
    const { dataset, table } = target(request);
    const session = await this.session(request);
    const columns = await tableColumns(session, dataset, table);
    return { name: `${session.project}.${dataset}.${table}`, exists: !!columns, columns, ignoreCase: true };
  }

  protected async write(request: ActionRequest): Promise<string> {
    const { dataset, table } = target(request);
    const mode = writeMode(request);
    const rows = await warehouseRows(request, this.naming());
    try {
      const session = await this.session(request);
      const written = await loadRows(session, { dataset, table, mode }, rows, {
        waitMs: this.settings.jobWaitMs, pollMs: this.settings.pollMs, signal: request.signal,
        // A chunk gets one more try than a plain request: each resumes where the last one stopped.
        maxAttempts: this.http.retryPolicy.maxAttempts + 1, retryBaseDelayMs: this.http.retryPolicy.baseDelayMs,
      });
      return wroteRows(written, `${session.project}.${dataset}.${table}`, WAREHOUSE, mode, false);
    } finally {
      await rows.close();
    }
  }

  /** Dataset (listed, or typed when the list is empty), table, write mode. */
  private fields(datasets: string[], problem?: string): FormField[] {
    const dataset: FormField = datasets.length
      ? { name: "dataset", label: "Dataset", type: "select", required: true, default: datasets[0],
        description: "The dataset of the table, among those the service account sees in its project.",
        options: datasets.map((d) => ({ name: d, label: d })) }
      : { name: "dataset", label: "Dataset", type: "string", required: true,
        description: problem ?? "The dataset of the table." };
    return [dataset, {
      name: "table", label: "Table", type: "string", required: true,
      description: "The table's name in the dataset (letters, digits, underscores, dashes, spaces).",
    }, writeModeField(WAREHOUSE)];
  }

  private async session(request: ActionRequest): Promise<BigQuerySession> {
    const clientEmail = (request.params.client_email ?? "").trim();
    if (!clientEmail) { throw new UserError("The Client Email setting is empty."); }
    const project = (request.params.project_id ?? "").trim();
    if (!project) { throw new UserError("The Project Id setting is empty."); }
    const token = await serviceAccountToken(this.http, this.settings.tokenUrl, {
      clientEmail, privateKey: request.params.private_key ?? "", scopes: [SCOPE],
    }, request.logger, WAREHOUSE);
    return { http: this.http, apiUrl: this.settings.apiUrl, accessToken: token.accessToken, project,
      logger: request.logger };
  }
}
