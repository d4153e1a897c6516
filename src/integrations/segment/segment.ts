// The three Segment integrations, built from the hub's configuration.
import { Config } from "../../config";
import { Integration } from "../../hub/integration";
import { SegmentSettings } from "./segment_delivery";
import { SegmentGroupIntegration } from "./segment_group";
import { SegmentIdentifyIntegration } from "./segment_identify";
import { SegmentTrackIntegration } from "./segment_track";

/** `context.app` on every message names this hub, so Segment users can tell where calls came from. */
export const SEGMENT_APP_NAME = "looker-integration-service";

export function segmentSettings(config: Config): SegmentSettings {
  return { apiHost: config.segment.apiHost, appName: SEGMENT_APP_NAME, appVersion: config.version };
}

export function segmentIntegrations(settings: SegmentSettings): Integration[] {
  return [
    new SegmentIdentifyIntegration(settings),
    new SegmentTrackIntegration(settings),
    new SegmentGroupIntegration(settings),
  ];
}
