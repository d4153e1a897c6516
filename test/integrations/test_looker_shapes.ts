// Every registered integration, sent what a real Looker sends for every format it declares,
// pushed in the body and at a download URL: no integration may refuse a payload Looker sends
// for a format it lists. Each vendor is played by a local fake that answers success.
import { expect } from "chai";
import request from "supertest";
import { Format, Integration } from "../../src/hub/integration";
import { allIntegrations } from "../../src/integrations";
import { trainingFollowers } from "../../src/integrations/amazon_sagemaker/training_follower";
import { azureBlobService } from "../../src/lib/object_stores/azure_blob";
import { DATAROBOT_TOKEN, FakeDataRobot } from "../fakes/datarobot_api";
import { DigitalOceanFake, DO_TOKEN } from "../fakes/digitalocean_api";
import { DownloadServer, startDownloadServer } from "../fakes/download_server";
import { AWS_KEY_ID, AWS_SECRET, Ec2Fake } from "../fakes/ec2_api";
import { AZURITE_ACCOUNT, AZURITE_KEY, Azurite, sharedAzurite } from "../fakes/azurite";
import { FakeGcs } from "../fakes/gcs_api";
import { S3_KEY_ID, S3_SECRET, S3Server, sharedS3Server } from "../fakes/s3_server";
import { FakeSageMaker } from "../fakes/sagemaker_api";
import { sharedSshd, Sshd } from "../fakes/sshd";
import { HttpReceiver } from "../fakes/http_receiver";
import { JIRA_EMAIL, JIRA_TOKEN, JiraFake } from "../fakes/jira_api";
import { storedStateFor } from "../../src/hub/oauth/stored_state";
import { Sealer } from "../../src/hub/oauth/sealing";
import { FakeOAuthServer } from "../fakes/oauth_server";
import { BRAZE_KEY, FakeBraze } from "../fakes/braze_api";
import { FakeHubspot, HUBSPOT_TOKEN } from "../fakes/hubspot_api";
import { FakeMarketo, MARKETO_CLIENT } from "../fakes/marketo_api";
import { FakeMparticle, MPARTICLE_KEY } from "../fakes/mparticle_api";
import { BASE_ID, table } from "../fakes/airtable_api";
import { FakeSegmentApi } from "../fakes/segment_api";
import { PagerDutyFake, ROUTING_KEY } from "../fakes/pagerduty_events";
import { FakeSendgrid } from "../fakes/sendgrid_api";
import { FakeSlack } from "../fakes/slack_api";
import { SmtpTestServer, testCertificate } from "../fakes/smtp_server";
import { TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN, TwilioFake } from "../fakes/twilio_api";
import { authHeader, buildTestApp, TEST_SECRET, TestApp, testConfig } from "../helpers/app";
import { FAST_HTTP_ENV } from "../helpers/http";
import { LoginVendors, loginVendorsEnv, startLoginVendors, stopLoginVendors } from "../helpers/login_vendors";
import { contentBytes, pushBody, sampleContent, urlBody } from "../helpers/looker_payloads";

interface Fakes extends LoginVendors {
  slack: FakeSlack; segment: FakeSegmentApi; receiver: HttpReceiver; sendgrid: FakeSendgrid; smtp: SmtpTestServer;
  twilio: TwilioFake; pagerduty: PagerDutyFake; digitalocean: DigitalOceanFake; ec2: Ec2Fake; jira: JiraFake;
  hubspot: FakeHubspot; marketo: FakeMarketo; braze: FakeBraze; mparticle: FakeMparticle;
  s3: S3Server; azurite: Azurite; gcs: FakeGcs; sshd: Sshd; datarobot: FakeDataRobot; sagemaker: FakeSageMaker;
}

const TWILIO = { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, from: TWILIO_FROM };
const S3_KEYS = { access_key_id: S3_KEY_ID, secret_access_key: S3_SECRET, region: "us-east-1" };

/** A logged-in user of an OAuth integration: tokens from the fake OAuth server, sealed as the hub stores them. */
function login(f: Fakes, integration: string, vendor: FakeOAuthServer = f.oauth): Record<string, unknown> {
  const tokens = vendor.issue();
  return { state_json: storedStateFor(new Sealer(TEST_SECRET), integration,
    { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3_600_000 }) };
}

