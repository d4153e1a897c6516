// What the three Segment integrations declare alike (the write key, formats by Looker
// version, unformatted values, both download settings) and their one way to execute.
// One shallow level: the row-to-message rules live in segment_mapper.ts, shared by calling.
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import {
  DownloadSetting, Formatting, iconBeside, Integration, Param, VisualizationFormatting,
} from "../../hub/integration";
import { streamingDetailFormats } from "../../data/rows/detail_fields";
import { deliverToSegment, SegmentSettings } from "./segment_delivery";
import { SegmentCall } from "./segment_mapper";
import { SEGMENT_DRY_RUN_CHECKS } from "./segment_dry_run";

/** Looker 6.2 and newer send json_detail_lite_stream, meant to be read as a stream. */
export const segmentFormats = streamingDetailFormats;

export abstract class SegmentIntegration extends Integration {
  /** The Segment call each row becomes. */
  abstract readonly call: SegmentCall;
  readonly icon = iconBeside(__dirname, "segment.svg");
  readonly params: Param[] = [{
    name: "segment_write_key",
    label: "Segment Write Key",
    description: "The write key of the Segment source that receives the calls (in Segment: Connections > " +
      "Sources > your source > Settings > API Keys).",
    required: true,
    sensitive: true,
  }];
  readonly supportedActionTypes: ActionType[] = ["query"];
  readonly supportedFormats = segmentFormats;
  readonly supportedFormattings: Formatting[] = ["unformatted"];
  readonly supportedVisualizationFormattings: VisualizationFormatting[] = ["noapply"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  constructor(private readonly settings: SegmentSettings) { super(); }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    return deliverToSegment(request, this.call, this.settings);
  }

  readonly dryRunChecks: string = SEGMENT_DRY_RUN_CHECKS;

  /** Every row mapped to its message as in a delivery; nothing sent (segment_dry_run.ts). */
  async dryRun(request: ActionRequest): Promise<ActionResponse> {
    const response = await deliverToSegment(request, this.call, this.settings);
    if (response.dryRun) { response.dryRun.integration = this.name; }
    return response;
  }
}
