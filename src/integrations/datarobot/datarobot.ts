// Creates a DataRobot project from a Look's results, as the official hub's `datarobot` does:
// DataRobot is given Looker's one-time download URL and reads the CSV itself, so the hub never
// touches the data. The hub then follows the creation for a bounded time, so a token DataRobot
// refuses or a Looker DataRobot cannot reach is told to the schedule's owner.
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  DownloadSetting, Format, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { checkToken, createProject, DataRobotApi, followCreation } from "./datarobot_api";

export interface DataRobotSettings {
  /** DATAROBOT_URL: the default application URL (https://app.datarobot.com). */
  url: string;
  waitMs: number;
  pollMs: number;
}

const PROJECT_NAME: FormField = {
  name: "projectName", label: "The name of the project to be created", type: "string", required: false,
  description: "Empty: the schedule's title.",
};

export class DataRobotIntegration extends Integration {
  readonly name = "datarobot";
  readonly label = "DataRobot - Create New Project";
  readonly description = "Send data to DataRobot and create a new project.";
  readonly icon = iconBeside(__dirname, "datarobot.svg");
  readonly params: Param[] = [{
    name: "datarobot_api_token", label: "Authentication User Attribute", required: true, sensitive: true,
    description: "Select the user attribute that holds each user's DataRobot API token (DataRobot: Developer Tools " +
      "> API Keys).",
  }, {
    name: "datarobot_url", label: "DataRobot URL", required: false, sensitive: false,
    description: "Your DataRobot application URL, e.g. https://app.datarobot.com (the default) or your own " +
      "installation's.",
  }];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["csv"];
  readonly supportedFormattings: Formatting[] = ["unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["noapply"];
  // DataRobot reads Looker's download URL itself: pushed data would have nowhere to go.
  readonly supportedDownloadSettings: DownloadSetting[] = ["url"];
  readonly minimumSupportedLookerVersion = "5.24.0";

  constructor(private readonly http: HttpClient, private readonly settings: DataRobotSettings) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    if (!(request.params.datarobot_api_token ?? "").trim()) {
      return ActionForm.error("No DataRobot API token is set for you: ask your Looker admin to fill the user " +
        "attribute this action uses.");
    }
    try {
      await checkToken(this.api(request));
    } catch (err) {
      if (err instanceof UserError) { return ActionForm.error(err.message); }
      throw err;
    }
    return new ActionForm([PROJECT_NAME]);
  }

  /** The execute checks the form's fields without asking DataRobot again. */
  async validationForm(): Promise<ActionForm> {
    return new ActionForm([PROJECT_NAME]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const dataUrl = request.scheduledPlan?.downloadUrl;
    if (!dataUrl) {
      throw new UserError("DataRobot reads the data from Looker's download link, and this delivery carried none. " +
        "Send it as a schedule or with \"Send\" from a Look, which give DataRobot the link.");
    }
    const projectName = (request.formParams.projectName ?? "").trim() || request.suggestedTitle();
    const api = this.api(request);
    const statusUrl = await createProject(api, projectName, dataUrl);
    const started = `DataRobot accepted the data for project "${projectName}"`;
    if (!statusUrl || new URL(statusUrl).origin !== new URL(api.apiUrl).origin) {
      return ActionResponse.ok(`${started}; it creates the project from Looker's data now.`);
    }
    const creation = await followCreation(api, statusUrl, this.settings.waitMs, this.settings.pollMs);
    switch (creation.state) {
      case "created":
        return ActionResponse.ok(`Created DataRobot project "${creation.projectName ?? projectName}"` +
          `${creation.projectId ? ` (${creation.projectId})` : ""} from Looker's data.`);
      case "running":
        return ActionResponse.ok(`${started} and is still reading it after ` +
          `${Math.round(this.settings.waitMs / 1000)} s; the project appears in DataRobot when it is done.`);
      case "failed":
        return ActionResponse.failure("DataRobot could not create the project" +
          `${creation.message ? `: "${creation.message}"` : ""}. DataRobot downloads the data from Looker itself, ` +
          "so it must reach your Looker over the network (a Looker on a private network cannot be read by " +
          "DataRobot's cloud), within the hour the download link lasts. Ask your Looker admin, then send it again.");
    }
  }

  private api(request: ActionRequest): DataRobotApi {
    const typed = (request.params.datarobot_url ?? "").trim();
    const origin = typed ? originOf(typed) : this.settings.url;
    return {
      apiUrl: `${origin}/api/v2`, trusted: !typed, token: (request.params.datarobot_api_token ?? "").trim(),
      http: this.http, logger: request.logger,
    };
  }
}

/** The origin of the admin's DataRobot URL (typed with or without https://); DataRobot's API is at its root. */
function originOf(typed: string): string {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`);
    if (url.protocol === "https:" || url.protocol === "http:") { return url.origin; }
  } catch { /* described below */ }
  throw new UserError(`The action's DataRobot URL "${typed}" is not a web address. Ask your Looker ` +
    "admin to set it to your DataRobot application's URL, e.g. https://app.datarobot.com.");
}
