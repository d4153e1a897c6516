// The SDK-based clients say a network or TLS fault as the shared HTTP client does (one table,
// src/lib/network_errors.ts): the AWS SDK (S3), Azure's SDK, ssh2 (SFTP), nodemailer (SMTP) and
// Slack's SDK, each against real faults on loopback: a self-signed certificate, an https address
// answered by a plain-http server (and its SMTP and SSH counterparts), a refused connection.
import { expect } from "chai";
import * as http from "http";
import * as net from "net";
import { PassThrough, Readable } from "stream";
import { RetryableError, UserError } from "../../src/lib/errors";
import { createLogger } from "../../src/lib/logger";
import { azureBlobService, listAzureContainers } from "../../src/lib/object_stores/azure_blob";
import { listS3Buckets, s3Client, uploadS3Stream } from "../../src/lib/object_stores/s3";
import { SlackApi } from "../../src/integrations/slack/slack_api";
import { explainSlackError } from "../../src/integrations/slack/slack_errors";
import { sftpUpload } from "../../src/integrations/sftp/sftp_upload";
import { AZURITE_KEY } from "../fakes/azurite";
import { closedPort } from "../fakes/closed_port";
import { explainSmtpError } from "../../src/families/mail/smtp_errors";
import { SmtpTestServer } from "../fakes/smtp_server";
import { startPlainServerForHttps, startTlsServer, TlsServer } from "../fakes/tls_servers";
import { failureOf } from "../helpers/failure";
import { execute } from "../helpers/execute";
import { csvPayload, EmailHub, emailHub } from "../integrations/email/email_setup";

const SELF_SIGNED = /could not be reached safely: its certificate is self-signed.*trust your own authority/;
const PLAIN_FOR_HTTPS = /could not be reached safely: it does not speak https on that port/;

