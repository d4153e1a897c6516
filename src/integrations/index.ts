// The central list of integrations: one line each, in the order Looker lists them.
import { Config, ConfigError } from "../config";
import { Integration } from "../hub/integration";
import { createHttpClient } from "../lib/http_client";
import { AirtableIntegration } from "./airtable/airtable";
import { BrazeIntegration } from "./braze/braze";
import { SageMakerInferIntegration } from "./amazon_sagemaker/sagemaker_infer";
import { SageMakerSettings } from "./amazon_sagemaker/sagemaker_train";
import { sageMakerTrainingIntegrations } from "./amazon_sagemaker/sagemaker_training";
import { DataRobotIntegration } from "./datarobot/datarobot";
import { DebugIntegration } from "./debug/debug";
import { DropboxIntegration } from "./dropbox/dropbox";
import { EmailIntegration } from "./email/email";
import { FacebookCustomAudiencesIntegration } from "./facebook/facebook_custom_audiences";
import { opsIntegrations } from "./ops";
import { GoogleAdsCustomerMatchIntegration } from "./google_ads/google_ads_customer_match";
import { GoogleChatIntegration } from "./google_chat/google_chat";
import { GoogleDriveIntegration } from "./google_drive/google_drive";
import { GoogleSheetsIntegration } from "./google_sheets/google_sheets";
import { emailLinkStore } from "../families/mail/link_store";
import { HubspotCompaniesIntegration, HubspotContactsIntegration } from "./hubspot/hubspot";
import { MarketoIntegration } from "./marketo/marketo";
import { MparticleIntegration } from "./mparticle/mparticle";
import { segmentIntegrations, segmentSettings } from "./segment/segment";
import { SalesforceCampaignsIntegration } from "./salesforce/salesforce_campaigns";
import { SendgridIntegration } from "./sendgrid/sendgrid";
import { SlackIntegration, slackOptions } from "./slack/slack";
import { SlackAppIntegration } from "./slack/slack_app";
import { storageIntegrations } from "./storage_integrations";
import { TeamsIntegration } from "./teams/teams";
import { TrayIntegration } from "./tray/tray";
import { WebhookIntegration } from "./webhook/webhook";
import { ZapierIntegration } from "./zapier/zapier";
import { retiredIntegrations } from "./retired/retired";

/** Names registered only when their settings are present (DEBUG_INTEGRATION, FIREBASE_*). */
const REGISTERED_BY_SETTINGS = ["debug", "firebase"];

/** The integrations this hub offers: every one, or those ACTION_WHITELIST names. */
export function allIntegrations(config: Config): Integration[] {
  const list = everyIntegration(config);
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

function everyIntegration(config: Config): Integration[] {
  const http = createHttpClient(config);
  const list: Integration[] = [];
  if (config.debugIntegration) { list.push(new DebugIntegration()); }
  list.push(...segmentIntegrations(segmentSettings(config, http)));
  list.push(new HubspotContactsIntegration(http, config.crm), new HubspotCompaniesIntegration(http, config.crm));
  list.push(new MarketoIntegration(http, config.crm));
  list.push(new BrazeIntegration(http, config.crm));
  list.push(new MparticleIntegration(http, config.crm));
  list.push(new SalesforceCampaignsIntegration(http, config.crm.salesforce, config.crm.maxRejectedPercent));
  list.push(new AirtableIntegration(http, config.crm.airtable, config.crm.maxRejectedPercent));
  list.push(new FacebookCustomAudiencesIntegration(config.ads.facebook, http, config.crm.maxRejectedPercent));
  list.push(new GoogleAdsCustomerMatchIntegration(config.ads.googleAds, config.google, http,
    config.crm.maxRejectedPercent));
  list.push(new SlackIntegration(slackOptions(config, http)));
  list.push(new SlackAppIntegration(slackOptions(config, http)));
  list.push(new GoogleChatIntegration(http));
  list.push(new GoogleDriveIntegration(config.google, http));
  list.push(new GoogleSheetsIntegration(config.google, http));
  list.push(new DropboxIntegration(config.dropbox, http));
  list.push(new TeamsIntegration(http));
  list.push(new TrayIntegration(http, config.webhooks.trayDomains));
  list.push(new WebhookIntegration(http));
  list.push(new ZapierIntegration(http, config.webhooks.zapierDomains));
  const mail = { settings: config.email, spoolDir: config.spoolDir, linkStore: emailLinkStore(config, http) };
  list.push(new SendgridIntegration({ ...mail, http }));
  list.push(new EmailIntegration({ ...mail, guard: http.guard }));
  list.push(...opsIntegrations(config, http));
  list.push(...storageIntegrations(config, http));
  list.push(new DataRobotIntegration(http, { url: config.ml.dataRobotUrl, waitMs: config.ml.dataRobotWaitMs,
    pollMs: config.ml.dataRobotPollMs }));
  const sagemaker: SageMakerSettings = { http: config.http, guard: http.guard,
    sagemakerEndpoint: config.ml.sageMakerEndpoint, s3Endpoint: config.storage.s3Endpoint,
    pollMs: config.ml.sageMakerPollMs, smtpTimeoutMs: config.email.smtpTimeoutMs,
    smtpCaCertificate: config.email.smtpCaCertificate };
  list.push(new SageMakerInferIntegration(sagemaker), ...sageMakerTrainingIntegrations(sagemaker));
  list.push(...retiredIntegrations());
  return list;
}
