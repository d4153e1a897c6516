// The central list of integrations: one line each, in the order Looker lists them, each built
// from the part of the configuration it needs.
import { Config, ConfigError } from "../config";
import { emailLinkStore } from "../families/mail/link_store";
import { s3ClientSettings } from "../families/storage/s3_destination";
import { Integration } from "../hub/integration";
import { createHttpClient, HttpClient } from "../lib/http_client";
import { AirtableIntegration } from "./airtable/airtable";
import { SageMakerInferIntegration } from "./amazon_sagemaker/sagemaker_infer";
import { SageMakerSettings } from "./amazon_sagemaker/sagemaker_train";
import { sageMakerTrainingIntegrations } from "./amazon_sagemaker/sagemaker_training";
import { AmazonS3Integration } from "./amazon_s3/amazon_s3";
import { AwsEc2StopInstanceIntegration } from "./aws_ec2/aws_ec2";
import { AzureStorageIntegration } from "./azure_storage/azure_storage";
import { BigQueryIntegration } from "./bigquery/bigquery";
import { BrazeIntegration } from "./braze/braze";
import { DataRobotIntegration } from "./datarobot/datarobot";
import { DebugIntegration } from "./debug/debug";
import { DigitalOceanDropletIntegration } from "./digitalocean/digitalocean";
import { DigitalOceanObjectStorageIntegration } from "./digitalocean_object_storage/digitalocean_object_storage";
import { DropboxIntegration } from "./dropbox/dropbox";
import { EmailIntegration } from "./email/email";
import { FacebookCustomAudiencesIntegration } from "./facebook/facebook_custom_audiences";
import { FirebaseIntegration } from "./firebase/firebase";
import { GoogleAdsCustomerMatchIntegration } from "./google_ads/google_ads_customer_match";
import { GoogleChatIntegration } from "./google_chat/google_chat";
import { GoogleCloudStorageIntegration } from "./google_cloud_storage/google_cloud_storage";
import { GoogleDriveIntegration } from "./google_drive/google_drive";
import { GoogleSheetsIntegration } from "./google_sheets/google_sheets";
import { HubspotCompaniesIntegration, HubspotContactsIntegration } from "./hubspot/hubspot";
import { JiraIntegration } from "./jira/jira";
import { MarketoIntegration } from "./marketo/marketo";
import { MparticleIntegration } from "./mparticle/mparticle";
import { PagerDutyIntegration } from "./pagerduty/pagerduty";
import { PostgresIntegration } from "./postgres/postgres";
import { retiredIntegrations } from "./retired/retired";
import { SalesforceCampaignsIntegration } from "./salesforce/salesforce_campaigns";
import { segmentIntegrations, segmentSettings } from "./segment/segment";
import { SendgridIntegration } from "./sendgrid/sendgrid";
import { SftpIntegration } from "./sftp/sftp";
import { SlackIntegration, slackOptions } from "./slack/slack";
import { SnowflakeIntegration } from "./snowflake/snowflake";
import { SlackAppIntegration } from "./slack/slack_app";
import { TeamsIntegration } from "./teams/teams";
import { TrayIntegration } from "./tray/tray";
import { TwilioIntegration } from "./twilio/twilio";
import { TwilioMessageIntegration } from "./twilio/twilio_message";
import { WebhookIntegration } from "./webhook/webhook";
import { ZapierIntegration } from "./zapier/zapier";
import { DiscordIntegration } from "./discord/discord";
import { TelegramIntegration } from "./telegram/telegram";
import { MattermostIntegration } from "./mattermost/mattermost";
import { OpsgenieIntegration } from "./opsgenie/opsgenie";
import { WebexIntegration } from "./webex/webex";

/** Names registered only when their settings are present (DEBUG_INTEGRATION, FIREBASE_*). */
const REGISTERED_BY_SETTINGS = ["debug", "firebase"];

/**
 * The integrations this hub offers: every one, or those ACTION_WHITELIST names. Tests may hand
 * over the HTTP client (one that resolves their fake vendors' names).
 */
export function allIntegrations(config: Config, http: HttpClient = createHttpClient(config)): Integration[] {
  const list = everyIntegration(config, http);
  const whitelist = config.actionWhitelist;
  if (!whitelist) { return list; }
  const known = new Set([...list.map((i) => i.name), ...REGISTERED_BY_SETTINGS]);
  const unknown = whitelist.filter((name) => !known.has(name));
  if (unknown.length) {
    throw new ConfigError(`ACTION_WHITELIST names ${unknown.length > 1 ? "integrations" : "an integration"} this hub ` +
      `does not have: ${unknown.join(", ")}. Known names: ${[...known].sort().join(", ")}.`);
  }
  return list.filter((i) => whitelist.includes(i.name));
}

