// Results too big to attach, sent as a link (EMAIL_LINK_STORE), end to end: the hub configured
// from the environment as in production, the file streamed to the storage family's test servers
// (s3rver, Azurite, the GCS fake), the email received by a real SMTP server or the SendGrid fake,
// and the link in it fetched by the test and compared byte for byte with what Looker sent.
import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { linkStoreSettings, linkTtlHours } from "../../../src/config/link_store";
import { emailLinkStore } from "../../../src/families/mail/link_store";
import { SendgridIntegration } from "../../../src/integrations/sendgrid/sendgrid";
import { azureBlobService } from "../../../src/lib/object_stores/azure_blob";
import { AZURITE_ACCOUNT, AZURITE_KEY, sharedAzurite } from "../../fakes/azurite";
import { DownloadServer, startDownloadServer } from "../../fakes/download_server";
import { FakeGcs } from "../../fakes/gcs_api";
import { S3_KEY_ID, S3_SECRET, S3Server, sharedS3Server } from "../../fakes/s3_server";
import { FakeSendgrid } from "../../fakes/sendgrid_api";
import { SmtpTestServer, testCertificate } from "../../fakes/smtp_server";
import { buildTestApp, testConfig } from "../../helpers/app";
import { execute } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";
import { csvBytes, lookerRequest } from "../../helpers/storage";
import { emailHub, EmailHub } from "./email_setup";

const MiB = 1024 * 1024;

async function sha256(stream: AsyncIterable<any>): Promise<{ hash: string; bytes: number }> {
  const hash = crypto.createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) { hash.update(chunk); bytes += chunk.length; }
  return { hash: hash.digest("hex"), bytes };
}

/** Fetches a link as a mail reader's browser would, hashing the body as it arrives. */
async function fetched(url: string): Promise<{ status: number; hash: string; bytes: number; disposition: string }> {
  const res = await fetch(url);
  const body = res.body ? await sha256(Readable.fromWeb(res.body as any)) : { hash: "", bytes: 0 };
  return { status: res.status, disposition: res.headers.get("content-disposition") ?? "", ...body };
}

/** The one link of an email's text that is not Looker's own. */
function downloadLink(text: string): string {
  const links = text.match(/https?:\/\/\S+/g) ?? [];
  const link = links.find((l) => l.startsWith("http://127.0.0.1"));
  expect(link, text).to.be.a("string");
  return link!;
}

