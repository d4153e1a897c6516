// "Twilio - Send Data": the first lines of a Look's CSV as a text message to the numbers in the
// form. Named as the official hub's action (`twilio`, `accountSid`, `authToken`, `from`, `to`).
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { DownloadSetting, Format, iconBeside, Integration, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { MAX_BODY, splitNumbers, TWILIO_PARAMS, TwilioMessages } from "./twilio_api";

/** Lines of the CSV in the message (the header line included), as the official action sends. */
const MAX_LINES = 10;
const MAX_NUMBERS = 100;

export class TwilioIntegration extends Integration {
  readonly name = "twilio";
  readonly label = "Twilio - Send Data";
  readonly description = "Send the first lines of a Look's results as a text message to phone numbers.";
  readonly icon = iconBeside(__dirname, "twilio.svg");
  readonly params: Param[] = TWILIO_PARAMS;
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats: Format[] = ["csv"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  private readonly messages: TwilioMessages;

  constructor(http: HttpClient, apiUrl: string) {
    super();
    this.messages = new TwilioMessages(http, apiUrl);
  }

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

/** The schedule's title, its link and the first lines of the CSV, cut to Twilio's 1,600 characters. */
export async function messageBody(request: ActionRequest): Promise<string> {
  const head = [request.suggestedTitle(), request.scheduledPlan?.url].filter(Boolean).join("\n");
  const lines = request.delivery ? await firstLines(request, MAX_LINES) : [];
  const text = lines.length ? `${head}\n${lines.join("\n")}` : `${head}\n(no results)`;
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 1)}…` : text;
}

/** Reads only as far as the first `max` lines; the rest of the delivery is never read. */
async function firstLines(request: ActionRequest, max: number): Promise<string[]> {
  const stream = await request.delivery!.stream();
  let text = "";
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString("utf8");
      if (text.split("\n").length > max || text.length > MAX_BODY * 2) { break; }
    }
  } finally {
    stream.destroy();
  }
  return text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim() !== "").slice(0, max);
}