function everyIntegration(config: Config, http: HttpClient): Integration[] {
  const slack = slackOptions(config, http);
  const mail = { settings: config.email, spoolDir: config.spoolDir, linkStore: emailLinkStore(config, http) };
  const s3 = s3ClientSettings(config.http);
  const sagemaker = sageMakerSettings(config, http);
  const maxRejected = config.crm.maxRejectedPercent;
  return [
    ...(config.debugIntegration ? [new DebugIntegration()] : []),
    ...segmentIntegrations(segmentSettings(config, http)),
    new HubspotContactsIntegration(http, config.crm),
    new HubspotCompaniesIntegration(http, config.crm),
    new MarketoIntegration(http, config.crm),
    new BrazeIntegration(http, config.crm),
    new MparticleIntegration(http, config.crm),
    new SalesforceCampaignsIntegration(http, config.crm.salesforce, maxRejected),
    new AirtableIntegration(http, config.crm.airtable, maxRejected),
    new FacebookCustomAudiencesIntegration(config.ads.facebook, http, maxRejected),
    new GoogleAdsCustomerMatchIntegration(config.ads.googleAds, config.google, http, maxRejected),
    new SlackIntegration(slack),
    new SlackAppIntegration(slack),
    new GoogleChatIntegration(http),
    new GoogleDriveIntegration(config.google, http),
    new GoogleSheetsIntegration(config.google, http),
    new DropboxIntegration(config.dropbox, http),
    new TeamsIntegration(http),
    new TrayIntegration(http, config.webhooks.trayDomains),
    new WebhookIntegration(http),
    new ZapierIntegration(http, config.webhooks.zapierDomains),
    new SendgridIntegration({ ...mail, http }),
    new EmailIntegration({ ...mail, guard: http.guard }),
    new JiraIntegration(http),
    new PagerDutyIntegration(http, config.ops.pagerdutyEventsUrl),
    new TwilioIntegration(http, config.ops.twilioApiUrl),
    new TwilioMessageIntegration(http, config.ops.twilioApiUrl),
    new AwsEc2StopInstanceIntegration({ http: config.http, endpoint: config.ops.ec2Endpoint }),
    new DigitalOceanDropletIntegration(http, config.ops.digitaloceanApiUrl),
    ...(config.ops.firebase ? [new FirebaseIntegration({ http, settings: config.ops.firebase,
      fcmApiUrl: config.ops.fcmApiUrl, tokenUrl: config.google.oauthTokenUrl })] : []),
    new AmazonS3Integration(http, { ...s3, endpoint: config.storage.s3Endpoint }),
    new AzureStorageIntegration({ blobUrlTemplate: config.storage.azureBlobUrl, maxTries: config.http.maxAttempts,
      tryTimeoutMs: config.http.totalTimeoutMs }),
    new DigitalOceanObjectStorageIntegration({ ...s3, endpointTemplate: config.storage.spacesEndpoint }),
    new GoogleCloudStorageIntegration(http, { apiUrl: config.storage.gcsApiUrl,
      tokenUrl: config.google.oauthTokenUrl }),
    new SftpIntegration(http.guard, config.http.connectTimeoutMs * 2, config.http.totalTimeoutMs),
    new DataRobotIntegration(http, { url: config.ml.dataRobotUrl, waitMs: config.ml.dataRobotWaitMs,
      pollMs: config.ml.dataRobotPollMs }),
    new SageMakerInferIntegration(sagemaker),
    ...sageMakerTrainingIntegrations(sagemaker),
    new DiscordIntegration(http, { domains: config.messaging.discordDomains,
      maxFileBytes: config.messaging.discordMaxFileBytes }),
    new TelegramIntegration(http, { apiUrl: config.messaging.telegramApiUrl,
      maxFileBytes: config.messaging.telegramMaxFileBytes }),
    new MattermostIntegration(http),
    new PostgresIntegration({ guard: http.guard, connectTimeoutMs: config.http.connectTimeoutMs,
      statementTimeoutMs: config.http.idleTimeoutMs, totalTimeoutMs: config.http.totalTimeoutMs }),
    new BigQueryIntegration(http, { apiUrl: config.warehouse.bigqueryApiUrl, tokenUrl: config.google.oauthTokenUrl,
      jobWaitMs: config.warehouse.bigqueryJobWaitMs, pollMs: config.warehouse.bigqueryPollMs }),
    new SnowflakeIntegration(http, { apiUrl: config.warehouse.snowflakeApiUrl,
      waitMs: config.warehouse.snowflakeWaitMs }),
    new OpsgenieIntegration(http, config.messaging.opsgenieApiUrl),
    new WebexIntegration(http, config.messaging.webexApiUrl),
    // New integrations go above this line (`npm run new-integration` adds theirs here).
    ...retiredIntegrations(),
  ];
}

function sageMakerSettings(config: Config, http: HttpClient): SageMakerSettings {
  return { http: config.http, guard: http.guard, sagemakerEndpoint: config.ml.sageMakerEndpoint,
    s3Endpoint: config.storage.s3Endpoint, pollMs: config.ml.sageMakerPollMs, smtpTimeoutMs: config.email.smtpTimeoutMs,
    smtpCaCertificate: config.email.smtpCaCertificate };
}
