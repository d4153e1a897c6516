// The operations and messaging family (issue 16), built from the hub's configuration.
import { Config } from "../config";
import { Integration } from "../hub/integration";
import { HttpClient } from "../lib/http_client";
import { AwsEc2StopInstanceIntegration } from "./aws_ec2/aws_ec2";
import { DigitalOceanDropletIntegration } from "./digitalocean/digitalocean";
import { FirebaseIntegration } from "./firebase/firebase";
import { JiraIntegration } from "./jira/jira";
import { PagerDutyIntegration } from "./pagerduty/pagerduty";
import { TwilioIntegration } from "./twilio/twilio";
import { TwilioMessageIntegration } from "./twilio/twilio_message";

export function opsIntegrations(config: Config, http: HttpClient): Integration[] {
  const ops = config.ops;
  const list: Integration[] = [
    new JiraIntegration(http),
    new PagerDutyIntegration(http, ops.pagerdutyEventsUrl),
    new TwilioIntegration(http, ops.twilioApiUrl),
    new TwilioMessageIntegration(http, ops.twilioApiUrl),
    new AwsEc2StopInstanceIntegration({ http: config.http, endpoint: ops.ec2Endpoint }),
    new DigitalOceanDropletIntegration(http, ops.digitaloceanApiUrl),
  ];
  if (ops.firebase) {
    list.push(new FirebaseIntegration({
      http, settings: ops.firebase, fcmApiUrl: ops.fcmApiUrl, tokenUrl: config.google.oauthTokenUrl,
    }));
  }
  return list;
}
