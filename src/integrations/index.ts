// The central list of integrations: one line each, in the order Looker lists them.
import { Config } from "../config";
import { Integration } from "../hub/integration";
import { DebugIntegration } from "./debug/debug";
import { SlackIntegration } from "./slack/slack";

export function allIntegrations(config: Config): Integration[] {
  const list: Integration[] = [];
  if (config.debugIntegration) { list.push(new DebugIntegration()); }
  list.push(new SlackIntegration({ apiUrl: config.slack.apiUrl }));
  return list;
}
