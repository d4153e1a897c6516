// Names of the official hub whose vendors' APIs are gone. They are not listed, but a schedule
// still pointing at one is answered (form and execute) with what happened and what to use
// instead, rather than a bare 404 the schedule's owner cannot act on.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { ALL_FORMATS, DownloadSetting, Format, iconBeside, Integration, Param } from "../../hub/integration";

export interface RetiredNotice {
  name: string;
  label: string;
  /** Why the service is gone, one sentence. */
  why: string;
  /** What to use instead, one or two sentences. */
  instead: string;
}

export const RETIRED: readonly RetiredNotice[] = [
  {
    name: "kloudio",
    label: "Kloudio",
    why: "Kloudio's endpoints were reachable only from Looker's own hosted Action Hub, and that service is gone.",
    instead: "To keep these results in a spreadsheet, edit the schedule and send it to Google Sheets (google_sheets).",
  },
  {
    name: "auger",
    label: "Auger - AutoML Training",
    why: "Auger's API no longer exists.",
    instead: "To train a model on these results, edit the schedule and send it to DataRobot (datarobot) or to " +
      "Amazon SageMaker training (amazon_sagemaker_train_xgboost, amazon_sagemaker_train_linearlearner).",
  },
  {
    name: "google_analytics_data_import",
    label: "Google Analytics Data Import",
    why: "Universal Analytics stopped processing data in July 2023, and its Data Import API went with it.",
    instead: "For Google Analytics 4, set up a Data Import that reads a CSV file over SFTP or from a bucket, " +
      "then edit the schedule and send it there with the sftp, google_cloud_storage or amazon_s3 integration.",
  },
];

export class RetiredIntegration extends Integration {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly icon = iconBeside(__dirname, "retired.svg");
  readonly params: Param[] = [];
  // Whatever a stored schedule sends is answered with the notice, so nothing is refused first.
  readonly supportedActionTypes: ActionType[] = ["cell", "query", "dashboard"];
  readonly supportedFormats: Format[] = [...ALL_FORMATS];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  readonly listed = false;
  readonly notice: string;

  constructor(retired: RetiredNotice) {
    super();
    this.name = retired.name;
    this.label = retired.label;
    this.description = `Retired: ${retired.why}`;
    this.notice = `${retired.label} was retired and nothing was sent: ${retired.why} ${retired.instead}`;
  }

  async form(): Promise<ActionForm> {
    return ActionForm.error(this.notice);
  }

  async execute(_request: ActionRequest): Promise<ActionResponse> {
    return ActionResponse.failure(this.notice);
  }

  readonly dryRunChecks = "nothing: the name is retired, and a dry run is answered as a delivery is";

  /** A dry run is told what a delivery is told: the name is retired, and what to use instead. */
  async dryRun(request: ActionRequest): Promise<ActionResponse> {
    return this.execute(request);
  }
}

export function retiredIntegrations(): Integration[] {
  return RETIRED.map((notice) => new RetiredIntegration(notice));
}
