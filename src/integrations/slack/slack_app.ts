// Slack as Looker lists it from 6.23: "Slack" (`slack_app`), whose bot tokens come from Looker's
// own delegated Slack install (the `install` param's delegate URL) in `data.state_json`, one
// per connected workspace. The delivery, the channel form and the connection test are the
// `slack` integration's (slack_delivery.ts); this class only finds the token and the workspace.
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  ALL_FORMATS, DownloadSetting, Format, iconBeside, Integration, Param,
} from "../../hub/integration";
import { isAtLeast } from "../../hub/looker_version";
import { UserError } from "../../lib/errors";
import { SlackApi, SlackCallError } from "./slack_api";
import { chosenInstall, SlackInstall, slackInstalls } from "./slack_app_state";
import { channelForm, connectionTest, deliverToSlack, SlackOptions, TokenAdvice } from "./slack_delivery";
import { explainSlackError } from "./slack_errors";
import { channelTypeOf, formFields } from "./slack_form";

const RECONNECT = "Ask your Looker admin to reconnect Slack under Admin > Platform > Actions > Slack " +
  "(Connect, or the install button), then choose the workspace and channel again.";
const ADVICE: TokenAdvice = { tokenAdvice: RECONNECT };
/** The Looker that sends a list of workspaces in its state and names them in the form. */
const MULTI_WORKSPACE_LOOKER = "7.3.0";

export class SlackAppIntegration extends Integration {
  readonly name = "slack_app";
  readonly label = "Slack";
  readonly description = "Send Looks and dashboards as files, or small results as a table, to a Slack channel " +
    "or person, through Looker's Slack app.";
  readonly icon = iconBeside(__dirname, "slack.svg");
  readonly params: Param[] = [{
    name: "install",
    label: "Connect to Slack",
    description: "Install Looker's Slack app in your workspace; Looker keeps the app's token and sends it with " +
      "each delivery.",
    required: false,
    sensitive: false,
    delegate_oauth_url: "/admin/integrations/slack/install",
  }];
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard"];
  readonly supportedFormats: Format[] = [...ALL_FORMATS];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  readonly minimumSupportedLookerVersion = "6.23.0";
  readonly usesOauth = true;
  readonly delegateOauth = true;

  constructor(private readonly options: SlackOptions) {
    super();
  }

  async form(request: ActionRequest): Promise<ActionForm> {
    const installs = slackInstalls(request.state);
    if (request.isTest) { return this.connectionForm(request, installs); }
    if (!installs.length) { return loginForm(request); }
    // From Looker 7.3 the form names the workspace, even when there is one: the official hub's
    // form does, so schedules saved there carry `workspace` and keep it when edited here.
    const multi = isAtLeast(request.lookerVersion, MULTI_WORKSPACE_LOOKER);
    const workspaces = multi ? await this.workspaceOptions(request, installs) : [];
    if (multi && !workspaces.length) {
      return loginForm(request, "Slack refused the token of every connected workspace.");
    }
    const chosen = chosenInstall(installs, request.formParams.workspace);
    const selected = workspaces.find((w) => w.install === chosen) ?? workspaces[0];
    const install = selected?.install ?? chosen ?? installs[0];
    const channels = await channelForm(this.api(request, install), channelTypeOf(request.formParams.channelType),
      false, ADVICE);
    if (!multi) { return channels; }
    const workspace: FormField = {
      name: "workspace", label: "Workspace", description: "Name of the Slack workspace you would like to share in.",
      type: "select", options: workspaces.map(({ name, label }) => ({ name, label })), default: selected.name,
      required: true, interactive: true,
    };
    channels.fields = [workspace, ...channels.fields];
    return channels;
  }

  /** The fields a delivery is checked against, without asking Slack for lists. */
  async validationForm(request: ActionRequest): Promise<ActionForm> {
    if (request.isTest) { return new ActionForm(); }
    return new ActionForm(formFields(channelTypeOf(request.formParams.channelType), false));
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const installs = slackInstalls(request.state);
    if (!installs.length) {
      throw new UserError(`Slack is not connected to this Looker, or your login to it has expired. ${RECONNECT}`);
    }
    const install = chosenInstall(installs, request.formParams.workspace);
    if (!install) {
      throw new UserError("The Slack workspace this schedule sends to is no longer connected to Looker. " +
        "Open the schedule and choose a workspace again.", { workspace: "No longer connected." });
    }
    const api = this.api(request, install);
    if (request.isTest) { return connectionTest(api, ADVICE); }
    return deliverToSlack(api, request, this.options, ADVICE);
  }

  private api(request: ActionRequest, install: SlackInstall): SlackApi {
    return new SlackApi(install.token, this.options, request.logger);
  }

  /** One option per workspace whose token Slack accepts, named by Looker's install id (else the team's). */
  private async workspaceOptions(request: ActionRequest, installs: SlackInstall[]) {
    const options: Array<{ install: SlackInstall; name: string; label: string }> = [];
    for (const install of installs) {
      const who = await this.authTest(request, install);
      // A bare token's workspace is whatever Slack calls it; the official hub's placeholder otherwise.
      const name = install.installId ?? who?.team_id ?? "any";
      if (who) { options.push({ install, name, label: who.team ?? name }); }
    }
    return options;
  }

  /** auth.test with the install's token; undefined when Slack refuses the token (logged, not the token). */
  private async authTest(request: ActionRequest, install: SlackInstall) {
    try {
      return await this.api(request, install).call("auth.test", (c) => c.auth.test());
    } catch (err) {
      if (!(err instanceof SlackCallError) || err.kind !== "platform") { throw explainSlackError(err, ADVICE); }
      request.logger.warn("slack workspace token refused", { code: err.code });
      return undefined;
    }
  }

  /**
   * Looker's connection test (a form request with `data.test`): one message per connected
   * workspace, as the official hub answers it (JSON naming the install from Looker 7.3), or
   * the form's error when there is no token or Slack refuses one.
   */
  private async connectionForm(request: ActionRequest, installs: SlackInstall[]): Promise<ActionForm> {
    if (!installs.length) { return ActionForm.error(`Slack is not connected. ${RECONNECT}`); }
    // As the official hub: the workspaces whose token works are listed; the test fails only when none does.
    const fields: FormField[] = [];
    let refused: unknown;
    for (const install of installs) {
      let who;
      try {
        who = await this.api(request, install).call("auth.test", (c) => c.auth.test());
      } catch (err) {
        refused = refused ?? err;
        continue;
      }
      const team = who.team ?? "Slack";
      const value = isAtLeast(request.lookerVersion, MULTI_WORKSPACE_LOOKER)
        ? JSON.stringify({ installation_id: who.team_id ?? install.installId, installation_name: team })
        : `Connected with ${team} (${who.team_id ?? ""})`;
      fields.push({ name: "Connected", label: "Connected", type: "message", value });
    }
    if (!fields.length) {
      const explained = explainSlackError(refused, ADVICE);
      if (explained instanceof UserError) { return ActionForm.error(explained.message); }
      throw explained;
    }
    return new ActionForm(fields);
  }
}

/** No usable token: the login link Looker gave (its state URL starts the delegated install). */
function loginForm(request: ActionRequest, why?: string): ActionForm {
  if (!request.stateUrl) {
    return ActionForm.error(`${why ?? "Slack is not connected."} ${RECONNECT}`);
  }
  return new ActionForm([{
    name: "login", label: "Connect to Slack", type: "oauth_link", oauth_url: request.stateUrl,
    description: `${why ?? "Slack is not connected yet."} Connect Looker's Slack app to choose a channel.`,
  }]);
}
