// Units of the email family: address parsing, header safety, the SMTP URL, the guard for a relay
// host, the bounded spool behind the size rule, and the email settings.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { emailSettings } from "../../../src/config/email";
import { parseSmtpUrl } from "../../../src/families/mail/smtp_target";
import { headerSafe, isValidEmail, parseAddressList, parseSender } from "../../../src/families/mail/mail_addresses";
import { escapeHtml } from "../../../src/families/mail/mail_content";
import { tooBigMessage } from "../../../src/families/mail/mail_file";
import { UserError } from "../../../src/lib/errors";
import { spoolUpTo } from "../../../src/lib/spool";
import { UrlGuard } from "../../../src/lib/url_guard";

describe("email family units", () => {
  it("accepts ordinary addresses and refuses malformed ones", () => {
    for (const ok of ["ada@example.com", "a.b+tag@mail.example.co.uk", "x_y@xn--bcher-kva.example"]) {
      expect(isValidEmail(ok), ok).to.equal(true);
    }
    for (const bad of ["", "ada", "ada@", "@example.com", "ada@example", "a..b@example.com", "ada@-x.com",
      "ada@example.c0m", "\"quoted\"@example.com", "ada@exa mple.com", `${"a".repeat(65)}@example.com`]) {
      expect(isValidEmail(bad), bad).to.equal(false);
    }
  });

  it("parses lists with names, commas or semicolons, dropping repeats", () => {
    const list = "Ada <ada@example.com>; \"Grace H\" <grace@example.org>, ADA@example.com";
    expect(parseAddressList(list, "To", "to", true))
      .to.deep.equal([{ email: "ada@example.com", name: "Ada" }, { email: "grace@example.org", name: "Grace H" }]);
    expect(parseAddressList("  ", "Cc", "cc", false)).to.deep.equal([]);
    expect(() => parseAddressList("", "To", "to", true)).to.throw(UserError, "To needs at least one email address.");
    expect(() => parseSender("a@example.com, b@example.com", "From", "from")).to.throw(UserError,
      "From must be a single email address.");
  });

  it("refuses CR, LF and control characters in header values", () => {
    expect(headerSafe("Weekly revenue — Q3", "The subject", "subject")).to.equal("Weekly revenue — Q3");
    for (const bad of ["a\rb", "a\nb", "a\r\nBcc: x@example.com"]) {
      expect(() => headerSafe(bad, "The subject", "subject")).to.throw(UserError, "may not contain a line break");
    }
    expect(() => headerSafe("a\u0000b", "The subject", "subject")).to.throw(UserError, "control character");
    try {
      parseAddressList("a@example.com\nBcc: eve@example.com", "To", "to", true);
      expect.fail("accepted");
    } catch (err) {
      expect((err as UserError).validationErrors).to.have.property("to");
    }
  });

  it("escapes every HTML special character", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("reads SMTP URLs: TLS modes, default ports, encoded credentials", () => {
    expect(parseSmtpUrl("smtps://user%40corp:p%40ss%20word@smtp.example.com")).to.deep.equal({
      host: "smtp.example.com", port: 465, secure: true, requireTLS: false, ignoreTLS: false,
      user: "user@corp", pass: "p@ss word" });
    expect(parseSmtpUrl("smtp://smtp.example.com")).to.deep.include({ port: 587, secure: false, requireTLS: true });
    expect(parseSmtpUrl("smtp://relay:25?starttls=optional")).to.deep.include({ requireTLS: false, ignoreTLS: false });
    expect(parseSmtpUrl("smtp://relay:25?starttls=off")).to.deep.include({ requireTLS: false, ignoreTLS: true });
    expect(parseSmtpUrl("smtp://[2001:db8::1]:2525")).to.deep.include({ host: "2001:db8::1", port: 2525 });
    expect(() => parseSmtpUrl("smtp://relay?starttls=maybe")).to.throw(UserError, "starttls must be");
    expect(() => parseSmtpUrl("http://relay")).to.throw(UserError, "must start with smtps:// or smtp://");
    expect(() => parseSmtpUrl("not a url")).to.throw(UserError, "not valid");
  });

  it("guards a relay host: private addresses refused, the allowlist honoured, the address answered", async () => {
    const lookup = async (host: string) => host === "relay.corp.test" ? [{ address: "10.1.2.3", family: 4 }]
      : [{ address: "203.0.114.7", family: 4 }];
    const strict = new UrlGuard({ allowPrivate: false, allowHttp: false, allowlist: [] }, lookup);
    await strict.checkHost("10.0.0.5").then(() => expect.fail("accepted"), (err) =>
      expect(err.message).to.contain("The URL points at 10.0.0.5, a private network address."));
    await strict.checkHost("relay.corp.test").then(() => expect.fail("accepted"), (err) =>
      expect(err.message).to.contain("resolves to 10.1.2.3, a private network address"));
    await strict.checkHost("169.254.169.254").then(() => expect.fail("accepted"), (err) =>
      expect(err.message).to.contain("a cloud metadata address"));
    await strict.checkHost("localhost").then(() => expect.fail("accepted"), (err) =>
      expect(err.message).to.contain("local or metadata name"));
    expect(await strict.checkHost("smtp.example.com")).to.equal("203.0.114.7");
    const allowed = new UrlGuard({ allowPrivate: false, allowHttp: false, allowlist: ["10.1.0.0/16"] }, lookup);
    expect(await allowed.checkHost("relay.corp.test")).to.equal("10.1.2.3");
    const open = new UrlGuard({ allowPrivate: true, allowHttp: false, allowlist: [] }, lookup);
    expect(await open.checkHost("10.0.0.5")).to.equal(undefined);
  });

  describe("spoolUpTo", () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-spoolupto-")); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const chunks = (n: number, size: number) =>
      Readable.from(Array.from({ length: n }, (_, i) => Buffer.alloc(size, i)));

    it("keeps data that fits, byte for byte", async () => {
      const spooled = await spoolUpTo(chunks(10, 1000), { dir, keepBytes: 10_000 });
      expect(spooled.size).to.equal(10_000);
      expect(fs.readFileSync(spooled.body!.file)).to.have.length(10_000);
      await spooled.body!.dispose();
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    });

    it("counts data that does not fit without keeping it", async () => {
      const spooled = await spoolUpTo(chunks(10, 1000), { dir, keepBytes: 9_999 });
      expect(spooled).to.deep.equal({ size: 10_000 });
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    });

    it("removes the file when the source fails", async () => {
      const failing = Readable.from((async function* () {
        yield Buffer.alloc(10);
        throw new Error("source broke");
      })());
      await spoolUpTo(failing, { dir, keepBytes: 100 }).then(() => expect.fail("resolved"),
        (err) => expect(err.message).to.equal("source broke"));
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    });
  });

  it("words the too-big message with the size, the limit and both ways out", () => {
    expect(tooBigMessage(512 * 1024 * 1024, 20 * 1024 * 1024)).to.equal("The result is 512 MB, more than the 20 MB " +
      "an email can carry as an attachment, so nothing was sent. Filter the report to fewer rows (or pick a smaller " +
      "format), or ask your Looker admin to configure a link store on the integration service (EMAIL_LINK_STORE), " +
      "which sends large results as a download link.");
  });

  it("reads the email settings with their defaults and checks them", () => {
    expect(emailSettings({})).to.deep.equal({
      smtpUrl: undefined, from: undefined, smtpCaCertificate: undefined, smtpTimeoutMs: 60_000,
      smtpTotalTimeoutMs: 900_000,
      maxAttachmentBytes: 20 * 1024 * 1024, sendgridApiUrl: "https://api.sendgrid.com/",
      linkStore: undefined, linkTtlHours: 72,
    });
    const pem = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----";
    expect(emailSettings({ SMTP_CA_CERTIFICATE: pem }).smtpCaCertificate).to.contain("\nMIIB\n");
    expect(() => emailSettings({ SMTP_URL: "mail.example.com" }))
      .to.throw("SMTP_URL must be an smtp:// or smtps:// URL");
    expect(() => emailSettings({ SMTP_CA_CERTIFICATE: "/nonexistent.pem" })).to.throw("cannot be read");
    expect(() => emailSettings({ SMTP_TIMEOUT_SECONDS: "0" })).to.throw("SMTP_TIMEOUT_SECONDS");
    expect(emailSettings({ EMAIL_MAX_ATTACHMENT_BYTES: "5M" }).maxAttachmentBytes).to.equal(5 * 1024 * 1024);
  });
});
