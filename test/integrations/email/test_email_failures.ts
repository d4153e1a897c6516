// The `email` integration when the relay misbehaves or the setup forbids it: a server that never
// greets, one that drops or stalls mid-message, no STARTTLS, the private-address guard and its
// allowlist, the hub-wide SMTP settings, and the attachment size rule.
import { expect } from "chai";
import { execute } from "../../helpers/execute";
import { faultyProxy, silentServer, SmtpTestServer, testCertificate } from "../../fakes/smtp_server";
import { csvPayload, EmailHub, emailHub } from "./email_setup";

const BIG_CSV = "id,text\n" +
  Array.from({ length: 6000 }, (_, i) => `${i},row number ${i} of the test data\n`).join("");

describe("email integration: failures and settings", () => {
  let smtp: SmtpTestServer;
  const hubs: EmailHub[] = [];
  const stops: Array<() => Promise<void>> = [];
  before(async () => { smtp = await new SmtpTestServer().start(); });
  after(async () => { await smtp.stop(); });
  beforeEach(() => { smtp.received.length = 0; });
  afterEach(async () => {
    for (const stop of stops.splice(0)) { await stop(); }
    for (const hub of hubs.splice(0)) {
      expect(hub.leftovers(), "spool files left behind").to.deep.equal([]);
      hub.close();
    }
  });
  const hubWith = (env: Record<string, string> = {}) => { const h = emailHub(env); hubs.push(h); return h; };
  const admin = (url: string, extra: Record<string, string> = {}) => ({
    smtp_url: url, from: "reports@example.com", smtp_ca_certificate: testCertificate().cert, ...extra,
  });
  const proxied = (port: number) => `smtp://looker:s3cret%20pass@127.0.0.1:${port}`;
  const big = (data: Record<string, string>) => ({
    ...csvPayload({ to: "ada@example.com" }, data),
    attachment: { mimetype: "text/csv", extension: "csv", data: BIG_CSV },
  });

  it("gives up on a server that never greets, within SMTP_TIMEOUT_SECONDS", async () => {
    const silent = await silentServer();
    stops.push(silent.stop);
    const answer = await execute(hubWith().app, "email", big(admin(`smtp://127.0.0.1:${silent.port}`)));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal(`The SMTP server 127.0.0.1:${silent.port} did not answer within 1 ` +
      "seconds (no greeting). It may be down or busy; try again later, or ask your admin to check the SMTP URL and port. " +
      "If the port is a TLS-only one (465), the URL must start with smtps://.");
  });

  it("reports a server that stalls mid-message", async () => {
    const proxy = await faultyProxy(Number(smtp.address.split(":")[1]), 40_000, "stall");
    stops.push(proxy.stop);
    const answer = await execute(hubWith().app, "email", big(admin(proxied(proxy.port))));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.contain(`The SMTP server 127.0.0.1:${proxy.port} did not answer within 1 seconds (it went silent)`);
    expect(smtp.received).to.have.length(0);
  });

  it("reports a server that drops the connection mid-message, and that nothing was delivered", async () => {
    const proxy = await faultyProxy(Number(smtp.address.split(":")[1]), 40_000, "drop");
    stops.push(proxy.stop);
    const answer = await execute(hubWith().app, "email", big(admin(proxied(proxy.port))));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.contain(`The SMTP server 127.0.0.1:${proxy.port} closed the connection before ` +
      "the email was accepted");
    expect(answer.looker.message).to.contain("Nothing was delivered; try again later.");
    expect(smtp.received).to.have.length(0);
  });

  it("requires STARTTLS on smtp:// unless the URL says starttls=off", async () => {
    const plain = await new SmtpTestServer({ hideStartTls: true, authOptional: true }).start();
    stops.push(() => plain.stop());
    const port = plain.address.split(":")[1];
    const refused = await execute(hubWith().app, "email", csvPayload({ to: "ada@example.com" },
      admin(`smtp://127.0.0.1:${port}`)));
    expect(refused.looker.success).to.equal(false);
    expect(refused.looker.message).to.contain("could not start an encrypted connection");
    expect(plain.received).to.have.length(0);
    const allowed = await execute(hubWith().app, "email", csvPayload({ to: "ada@example.com" },
      admin(`smtp://127.0.0.1:${port}?starttls=off`)));
    expect(allowed.looker.success, allowed.looker.message).to.equal(true);
    expect(plain.received).to.have.length(1);
  });

  it("speaks smtps:// (TLS from the first byte)", async () => {
    const tls = await new SmtpTestServer({ secure: true }).start();
    stops.push(() => tls.stop());
    const answer = await execute(hubWith().app, "email", csvPayload({ to: "ada@example.com" }, admin(tls.url())));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(tls.received[0].user).to.equal("looker");
  });

  it("refuses an admin's relay on a private address unless PRIVATE_URL_ALLOWLIST allows it", async () => {
    const guarded = hubWith({ ALLOW_PRIVATE_URLS: "false" });
    const refused = await execute(guarded.app, "email", csvPayload({ to: "ada@example.com" }, admin(smtp.url())));
    expect(refused.looker.success).to.equal(false);
    expect(refused.looker.message).to.contain("The URL points at 127.0.0.1, a loopback address.");
    expect(refused.looker.message).to.contain("PRIVATE_URL_ALLOWLIST");
    expect(smtp.received).to.have.length(0);
    const allowed = hubWith({ ALLOW_PRIVATE_URLS: "false", PRIVATE_URL_ALLOWLIST: "127.0.0.0/8" });
    const answer = await execute(allowed.app, "email", csvPayload({ to: "ada@example.com" }, admin(smtp.url())));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
  });

  it("connects to the address the guard checked and verifies the certificate against the host name", async () => {
    // The test client resolves every name to 127.0.0.1; the certificate names smtp.example.test.
    const hub = hubWith({ ALLOW_PRIVATE_URLS: "false", PRIVATE_URL_ALLOWLIST: "127.0.0.1" });
    const ok = await execute(hub.app, "email", csvPayload({ to: "ada@example.com" },
      admin(smtp.url({ host: "smtp.example.test" }))));
    expect(ok.looker.success, ok.looker.message).to.equal(true);
    const wrongName = await execute(hub.app, "email", csvPayload({ to: "ada@example.com" },
      admin(smtp.url({ host: "other.example.test" }))));
    expect(wrongName.looker.success).to.equal(false);
    expect(wrongName.looker.message).to.contain("TLS certificate could not be verified");
  });

  it("falls back to the hub-wide SMTP_URL, EMAIL_FROM and SMTP_CA_CERTIFICATE (trusted: not guarded)", async () => {
    const hub = hubWith({
      ALLOW_PRIVATE_URLS: "false", SMTP_URL: smtp.url(), EMAIL_FROM: "Hub <hub@example.com>",
      SMTP_CA_CERTIFICATE: testCertificate().cert,
    });
    const answer = await execute(hub.app, "email", csvPayload({ to: "ada@example.com" }, {}));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(smtp.received[0].from).to.equal("hub@example.com");
  });

  it("fails before sending when the file is over EMAIL_MAX_ATTACHMENT_BYTES and there is no link store", async () => {
    const hub = hubWith({ EMAIL_MAX_ATTACHMENT_BYTES: "100K" });
    const answer = await execute(hub.app, "email", big(admin(smtp.url())));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal(`The result is ${(Buffer.byteLength(BIG_CSV) / 1024).toFixed(0)} KB, ` +
      "more than the 100 KB an email can carry as an attachment, so nothing was sent. Filter the report to fewer " +
      "rows (or pick a smaller format), or ask your Looker admin to configure a link store on the integration " +
      "service (EMAIL_LINK_STORE), which sends large results as a download link.");
    expect(smtp.received).to.have.length(0);
  });

  it("attaches a file of exactly the limit", async () => {
    const bytes = Buffer.byteLength(BIG_CSV);
    const hub = hubWith({ EMAIL_MAX_ATTACHMENT_BYTES: String(bytes) });
    const answer = await execute(hub.app, "email", big(admin(smtp.url())));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(smtp.received[0].parsed.attachments[0].content.toString()).to.equal(BIG_CSV);
  });
});