describe("network and TLS faults through the SDK-based clients", function () {
  this.timeout(30_000);
  const servers: TlsServer[] = [];
  let selfSigned: TlsServer;
  let plain: TlsServer;
  before(async () => {
    selfSigned = await startTlsServer("self_signed");
    plain = await startPlainServerForHttps();
    servers.push(selfSigned, plain);
  });
  after(async () => { for (const s of servers) { await s.close(); } });

  describe("S3 (AWS SDK)", () => {
    const client = (endpoint: string) => s3Client({ accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret",
      region: "us-east-1", endpoint, maxAttempts: 1, who: "Amazon S3" });

    it("a self-signed endpoint, listing and uploading: a user error naming the cause and the fix", async () => {
      const listing = await failureOf(listS3Buckets(client(selfSigned.url)));
      expect(listing).to.be.instanceOf(UserError).and.not.instanceOf(RetryableError);
      expect(listing.message).to.match(new RegExp(`^Amazon S3 ${SELF_SIGNED.source}`));
      const upload = await failureOf(uploadS3Stream(client(selfSigned.url),
        { bucket: "b", key: "k", body: Readable.from([Buffer.from("a,b\n")]) }));
      expect(upload.message).to.match(SELF_SIGNED);
      expect(selfSigned.requests()).to.equal(0);
    });

    it("an https endpoint answered by plain http, and a refused one", async () => {
      expect((await failureOf(listS3Buckets(client(plain.url)))).message).to.match(PLAIN_FOR_HTTPS);
      const refused = await failureOf(listS3Buckets(client(`http://127.0.0.1:${await closedPort()}`)));
      expect(refused).to.be.instanceOf(RetryableError);
      expect(refused.message).to.match(/^Amazon S3 could not be reached: the connection was refused\..*Check the address/);
    });
  });

  it("Azure (its SDK): a self-signed blob endpoint", async () => {
    const azure = azureBlobService({ account: "teststorage", accessKey: AZURITE_KEY, maxTries: 1,
      blobUrlTemplate: `${selfSigned.url}/{account}`, tryTimeoutMs: 5000 });
    const err = await failureOf(listAzureContainers(azure));
    expect(err.message).to.match(new RegExp(`^Azure Storage ${SELF_SIGNED.source}`));
  });

  it("Slack (its SDK): a self-signed SLACK_API_URL is the admin's to fix, not a wait", async () => {
    const api = new SlackApi("xoxb-test", { apiUrl: `${selfSigned.url}/api/`, retries: 0 },
      createLogger({ level: "error", format: "json", stream: new PassThrough().resume() }));
    const err = explainSlackError(await failureOf(api.call("chat.postMessage",
      (c) => c.chat.postMessage({ channel: "C1", text: "x" })))) as Error;
    expect(err).to.be.instanceOf(UserError).and.not.instanceOf(RetryableError);
    expect(err.message).to.match(/could not reach Slack's API \(chat\.postMessage: its certificate is self-signed/);
    expect(err.message).to.match(/trust your own authority.*SLACK_API_URL/);
  });

  describe("SFTP (ssh2)", () => {
    const target = (port: number) => ({ address: "127.0.0.1", port, directory: "/tmp/", fileName: "x.csv",
      username: "u", password: "p", timeoutMs: 3000 });
    const body = () => Readable.from([Buffer.from("a\n")]);

    it("a refused connection: the shared words, retryable", async () => {
      const err = await failureOf(sftpUpload(target(await closedPort()), body()));
      expect(err).to.be.instanceOf(RetryableError);
      expect(err.message).to.equal("The SFTP server in \"Address\" could not be reached: the connection was " +
        "refused. It may be down or busy; try again later. Check the address and port, and that the server is running.");
    });

    it("an http server on the port: said to be no SSH server there", async () => {
      const web = http.createServer((_req, res) => res.end("hello"));
      await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
      try {
        const err = await failureOf(sftpUpload(target((web.address() as net.AddressInfo).port), body()));
        expect(err.message).to.match(/closed the connection before the SSH handshake: it may not speak SSH on that port/);
      } finally {
        web.closeAllConnections();
        await new Promise((resolve) => web.close(resolve));
      }
    });
  });

  describe("SMTP (nodemailer, the email integration)", () => {
    let hub: EmailHub;
    before(() => { hub = emailHub({ ALLOW_PRIVATE_URLS: "true" }); });
    after(() => hub.close());
    const send = async (url: string) => (await execute(hub.app, "email", csvPayload({ to: "ada@example.com" },
      { smtp_url: url, from: "reports@example.com" }))).looker;

    it("smtps:// to a self-signed server: the cause, and the CA setting to use", async () => {
      const answer = await send(`smtps://u:p@127.0.0.1:${new URL(selfSigned.url).port}`);
      expect(answer.success).to.equal(false);
      expect(answer.message).to.match(/TLS certificate could not be verified: its certificate is self-signed/);
      expect(answer.message).to.match(/SMTP CA Certificate setting/);
    });

    it("smtps:// to a plain SMTP port, and smtp:// to a TLS-only one: which scheme to use", async () => {
      const plainSmtp = await new SmtpTestServer({ authOptional: true }).start();
      const tlsOnly = await new SmtpTestServer({ secure: true, authOptional: true }).start();
      try {
        const wrongTls = await send(`smtps://u:p@${plainSmtp.address}`);
        expect(wrongTls.message).to.match(/does not speak TLS on that port.*for 587 or 25 use smtp:\/\//);
        // A TLS-only port never greets a plain client: a timeout (nodemailer's greeting or socket timer,
        // whichever fires first); the greeting's one says which scheme to use (explainSmtpError below).
        const noTls = await send(`smtp://u:p@${tlsOnly.address}`);
        expect(noTls.success).to.equal(false);
        expect(noTls.message, noTls.message).to.match(/did not answer within 1 seconds/);
        const greeting = explainSmtpError(Object.assign(new Error("Greeting never received"),
          { code: "ETIMEDOUT", command: "CONN" }), { server: "smtp.example.com:465", timeoutSeconds: 60,
          totalSeconds: 900, secure: false });
        expect(greeting.message).to.match(/no greeting.*TLS-only one \(465\), the URL must start with smtps:\/\//);
      } finally {
        await plainSmtp.stop();
        await tlsOnly.stop();
      }
    });
  });
});
