// The `sendgrid` integration through the real app against a local fake of SendGrid's v3 API,
// which decodes the attachment and answers SendGrid's error shapes.
import { expect } from "chai";
import request from "supertest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SendgridIntegration, sendgridAttachmentLimit } from "../../src/integrations/sendgrid/sendgrid";
import { FakeSendgrid, sendgridErrors } from "../fakes/sendgrid_api";
import { authHeader, buildTestApp, testConfig } from "../helpers/app";
import { execute, form, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

const CSV = "Orders Created Date,Orders Total\n2024-03-01,1204.50\n2024-03-02,980.00\n";
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
  "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");

describe("sendgrid integration", () => {
  let fake: FakeSendgrid;
  let spoolDir: string;
  before(async () => { fake = await new FakeSendgrid().start(); });
  after(async () => { await fake.stop(); });
  beforeEach(() => {
    fake.sent.length = 0; fake.script.length = 0; fake.requests = 0;
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-sendgrid-test-"));
  });
  afterEach(() => {
    expect(fs.readdirSync(spoolDir), "spool files left behind").to.deep.equal([]);
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  const app = (env: Record<string, string> = {}) => {
    const config = testConfig({ SENDGRID_API_URL: fake.url, ...env });
    const integration = new SendgridIntegration({ settings: config.email, http: testHttpClient(env), spoolDir });
    return buildTestApp([integration]).app;
  };
  const payload = (formParams: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    type: "query", scheduled_plan: { ...PLAN, title: "Weekly revenue" },
    attachment: { mimetype: "text/csv", extension: "csv", data: CSV },
    data: { sendgrid_api_key: fake.apiKey },
    form_params: { to: "ada@example.com", from: "Reports <reports@example.com>", ...formParams },
    ...extra,
  });

  it("has the official hub's param and form fields", async () => {
    const f = await form(app(), "sendgrid");
    expect(f.fields.map((x: any) => [x.name, x.required])).to.deep.equal([
      ["to", true], ["from", false], ["filename", false], ["subject", false],
    ]);
  });

  it("posts v3 mail/send with the Bearer key, addresses, bodies and the decoded attachment's exact bytes", async () => {
    const answer = await execute(app(), "sendgrid", payload({ to: "ada@example.com, Grace <grace@example.org>",
      subject: "Revenue", filename: "revenue" }));
    expect(answer.looker).to.deep.include({ success: true,
      message: "Emailed \"revenue.csv\" (70 bytes) to ada@example.com, grace@example.org through SendGrid." });
    const mail = fake.sent[0];
    expect(mail.authorization).to.equal("Bearer SG.test-key");
    expect(mail.contentType).to.equal("application/json");
    expect(mail.contentLength).to.equal(mail.bytes);
    expect(mail.body.personalizations).to.deep.equal([{ to: [{ email: "ada@example.com" },
      { email: "grace@example.org", name: "Grace" }] }]);
    expect(mail.body.from).to.deep.equal({ email: "reports@example.com", name: "Reports" });
    expect(mail.body.subject).to.equal("Revenue");
    const [text, html] = mail.body.content;
    expect(text.type).to.equal("text/plain");
    expect(text.value).to.contain("2024-03-01 | 1204.50");
    expect(html.type).to.equal("text/html");
    expect(html.value).to.contain(">980.00</td>");
    expect(mail.attachments).to.have.length(1);
    expect(mail.attachments[0]).to.deep.include({ filename: "revenue.csv", type: "text/csv; charset=utf-8", disposition: "attachment" });
    expect(mail.attachments[0].content.equals(Buffer.from(CSV))).to.equal(true);
  });

  it("sends binary formats (a dashboard PNG) byte for byte, for every remainder of the base64 groups", async () => {
    for (const cut of [0, 1, 2]) {
      fake.sent.length = 0;
      const bytes = PNG.subarray(0, PNG.length - cut);
      const answer = await execute(app(), "sendgrid", payload({}, {
        type: "dashboard", scheduled_plan: { title: "Sales", type: "Dashboard" },
        attachment: { mimetype: "image/png;base64", extension: "png", data: bytes.toString("base64") },
      }));
      expect(answer.looker.success, answer.looker.message).to.equal(true);
      expect(fake.sent[0].attachments[0].filename).to.equal("Sales.png");
      expect(fake.sent[0].attachments[0].type).to.equal("image/png");
      expect(fake.sent[0].attachments[0].content.equals(bytes)).to.equal(true);
    }
  });

  it("sends an attachment just under the default 20 MB limit intact, with an exact Content-Length", async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 - 7, "a1,b2,c3\n");
    const answer = await execute(app(), "sendgrid", payload({}, {
      attachment: { mimetype: "text/csv", extension: "csv", data: big.toString("utf8") },
    }));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(fake.sent[0].attachments[0].content.equals(big)).to.equal(true);
    expect(fake.sent[0].contentLength).to.equal(fake.sent[0].bytes);
  });

  it("caps the attachment limit at what SendGrid's 30 MB message carries once base64-encoded", () => {
    expect(sendgridAttachmentLimit(20 * 1024 * 1024)).to.equal(20 * 1024 * 1024);
    const cap = sendgridAttachmentLimit(1024 ** 3);
    expect(Math.ceil(cap / 3) * 4).to.be.at.most(30 * 1024 * 1024 - 512 * 1024);
    expect(cap).to.be.greaterThan(22 * 1024 * 1024);
  });

  it("fails before sending a file over the limit when there is no link store", async () => {
    const answer = await execute(app({ EMAIL_MAX_ATTACHMENT_BYTES: "50" }), "sendgrid", payload({}));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message)
      .to.contain("The result is 70 bytes, more than the 50 bytes a SendGrid email can carry");
    expect(fake.requests).to.equal(0);
  });

  it("explains a 401 (bad API key)", async () => {
    const answer = await execute(app(), "sendgrid", { ...payload({}), data: { sendgrid_api_key: "SG.revoked" } });
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal("SendGrid refused the API key (\"The provided authorization grant is " +
      "invalid, expired, or revoked\"). Ask your Looker admin to check the SendGrid API Key of the SendGrid action: " +
      "it may be mistyped, revoked or deleted.");
  });

  it("explains a 403 for a sender that is not verified, pointing at the From field", async () => {
    const answer = await execute(app(), "sendgrid", payload({ from: "someone@example.net" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.contain("SendGrid refused the sender someone@example.net: it is not a verified " +
      "Sender Identity.");
    expect(answer.looker.validation_errors).to.have.property("from");
  });

  it("explains a 403 for a key without the Mail Send permission", async () => {
    fake.script.push({ status: 403, body: sendgridErrors("access forbidden") });
    const answer = await execute(app(), "sendgrid", payload({}));
    expect(answer.looker.message).to.contain("The API key needs the Mail Send permission");
  });

  it("explains a 413", async () => {
    fake.script.push({ status: 413, body: sendgridErrors("Payload Too Large") });
    const answer = await execute(app(), "sendgrid", payload({}));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.contain("SendGrid refused the email as too large");
  });

  it("retries a 429 and succeeds, resending the same body", async () => {
    fake.script.push({ status: 429, body: sendgridErrors("too many requests"),
      headers: { "X-RateLimit-Remaining": "0", "Retry-After": "0" } });
    const answer = await execute(app(), "sendgrid", payload({}));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(fake.requests).to.equal(2);
    expect(fake.sent[0].attachments[0].content.toString()).to.equal(CSV);
  });

  it("says a 429 that lasts is rate limiting, to try later", async () => {
    for (let i = 0; i < 3; i++) { fake.script.push({ status: 429, body: sendgridErrors("too many requests") }); }
    const answer = await execute(app(), "sendgrid", payload({}));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.contain("SendGrid is rate limiting this API key (HTTP 429)");
    expect(fake.requests).to.equal(3);
  });

  it("validates addresses and refuses header injection before calling SendGrid", async () => {
    const bad = await execute(app(), "sendgrid", payload({ to: "ada@example.com; not-an-address" }));
    expect(bad.looker.message).to.equal("\"not-an-address\" in To is not a valid email address (it should look " +
      "like name@example.com).");
    const injected = await execute(app(), "sendgrid", payload({ subject: "Hi\nBcc: eve@example.com" }));
    expect(injected.looker.message).to.contain("may not contain a line break");
    expect(fake.requests).to.equal(0);
  });

  describe("the official hub's test cases (src/actions/sendgrid/test_sendgrid.ts)", () => {
    const official = (formParams: Record<string, string>) => ({
      ...payload({}), form_params: formParams,
      scheduled_plan: { ...PLAN, title: "Hello attachment", url: "https://mycompany.looker.com/look/1" },
    });
    afterEach(() => { fake.verifiedSenders.delete("noreply@lookermail.com"); });

    // Official: "errors if there is no email address".
    it("refuses a delivery without a To address, nothing sent", async () => {
      const answer = await execute(app(), "sendgrid", official({}));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.validation_errors).to.have.property("to");
      expect(fake.requests).to.equal(0);
    });

    // Official: "sends right body to filename and address": the official sender when the form has
    // none, the title as the subject, a link to Looker, the data attached under the title's name.
    it("without From, sends as the official hub's sender; subject, link and attachment as there", async () => {
      fake.verifiedSenders.add("noreply@lookermail.com");
      const answer = await execute(app(), "sendgrid", official({ to: "test@example.com" }));
      expect(answer.looker.success).to.equal(true);
      const mail = fake.sent[0];
      expect(mail.body.from).to.deep.equal({ email: "noreply@lookermail.com", name: "Looker" });
      expect(mail.body.personalizations).to.deep.equal([{ to: [{ email: "test@example.com" }] }]);
      expect(mail.body.subject).to.equal("Hello attachment");
      for (const part of mail.body.content) { expect(part.value).to.contain("https://mycompany.looker.com/look/1"); }
      expect(mail.attachments[0].filename).to.equal("Hello attachment.csv");
      expect(mail.attachments[0].content.equals(Buffer.from(CSV))).to.equal(true);
    });

    it("without From, an account that has not verified that sender gets SendGrid's refusal, explained", async () => {
      const answer = await execute(app(), "sendgrid", official({ to: "test@example.com" }));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.contain("SendGrid refused the sender noreply@lookermail.com: it is not a " +
        "verified Sender Identity.");
      expect(answer.looker.validation_errors).to.have.property("from");
    });

    // Official: "sends to right filename if specified" and "sends from right email if specified" (the
    // typed name gets the format's extension here: see the README's differences).
    it("names the attachment after the typed filename", async () => {
      const answer = await execute(app(), "sendgrid", official({ to: "test@example.com",
        from: "reports@example.com", filename: "mywackyfilename" }));
      expect(answer.looker.success).to.equal(true);
      expect(fake.sent[0].body.from).to.deep.equal({ email: "reports@example.com" });
      expect(fake.sent[0].attachments[0].filename).to.equal("mywackyfilename.csv");
    });

    // Official: "sends with right subject if specified".
    it("uses the typed subject", async () => {
      await execute(app(), "sendgrid", official({ to: "test@example.com", from: "reports@example.com",
        filename: "mywackyfilename", subject: "mysubject" }));
      expect(fake.sent[0].body.subject).to.equal("mysubject");
    });

    // Official: "errors if the input has no attachment" (there a failure; here the people are told).
    it("without data, emails a note saying there were no results", async () => {
      const answer = await execute(app(), "sendgrid", { ...official({ to: "test@example.com",
        from: "reports@example.com" }), attachment: null });
      expect(answer.looker).to.deep.include({ success: true,
        message: "There were no results; emailed a note saying so to test@example.com through SendGrid." });
      expect(fake.sent[0].attachments ?? []).to.deep.equal([]);
    });
  });

  it("answers the admin page's connection test with the key's scopes", async () => {
    const ok = await execute(app(), "sendgrid", { type: "query", data: { sendgrid_api_key: fake.apiKey, test: true } });
    expect(ok.looker).to.deep.include({ success: true, message: "Connected to SendGrid; the API key may send email." });
    const bad = await execute(app(), "sendgrid", { type: "query", data: { sendgrid_api_key: "SG.nope", test: true } });
    expect(bad.looker.message).to.contain("SendGrid refused the API key");
  });

  // docs/dry_run.md: the key is tried as the connection test tries it (GET /v3/scopes), nothing sent.
  it("a dry run tries the API key with GET /v3/scopes and sends no mail; a refused key fails it", async () => {
    const dry = (data: Record<string, unknown>) => request(app()).post("/actions/sendgrid/execute")
      .set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true").send(payload({}, { data }))
      .then((res) => res.body.looker);
    const ok = await dry({ sendgrid_api_key: fake.apiKey });
    expect(ok.success, ok.message).to.equal(true);
    expect(ok.message).to.match(/^Dry run, nothing was sent to SendGrid: SendGrid took the API key and it may send mail \(GET \/v3\/scopes\); it would get Looker's csv data, 70 bytes, 2 rows\./);
    const bad = await dry({ sendgrid_api_key: "SG.nope" });
    expect(bad.success).to.equal(false);
    expect(bad.message).to.contain("SendGrid refused the API key");
    expect(fake.sent).to.have.length(0);
  });
});
