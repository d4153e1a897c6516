// "Twilio - Send Data": the first lines of a Look's CSV as a text message to the numbers in the
// form. Named as the official hub's action (`twilio`, `accountSid`, `authToken`, `from`, `to`).
import { StringDecoder } from "string_decoder";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { Format } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { MAX_BODY, splitNumbers, TwilioAction } from "./twilio_api";

/** Lines of the CSV in the message (the header line included), as the official action sends. */
const MAX_LINES = 10;
const MAX_NUMBERS = 100;

export class TwilioIntegration extends TwilioAction {
  readonly name = "twilio";
  readonly label = "Twilio - Send Data";
  readonly description = "Send the first lines of a Look's results as a text message to phone numbers.";
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["csv"];

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "to", label: "Phone numbers", type: "string", required: true,
      description: "Numbers in E.164 form with the country code (+15551234567), separated by commas.",
    }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const numbers = splitNumbers(request.formParams.to ?? "");
    if (!numbers.length) { throw new UserError("Type at least one phone number.", { to: "Required." }); }
    if (numbers.length > MAX_NUMBERS) {
      throw new UserError(`Type at most ${MAX_NUMBERS} phone numbers.`, { to: `At most ${MAX_NUMBERS}.` });
    }
    return this.messages.sendToAll(request, numbers, await messageBody(request));
  }
}

/**
 * The official hub's message: `<title>:` and the link on their own lines (each when the schedule
 * has one), then the CSV's first 10 lines (a line break after the tenth), cut to Twilio's 1,600
 * characters and then back to the last whole line.
 */
export async function messageBody(request: ActionRequest): Promise<string> {
  const plan = request.scheduledPlan;
  const head = `${plan?.title ? `${plan.title}:\n` : ""}${plan?.url ? `${plan.url}\n` : ""}`;
  if (!request.delivery) { return `${head}(no results)`; }
  const lines = (await firstText(request)).split("\n").slice(0, MAX_LINES);
  if (lines.length === MAX_LINES) { lines.push(""); }
  return truncatedAtLine(head + lines.join("\n"), MAX_BODY);
}

/** `text` cut to `max` characters and then back after its last line break (when it has one past the start). */
export function truncatedAtLine(text: string, max: number): string {
  if (text.length <= max) { return text; }
  const cut = text.slice(0, max);
  const lastBreak = cut.lastIndexOf("\n");
  return lastBreak > 0 ? cut.slice(0, lastBreak + 1) : cut;
}

/**
 * The start of the delivery's text: up to its tenth line break or past its first 1,600 characters,
 * whichever comes first (nothing after either can reach the message); the rest is never read.
 */
async function firstText(request: ActionRequest): Promise<string> {
  const stream = await request.delivery!.stream();
  const decoder = new StringDecoder("utf8");
  let text = "";
  try {
    for await (const chunk of stream) {
      text += decoder.write(chunk as Buffer);
      if (text.length > MAX_BODY || text.split("\n").length > MAX_LINES) { return text; }
    }
    return text + decoder.end();
  } finally {
    stream.destroy();
  }
}
