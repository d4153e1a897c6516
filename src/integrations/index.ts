// The central list of integrations: one line each, in the order Looker lists them.
import { Config } from "../config";
import { Integration } from "../hub/integration";
import { DebugIntegration } from "./debug/debug";
import { segmentIntegrations, segmentSettings } from "./segment/segment";

export function allIntegrations(config: Config): Integration[] {
  const list: Integration[] = [];
  if (config.debugIntegration) { list.push(new DebugIntegration()); }
  list.push(...segmentIntegrations(segmentSettings(config)));
  return list;
}
