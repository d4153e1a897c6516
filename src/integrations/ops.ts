// The operations and messaging family (issue 16), built from the hub's configuration.
import { Config } from "../config";
import { Integration } from "../hub/integration";
import { HttpClient } from "../lib/http_client";
import { DigitalOceanDropletIntegration } from "./digitalocean/digitalocean";
import { PagerDutyIntegration } from "./pagerduty/pagerduty";
import { TwilioIntegration } from "./twilio/twilio";
import { TwilioMessageIntegration } from "./twilio/twilio_message";

export function opsIntegrations(config: Config, http: HttpClient): Integration[] {
  const ops = config.ops;
  return [
    new DigitalOceanDropletIntegration(http, ops.digitaloceanApiUrl),
    new PagerDutyIntegration(http, ops.pagerdutyEventsUrl),
    new TwilioIntegration(http, ops.twilioApiUrl),
    new TwilioMessageIntegration(http, ops.twilioApiUrl),
  ];
}