/** The SageMaker actions' admin settings: the S3 server's keys (SageMaker's fake takes them too), the SMTP server. */
function sageMakerParams(f: Fakes, extra: Record<string, string> = {}): Record<string, string> {
  const [host, port] = f.smtp.address.split(":");
  return { accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET, roleArn: "arn:aws:iam::123456789012:role/Shapes",
    user_email: "ana@example.com", smtpHost: host, smtpPort: port, smtpFrom: "hub@example.com", smtpUser: "looker",
    smtpPass: "s3cret pass", ...extra };
}

/** What an admin and a user fill in for each integration; every registered one needs a line. */
const SETTINGS: Record<string, (f: Fakes) => { data: Record<string, unknown>; form: Record<string, string> }> = {
  debug: () => ({ data: {}, form: {} }),
  segment_event: () => ({ data: { segment_write_key: "test-write-key" }, form: {} }),
  segment_track: () => ({ data: { segment_write_key: "test-write-key" }, form: { event: "Weekly revenue" } }),
  segment_group: () => ({ data: { segment_write_key: "test-write-key" }, form: {} }),
  slack: (f) => ({ data: { slack_api_token: f.slack.token }, form: { channelType: "manual", channel: "C0123ABCD" } }),
  slack_app: (f) => ({ data: { state_json: JSON.stringify([{ install_id: "T1", token: f.slack.token }]) },
    form: { workspace: "T1", channelType: "manual", channel: "C0123ABCD" } }),
  google_chat: (f) => ({ data: {}, form: { url: f.receiver.url("/chat") } }),
  teams_incomingwebhook: (f) => ({ data: {}, form: { webhookUrl: f.receiver.url("/teams"), title: "Revenue" } }),
  tray: (f) => ({ data: {}, form: { url: f.receiver.url("/tray") } }),
  webhook: (f) => ({ data: {}, form: { url: f.receiver.url("/webhook") } }),
  zapier: (f) => ({ data: {}, form: { url: f.receiver.url("/zapier") } }),
  sendgrid: (f) => ({ data: { sendgrid_api_key: f.sendgrid.apiKey },
    form: { to: "ada@example.com", from: "reports@example.com" } }),
  email: (f) => ({
    data: { smtp_url: f.smtp.url(), from: "reports@example.com", smtp_ca_certificate: testCertificate().cert },
    form: { to: "ada@example.com" },
  }),
  google_drive: (f) => ({ data: login(f, "google_drive"), form: {} }),
  google_sheets: (f) => ({ data: login(f, "google_sheets"), form: { filename: "shapes", overwrite: "yes" } }),
  dropbox: (f) => ({ data: login(f, "dropbox"), form: { filename: "shapes", includeTimestamp: "no" } }),
  pagerduty: () => ({ data: { routing_key: ROUTING_KEY }, form: { severity: "error" } }),
  twilio: () => ({ data: TWILIO, form: { to: "+15550100001" } }),
  twilio_message: () => ({ data: TWILIO, form: { message: "Revenue is down" } }),
  aws_ec2_stop_instance: () => ({ data: { access_key_id: AWS_KEY_ID, secret_access_key: AWS_SECRET,
    region: "us-east-1" }, form: {} }),
  digitalocean_droplet: () => ({ data: { digitalocean_api_key: DO_TOKEN }, form: {} }),
  jira_create_issue: (f) => ({ data: { address: f.jira.url("/"), username: JIRA_EMAIL, password: JIRA_TOKEN },
    form: { project: "10000", issueType: "1", summary: "Revenue", description: "Weekly numbers" } }),
  hubspot_contacts: () => ({ data: { hubspot_access_token: HUBSPOT_TOKEN }, form: {} }),
  hubspot_companies: () => ({ data: { hubspot_access_token: HUBSPOT_TOKEN }, form: {} }),
  marketo: (f) => ({ data: { url: f.marketo.url, clientID: MARKETO_CLIENT.id, clientSecret: MARKETO_CLIENT.secret },
    form: { lookupField: "email", subaction: "none" } }),
  braze: (f) => ({ data: { braze_api_key: BRAZE_KEY, braze_api_endpoint: f.braze.url },
    form: { braze_key: "external_id", braze_segment: "LOOKER_EXPORT" } }),
  mparticle: () => ({ data: { apiKey: MPARTICLE_KEY.key, apiSecret: MPARTICLE_KEY.secret },
    form: { data_type: "user_data", environment: "development" } }),
  amazon_s3: () => ({ data: S3_KEYS, form: { bucket: "hub-shapes", path: "looker" } }),
  digitalocean_object_storage: () => ({ data: { ...S3_KEYS, region: "nyc3" },
    form: { bucket: "hub-shapes" } }),
  azure_storage: () => ({ data: { account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY },
    form: { container: "hub-shapes", filename: "shapes" } }),
  google_cloud_storage: (f) => ({ data: { client_email: f.gcs.clientEmail, private_key: f.gcs.privateKeyPem,
    project_id: f.gcs.projectId }, form: { bucket: "alpha", filename: "shapes", overwrite: "no" } }),
  sftp: (f) => ({ data: { sftp_private_key: f.sshd.clientKey, sftp_host_key_fingerprint: f.sshd.hostFingerprint },
    form: { address: `sftp://127.0.0.1:${f.sshd.port}${f.sshd.root}/`, username: f.sshd.user, filename: "shapes" } }),
  salesforce_campaigns: (f) => ({ data: { ...login(f, "salesforce_campaigns", f.salesforce),
    salesforce_domain: f.salesforce.domain },
    form: { create_or_append: "append", campaign_name: "701000000000001AAA" } }),
  airtable: (f) => ({ data: login(f, "airtable", f.airtable), form: { base: BASE_ID, table: "Shapes" } }),
  facebook_custom_audiences: (f) => ({ data: { state_json: storedStateFor(new Sealer(TEST_SECRET),
    "facebook_custom_audiences", { accessToken: f.graph.issue() }) },
    form: { choose_ad_account: "1001", choose_create_update_replace: "create_audience", create_audience_name: "Shapes",
      create_audience_description: "Every payload", should_hash: "do_hashing" } }),
  datarobot: () => ({ data: { datarobot_api_token: DATAROBOT_TOKEN }, form: { projectName: "Shapes" } }),
  amazon_sagemaker_infer: (f) => ({ data: sageMakerParams(f, { region: "us-east-1" }), form: { modelName: "ModelA",
    bucket: "hub-shapes", awsInstanceType: "ml.m5.large", numInstances: "1", numStripColumns: "1" } }),
  amazon_sagemaker_train_xgboost: (f) => ({ data: sageMakerParams(f), form: { modelName: "shapes-xgb",
    bucket: "hub-shapes", objective: "binary:logistic", awsInstanceType: "ml.m4.xlarge" } }),
  amazon_sagemaker_train_linearlearner: (f) => ({ data: sageMakerParams(f), form: { modelName: "shapes-ll",
    bucket: "hub-shapes", predictorType: "regressor", awsInstanceType: "ml.m4.xlarge" } }),
  google_ads_customer_match: (f) => ({ data: login(f, "google_ads_customer_match"),
    form: { loginCid: "3333333333", createOrAppend: "create", mobileDevice: "no", newListName: "Shapes" } }),
};