describe("email link store (EMAIL_LINK_STORE): results too big to attach go out as a link", function() {
  this.timeout(180_000);
  let s3: S3Server;
  let smtp: SmtpTestServer;
  let download: DownloadServer;
  let size = 0;
  let dir: string;
  const hubs: EmailHub[] = [];

  before(async () => {
    s3 = await sharedS3Server();
    await s3.createBucket("hub-links");
    smtp = await new SmtpTestServer().start();
    // Each request to /csv/<bytes> streams that many bytes of CSV, as Looker's download URL would.
    download = await startDownloadServer((req, res) => {
      const bytes = Number((req.url ?? "").split("/").pop());
      res.writeHead(200, { "content-type": "text/csv" });
      csvBytes(bytes).pipe(res);
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-link-store-"));
  });
  after(async () => {
    await smtp.stop();
    await download.close();
    for (const hub of hubs) { hub.close(); }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => { smtp.received.length = 0; });

  const admin = () => ({ smtp_url: smtp.url(), from: "Looker Reports <reports@example.com>",
    smtp_ca_certificate: testCertificate().cert });
  const urlDelivery = (data: Record<string, string>, form: Record<string, string>, bytes: number) => {
    size = bytes;
    const body = lookerRequest("query_url", data, { format: "csv", ...form });
    (body.scheduled_plan as any).download_url = `${download.url}/csv/${bytes}`;
    return body;
  };
  /** The email app with the link store built from `env`, as the hub builds it. */
  const smtpHub = (env: Record<string, string>) => {
    const hub = emailHub(env, emailLinkStore(testConfig(env), testHttpClient(env)));
    hubs.push(hub);
    return hub;
  };
  const s3Env = { EMAIL_LINK_STORE: "s3://hub-links/looker/mail", AWS_ACCESS_KEY_ID: S3_KEY_ID,
    AWS_SECRET_ACCESS_KEY: S3_SECRET, AWS_REGION: "us-east-1" };

  it("SMTP and S3: a 100 MB result arrives as a presigned link whose bytes equal what Looker sent", async () => {
    const env = { ...s3Env, AWS_S3_ENDPOINT: s3.url };
    const hub = smtpHub(env);
    const answer = await execute(hub.app, "email",
      urlDelivery(admin(), { to: "ada@example.com", filename: "all orders" }, 100 * MiB));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(answer.looker.message).to.equal("Emailed a download link to \"all orders.csv\" (100 MB, too big to " +
      "attach) to ada@example.com.");
    expect(smtp.received).to.have.length(1);
    const mail = smtp.received[0].parsed;
    expect(mail.attachments).to.have.length(0);
    expect(mail.text).to.match(
      /all orders\.csv \(100 MB\) is too big to attach\. Download it from the link below; it works until /);
    const link = downloadLink(mail.text ?? "");
    expect(mail.html).to.contain(link.replace(/&/g, "&amp;"));
    const url = new URL(link);
    expect(url.pathname).to.match(/^\/hub-links\/looker\/mail\/[0-9a-f]{24}\/all%20orders\.csv$/);
    expect(url.searchParams.get("X-Amz-Expires")).to.equal(String(72 * 3600));
    expect(url.searchParams.get("X-Amz-Credential")).to.match(/^S3RVER\//);
    const got = await fetched(link);
    expect(got.status).to.equal(200);
    expect(got.disposition).to.equal("attachment; filename=\"all orders.csv\"");
    expect({ hash: got.hash, bytes: got.bytes }).to.deep.equal(await sha256(csvBytes(size)));
    expect(hub.leftovers(), "spool files left behind").to.deep.equal([]);
  });

  it("SMTP and S3: a store that refuses says so, names EMAIL_LINK_STORE, and sends nothing", async () => {
    const hub = smtpHub({ ...s3Env, EMAIL_LINK_STORE: "s3://no-such-bucket", AWS_S3_ENDPOINT: s3.url,
      EMAIL_MAX_ATTACHMENT_BYTES: "1MB" });
    const answer = await execute(hub.app, "email", urlDelivery(admin(), { to: "ada@example.com" }, 2 * MiB));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(new RegExp("^The result is too big to attach, and the link store " +
      "\\(EMAIL_LINK_STORE, s3://no-such-bucket\\) did not take it: The bucket named in \"EMAIL_LINK_STORE\" does " +
      "not exist in Amazon S3\\. .* Nothing was sent;"));
    expect(smtp.received).to.have.length(0);
    expect(hub.leftovers()).to.deep.equal([]);
  });

  it("SMTP and Cloud Storage: a V4 signed link, checked by the fake with the service account's key", async () => {
    const gcs = await new FakeGcs().start();
    try {
      const keyFile = path.join(dir, "key.json");
      fs.writeFileSync(keyFile, JSON.stringify({ type: "service_account", client_email: gcs.clientEmail,
        private_key: gcs.privateKeyPem, project_id: gcs.projectId }));
      const hub = smtpHub({ EMAIL_LINK_STORE: "gs://alpha/mail/", GOOGLE_APPLICATION_CREDENTIALS: keyFile,
        GCS_API_URL: gcs.url, GOOGLE_OAUTH_TOKEN_URL: gcs.tokenUrl, EMAIL_MAX_ATTACHMENT_BYTES: "1MB",
        EMAIL_LINK_TTL_HOURS: "24" });
      const answer = await execute(hub.app, "email",
        urlDelivery(admin(), { to: "ada@example.com", filename: "orders" }, 3 * MiB));
      expect(answer.looker.success, answer.looker.message).to.equal(true);
      const link = downloadLink(smtp.received[0].parsed.text ?? "");
      expect(new URL(link).searchParams.get("X-Goog-Expires")).to.equal(String(24 * 3600));
      const got = await fetched(link);
      expect(got.status).to.equal(200);
      expect({ hash: got.hash, bytes: got.bytes }).to.deep.equal(await sha256(csvBytes(size)));
      expect(gcs.signedGets).to.have.length(1);
      expect(gcs.signedGets[0]).to.match(/^alpha\/mail\/[0-9a-f]{24}\/orders\.csv$/);
      // A link changed by one character is refused.
      expect((await fetched(link.replace(/X-Goog-Expires=\d+/, "X-Goog-Expires=604800"))).status).to.equal(403);
    } finally {
      await gcs.stop();
    }
  });

  it("SendGrid and Azure: the mail/send body carries a SAS link and no attachment", async () => {
    const azurite = await sharedAzurite();
    const service = azureBlobService({ account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY,
      blobUrlTemplate: azurite.blobUrlTemplate });
    await service.getContainerClient("hub-links").createIfNotExists();
    const sendgrid = await new FakeSendgrid().start();
    try {
      const env = { EMAIL_LINK_STORE: `azblob://${AZURITE_ACCOUNT}/hub-links/mail`, AZURE_STORAGE_KEY: AZURITE_KEY,
        AZURE_STORAGE_BLOB_URL: azurite.blobUrlTemplate, SENDGRID_API_URL: sendgrid.url,
        EMAIL_MAX_ATTACHMENT_BYTES: "1MB" };
      const config = testConfig(env);
      const http = testHttpClient(env);
      const spoolDir = fs.mkdtempSync(path.join(dir, "spool-"));
      const integration = new SendgridIntegration({ settings: config.email, http, spoolDir,
        linkStore: emailLinkStore(config, http) });
      const app = buildTestApp([integration], env).app;
      const answer = await execute(app, "sendgrid", urlDelivery({ sendgrid_api_key: sendgrid.apiKey },
        { to: "ada@example.com", from: "reports@example.com", filename: "big" }, 5 * MiB));
      expect(answer.looker.success, answer.looker.message).to.equal(true);
      expect(answer.looker.message).to.equal("Emailed a download link to \"big.csv\" (5.0 MB, too big to attach) " +
        "to ada@example.com through SendGrid.");
      expect(sendgrid.sent).to.have.length(1);
      const sent = sendgrid.sent[0];
      expect(sent.attachments).to.have.length(0);
      const text = sent.body.content.find((c: any) => c.type === "text/plain").value;
      const link = downloadLink(text);
      expect(new URL(link).pathname)
        .to.match(new RegExp(`^/${AZURITE_ACCOUNT}/hub-links/mail/[0-9a-f]{24}/big\\.csv$`));
      expect(new URL(link).searchParams.get("sp")).to.equal("r");
      const got = await fetched(link);
      expect(got.status).to.equal(200);
      expect({ hash: got.hash, bytes: got.bytes }).to.deep.equal(await sha256(csvBytes(size)));
      expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
    } finally {
      await sendgrid.stop();
    }
  });
});

describe("EMAIL_LINK_STORE and EMAIL_LINK_TTL_HOURS settings", () => {
  const aws = { AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "secret" };

  it("reads the three kinds of store with their providers' standard credentials", () => {
    expect(linkStoreSettings({})).to.equal(undefined);
    expect(linkStoreSettings({ EMAIL_LINK_STORE: "s3://bucket/a/b/", ...aws, AWS_DEFAULT_REGION: "eu-west-1",
      AWS_SESSION_TOKEN: "tok" })).to.deep.include({ kind: "s3", bucket: "bucket", prefix: "a/b", region: "eu-west-1",
      accessKeyId: "AKIA", secretAccessKey: "secret", sessionToken: "tok" });
    expect(linkStoreSettings({ EMAIL_LINK_STORE: "azblob://acct/box",
      AZURE_STORAGE_CONNECTION_STRING: "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5==;" }))
      .to.deep.include({ kind: "azblob", account: "acct", container: "box", prefix: "", accessKey: "a2V5==" });
    expect(linkTtlHours({})).to.equal(72);
    expect(linkTtlHours({ EMAIL_LINK_TTL_HOURS: "168" })).to.equal(168);
  });

  it("refuses what cannot work, in one line naming what to set", () => {
    expect(() => linkStoreSettings({ EMAIL_LINK_STORE: "https://bucket.s3.amazonaws.com" }))
      .to.throw(/must look like s3:\/\/bucket\/prefix, gs:\/\/bucket\/prefix or azblob:/);
    expect(() => linkStoreSettings({ EMAIL_LINK_STORE: "s3://bucket" })).to.throw(/AWS_ACCESS_KEY_ID is not set/);
    expect(() => linkStoreSettings({ EMAIL_LINK_STORE: "gs://bucket" }))
      .to.throw(/GOOGLE_APPLICATION_CREDENTIALS is not set/);
    expect(() => linkStoreSettings({ EMAIL_LINK_STORE: "azblob://acct" })).to.throw(/names no container/);
    expect(() => linkStoreSettings({ EMAIL_LINK_STORE: "azblob://acct/box" }))
      .to.throw(/AZURE_STORAGE_KEY or AZURE_STORAGE_CONNECTION_STRING is not set/);
    expect(() => linkTtlHours({ EMAIL_LINK_TTL_HOURS: "200" })).to.throw(/at most 168/);
  });
});
