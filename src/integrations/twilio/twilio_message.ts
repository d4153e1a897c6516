// "Twilio - Send Message": the form's message to the number in a clicked cell, or to every
// distinct number in the query's field tagged `phone`. Named as the official hub's action.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { Format, RequiredField } from "../../hub/integration";
import { taggedValues } from "../../data/rows/tagged_values";
import { UserError } from "../../lib/errors";
import { MAX_BODY, TwilioAction } from "./twilio_api";
import { groupDigits } from "../../lib/digits";

const MAX_NUMBERS = 1000;

export class TwilioMessageIntegration extends TwilioAction {
  readonly name = "twilio_message";
  readonly label = "Twilio - Send Message";
  readonly description = "Send a text message to the phone numbers in a query's phone field or a clicked cell.";
  readonly supportedActionTypes: ActionType[] = ["cell", "query"];
  readonly supportedFormats: Format[] = ["json_detail"];
  readonly requiredFields: RequiredField[] = [{ tag: "phone" }];

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "message", label: "Message", type: "textarea", required: true,
      description: `The text to send (at most ${groupDigits(MAX_BODY)} characters), once to each number.`,
    }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    // Sent as typed, as the official hub sent it.
    const message = request.formParams.message ?? "";
    // Looker checks a cell action's form itself; the hub checks it here for both kinds.
    if (!message.trim()) { throw new UserError("Type the message to send.", { message: "Required." }); }
    if (message.length > MAX_BODY) {
      throw new UserError(`The message has ${groupDigits(message.length)} characters; Twilio sends at ` +
        `most ${groupDigits(MAX_BODY)}.`, { message: `At most ${MAX_BODY} characters.` });
    }
    const { values } = await taggedValues(request, "phone", { what: "phone number", max: MAX_NUMBERS });
    return this.messages.sendToAll(request, values, message);
  }
}