/** Lookers whose lists differ (json_detail before 6.2, json_detail_lite_stream after). */
const LOOKERS = ["6.1.0", "25.10.0"];

/** Each format an integration declares to some Looker, with a Looker version that sees it. */
function declaredFormats(integration: Integration): Array<{ format: Format; version: string }> {
  const seen = new Map<Format, string>();
  for (const version of LOOKERS) {
    const parsed = version.split(".").map(Number) as [number, number, number];
    if (!integration.isVisibleTo(parsed)) { continue; }
    for (const format of integration.formatsFor({ lookerVersion: parsed })) {
      if (!seen.has(format)) { seen.set(format, version); }
    }
  }
  return [...seen].map(([format, version]) => ({ format, version }));
}

describe("every integration accepts Looker's real payloads for every format it declares", function() {
  // Every integration times every format it declares, twice: minutes on a loaded 2-core machine.
  this.timeout(240_000);
  const fakes = {} as Fakes;
  let download: DownloadServer;
  let hub: TestApp;
  let integrations: Integration[];
  /** What the download server serves, by path. */
  const served = new Map<string, Buffer>();

  before(async () => {
    fakes.slack = await new FakeSlack().start();
    fakes.segment = await new FakeSegmentApi().start();
    fakes.receiver = await new HttpReceiver().start();
    fakes.sendgrid = await new FakeSendgrid().start();
    fakes.smtp = await new SmtpTestServer().start();
    Object.assign(fakes, await startLoginVendors());
    fakes.dropbox.refuseConflicts = false;
    fakes.twilio = await new TwilioFake().start();
    fakes.pagerduty = await new PagerDutyFake().start();
    fakes.digitalocean = await new DigitalOceanFake().start();
    fakes.ec2 = await new Ec2Fake().start();
    fakes.jira = await new JiraFake().start();
    // The storage family's servers (s3rver, Azurite, sshd) are the suite's shared ones.
    fakes.s3 = await sharedS3Server();
    await fakes.s3.createBucket("hub-shapes");
    fakes.azurite = await sharedAzurite();
    await azureBlobService({ account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY,
      blobUrlTemplate: fakes.azurite.blobUrlTemplate }).getContainerClient("hub-shapes").createIfNotExists();
    fakes.gcs = await new FakeGcs().start();
    fakes.sshd = await sharedSshd();
    // Each delivery stops the same droplets again: keep them running so every one succeeds.
    fakes.digitalocean.handler = ((route) => (r: any) => {
      fakes.digitalocean.droplets.set("101", "active").set("102", "active");
      return route!(r);
    })(fakes.digitalocean.handler);
    fakes.hubspot = await new FakeHubspot().start();
    fakes.marketo = await new FakeMarketo().start();
    fakes.braze = await new FakeBraze().start();
    fakes.mparticle = await new FakeMparticle().start();
    fakes.datarobot = await new FakeDataRobot().start();
    fakes.sagemaker = await new FakeSageMaker(S3_KEY_ID, S3_SECRET).start();
    // The sample json_detail's columns, by label, as the table's fields.
    fakes.airtable.tables.get(BASE_ID)!.push(table("tblShapes00000001", "Shapes", ["Users ID", "Users Email",
      "Accounts ID", "Users Salesforce ID", "Users Phone", "Servers Instance", "Servers Droplet", "Orders Total"]));
    // Teams' Workflows answer 202 with no body; the others only look at the status.
    fakes.receiver.defaultReply = { status: 200, body: "" };
    download = await startDownloadServer((req, res) => {
      const bytes = served.get(req.url ?? "");
      if (!bytes) { res.writeHead(404).end(); return; }
      res.writeHead(200).end(bytes);
    });
    const env = {
      ...FAST_HTTP_ENV, DEBUG_INTEGRATION: "true", SLACK_API_URL: fakes.slack.apiUrl,
      SEGMENT_API_HOST: fakes.segment.url, SENDGRID_API_URL: fakes.sendgrid.url,
      ZAPIER_WEBHOOK_DOMAINS: "127.0.0.1", TRAY_WEBHOOK_DOMAINS: "127.0.0.1",
      ...loginVendorsEnv(fakes),
      TWILIO_API_URL: fakes.twilio.url("/"), PAGERDUTY_EVENTS_URL: fakes.pagerduty.url("/"),
      DIGITALOCEAN_API_URL: fakes.digitalocean.url("/"), AWS_EC2_ENDPOINT: fakes.ec2.url(""),
      HUBSPOT_API_URL: fakes.hubspot.url, MPARTICLE_API_URL: fakes.mparticle.url, BRAZE_ENDPOINT_DOMAINS: "127.0.0.1",
      AWS_S3_ENDPOINT: fakes.s3.url, DIGITALOCEAN_SPACES_ENDPOINT: fakes.s3.url,
      AZURE_STORAGE_BLOB_URL: fakes.azurite.blobUrlTemplate, GCS_API_URL: fakes.gcs.url,
      // The Drive logins above hold tokens valid for an hour, so the token URL serves only the
      // service-account exchange of google_cloud_storage here.
      GOOGLE_OAUTH_TOKEN_URL: fakes.gcs.tokenUrl,
      GOOGLE_ADS_JOB_POLL_SECONDS: "0.001",
      DATAROBOT_URL: fakes.datarobot.url, DATAROBOT_POLL_SECONDS: "0.01",
      AWS_SAGEMAKER_ENDPOINT: fakes.sagemaker.url(""), SMTP_CA_CERTIFICATE: testCertificate().cert,
    };
    integrations = allIntegrations(testConfig(env));
    hub = buildTestApp(integrations, env);
  });

  after(async () => {
    // The training jobs started here are followed in the background: no longer, once the fakes stop.
    trainingFollowers.stopAll();
    await trainingFollowers.idle();
    trainingFollowers.restart();
    await Promise.all([fakes.slack.stop(), fakes.segment.stop(), fakes.receiver.stop(), download.close(),
      fakes.sendgrid.stop(), fakes.smtp.stop(), stopLoginVendors(fakes),
      fakes.twilio.stop(), fakes.pagerduty.stop(), fakes.digitalocean.stop(), fakes.ec2.stop(), fakes.jira.stop(),
      fakes.hubspot.stop(), fakes.marketo.stop(), fakes.braze.stop(), fakes.mparticle.stop(), fakes.gcs.stop(),
      fakes.datarobot.stop(), fakes.sagemaker.stop()]);
  });

  it("has settings for every registered integration (a new one adds its line to SETTINGS)", () => {
    // Retired names (not listed) answer every delivery with their notice: test/integrations/official/test_retired.ts.
    const names = allIntegrations(testConfig({ DEBUG_INTEGRATION: "true" })).filter((i) => i.listed).map((i) => i.name);
    expect(names.filter((n) => !SETTINGS[n])).to.deep.equal([]);
  });

  it("every integration, format and download setting succeeds, and the data arrives", async () => {
    const failures: string[] = [];
    let tried = 0;
    let n = 0;
    for (const integration of integrations.filter((i) => i.listed)) {
      const settings = SETTINGS[integration.name]?.(fakes);
      if (!settings) { continue; }
      const type = integration.supportedActionTypes.includes("query") ? "query" : "dashboard";
      for (const { format, version } of declaredFormats(integration)) {
        for (const setting of integration.supportedDownloadSettings) {
          const parts = { type, data: settings.data, form_params: settings.form } as const;
          const path = `/download/${++n}`;
          served.set(path, contentBytes(sampleContent(format)));
          const body = setting === "push" ? pushBody(format, parts) : urlBody(format, `${download.url}${path}`, parts);
          const before = fakes.receiver.received.length;
          const res = await request(hub.app).post(`/actions/${integration.name}/execute`)
            .set("Authorization", authHeader()).set("User-Agent", `LookerOutgoingWebhook/${version}`)
            .set("X-Looker-Webhook-Id", `wh-${n}`).send(body);
          tried++;
          const what = `${integration.name} ${format} ${setting} (Looker ${version})`;
          if (res.status !== 200 || res.body?.looker?.success !== true) {
            failures.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
            continue;
          }
          // What passes the data through must pass it unchanged.
          if (["webhook", "zapier", "tray"].includes(integration.name) && !settings.form.envelope) {
            const got = fakes.receiver.received.slice(before).pop()?.body;
            if (!got?.equals(contentBytes(sampleContent(format)))) { failures.push(`${what}: other bytes arrived`); }
          }
        }
      }
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
    expect(tried).to.be.greaterThan(40);
    expect(fakes.segment.accepted.length, "rows reached Segment").to.be.greaterThan(0);
    expect(fakes.slack.uploads.length, "files reached Slack").to.be.greaterThan(0);
    expect(fakes.sendgrid.sent.length, "emails reached SendGrid").to.be.greaterThan(0);
    expect(fakes.smtp.received.length, "emails reached the SMTP server").to.be.greaterThan(0);
    expect([...fakes.google.files.values()].filter((f) => f.name.startsWith("Weekly revenue.")).length,
      "files reached Drive")
      .to.be.greaterThan(10);
    expect(fakes.dropbox.files.size, "files reached Dropbox").to.be.greaterThan(5);
    // Without a typed name, buckets name each file by the title and the format's extension (official rule).
    expect(fakes.s3.keys("hub-shapes").filter((k) => /^(looker\/)?Weekly revenue\./.test(k)).length,
      "files reached S3 and Spaces").to.be.greaterThan(10);
    expect(fakes.gcs.objects.size, "files reached Cloud Storage").to.be.greaterThan(5);
    expect(fakes.graph.uploads.length, "people reached Facebook").to.be.greaterThan(0);
    expect(fakes.sagemaker.operations("CreateTrainingJob").length, "training jobs at SageMaker").to.be.greaterThan(1);
    expect(fakes.sagemaker.operations("CreateTransformJob").length, "transform jobs at SageMaker").to.be.greaterThan(1);
    expect([...fakes.datarobot.projects.values()].filter((p) => p.data?.length).length, "DataRobot read the data")
      .to.be.greaterThan(0);
    expect([...fakes.googleAds.jobs.values()].filter((j) => j.status === "SUCCESS").length, "jobs ran at Google Ads")
      .to.be.greaterThan(2);
  });
});
