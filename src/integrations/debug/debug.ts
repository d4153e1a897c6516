// A destination that reads the whole delivery and reports what it got, for smoke tests and
// load tests of the hub itself. Listed only when DEBUG_INTEGRATION=true.
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { abortableSleep, currentSignal } from "../../lib/abort_scope";
import { UserError } from "../../lib/errors";
import {
  ALL_FORMATS, DownloadSetting, Format, iconBeside, Integration, Param,
} from "../../hub/integration";
import { countDelivery } from "../../data/rows/row_count";

export class DebugIntegration extends Integration {
  readonly name = "debug";
  readonly label = "Debug";
  readonly description = "Reads a delivery and reports its size in bytes and rows; for testing the hub.";
  readonly icon = iconBeside(__dirname, "debug.svg");
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["cell", "query", "dashboard"];
  readonly supportedFormats: Format[] = [...ALL_FORMATS];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  async form(): Promise<ActionForm> {
    return new ActionForm([{
      name: "sleep",
      label: "Sleep (ms)",
      description: "Wait this many milliseconds before answering, to test slow deliveries.",
      type: "string",
      required: false,
    }]);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const sleep = request.formParams.sleep ? Number(request.formParams.sleep) : 0;
    if (!Number.isFinite(sleep) || sleep < 0 || sleep > 3_600_000) {
      throw new UserError("Sleep must be a number of milliseconds between 0 and 3600000.", { sleep: "Not a valid number." });
    }
    // Ends early when Looker hangs up (the delivery's signal), like any vendor call.
    if (sleep) { await abortableSleep(sleep, request.signal ?? currentSignal()); }
    if (request.type === "cell") {
      return ActionResponse.ok(`received cell value of ${Buffer.byteLength(request.cellValue ?? "")} bytes`);
    }
    if (!request.delivery) { return ActionResponse.ok("received 0 bytes, 0 rows"); }
    const { bytes, rows } = await countDelivery(request.delivery);
    request.delivery.noteRows?.(rows);
    return ActionResponse.ok(`received ${bytes} bytes, ${rows} rows`);
  }
}
