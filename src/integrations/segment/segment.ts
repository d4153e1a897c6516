// The three Segment integrations, built from the hub's configuration.
import { Config, defaultHttpSettings } from "../../config";
import { Integration } from "../../hub/integration";
import { HttpClient } from "../../lib/http_client";
import { SegmentSettings } from "./segment_delivery";
import { SegmentGroupIntegration } from "./segment_group";
import { SegmentIdentifyIntegration } from "./segment_identify";
import { SegmentTrackIntegration } from "./segment_track";

/** `context.app` on every message names this hub, so Segment users can tell where calls came from. */
export const SEGMENT_APP_NAME = "looker-integration-service";

export function segmentSettings(config: Config, http: HttpClient): SegmentSettings {
  return {
    apiHost: config.segment.apiHost, appName: SEGMENT_APP_NAME, appVersion: config.version,
    senderKind: config.segment.sender, http,
  };
}

/** The integrations; without an HTTP client in `settings`, one with the default HTTP_* settings. */
export function segmentIntegrations(given: SegmentSettings): Integration[] {
  const http = given.http ?? new HttpClient(defaultHttpSettings(), { version: given.appVersion });
  const settings = { ...given, http };
  return [
    new SegmentIdentifyIntegration(settings),
    new SegmentTrackIntegration(settings),
    new SegmentGroupIntegration(settings),
  ];
}
