// Integrations that exist only in tests, to exercise params, forms, versions and failures.
import { ActionForm } from "../../src/hub/action_form";
import { ActionRequest, ActionType } from "../../src/hub/action_request";
import { ActionResponse } from "../../src/hub/action_response";
import { UserError } from "../../src/lib/errors";
import { DefinitionContext, Format, iconBeside, Integration, Param } from "../../src/hub/integration";
import { isAtLeast } from "../../src/hub/looker_version";

const ICON = iconBeside(`${__dirname}/../../src/integrations/debug`, "debug.svg");

/** Has a required sensitive param, a form with a required field, and formats by version. */
export class ParamsIntegration extends Integration {
  readonly name = "with_params";
  readonly label = "With Params";
  readonly description = "A test integration with params and a form.";
  readonly icon = ICON;
  readonly params: Param[] = [
    { name: "api_key", label: "API Key", description: "The vendor key.", required: true, sensitive: true },
    { name: "region", label: "Region", description: "Optional region.", required: false, sensitive: false },
  ];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats = (context: DefinitionContext): Format[] =>
    isAtLeast(context.lookerVersion, "6.2") ? ["json_detail_lite_stream"] : ["json_detail"];
  received: ActionRequest[] = [];

  async form(): Promise<ActionForm> {
    return new ActionForm([
      { name: "destination", label: "Destination", type: "string", required: true },
      { name: "note", label: "Note", type: "textarea" },
    ]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    this.received.push(request);
    return ActionResponse.ok(`sent to ${request.formParams.destination}`);
  }
}

/** Only Lookers 7.0 and newer see it. */
export class NewLookerIntegration extends Integration {
  readonly name = "new_looker_only";
  readonly label = "New Looker Only";
  readonly description = "Hidden from Lookers before 7.0.";
  readonly icon = ICON;
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard"];
  readonly minimumSupportedLookerVersion = "7.0.0";

  async execute(): Promise<ActionResponse> {
    return ActionResponse.ok();
  }
}

/** Fails in the ways integrations can: a user error, an internal error, a rejected form. */
export class FailingIntegration extends Integration {
  readonly name = "failing";
  readonly label = "Failing";
  readonly description = "Fails on purpose.";
  readonly icon = ICON;
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query", "cell"];

  async form(request: ActionRequest): Promise<ActionForm> {
    if (request.formParams.form_mode === "user") {
      throw new UserError("The vendor refused the token; ask your admin.");
    }
    if (request.formParams.form_mode === "internal") { throw new TypeError("secret-internal-detail"); }
    return new ActionForm([{ name: "mode", label: "Mode", type: "select", interactive: true,
      options: [{ name: "user", label: "User" }, { name: "internal", label: "Internal" }] }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const mode = request.formParams.mode ?? request.cellValue;
    if (mode === "user") { throw new UserError("Bot is not in #sales: invite it.", { channel: "Invite the bot." }); }
    if (mode === "reject") { return Promise.reject(new RangeError("secret-internal-detail")); }
    if (mode === "slow-user") {
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new UserError("Slow failure.");
    }
    if (mode === "sleep") {
      await new Promise((resolve) => setTimeout(resolve, 250));
      return ActionResponse.ok("slept");
    }
    throw new TypeError("secret-internal-detail");
  }
}
