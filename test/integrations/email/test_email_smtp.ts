// The `email` integration against a real SMTP server (npm smtp-server) on 127.0.0.1: STARTTLS
// on a self-signed certificate trusted through the CA param, AUTH, messages parsed by mailparser.
import { expect } from "chai";
import request from "supertest";
import { authHeader } from "../../helpers/app";
import { execute, form } from "../../helpers/execute";
import { SmtpTestServer, testCertificate } from "../../fakes/smtp_server";
import { CSV, csvPayload, EmailHub, emailHub, LOOKER_HEADERS } from "./email_setup";

const PDF_BASE64 = "JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZy9QYWdlcyAyIDAgUj4+ZW5kb2JqCnRyYWlsZXI8PC9Sb290IDEgMCBSPj4KJSVFT0YK";

describe("email integration (SMTP)", () => {
  let smtp: SmtpTestServer;
  let hub: EmailHub;
  before(async () => { smtp = await new SmtpTestServer().start(); });
  after(async () => { await smtp.stop(); });
  beforeEach(() => { smtp.received.length = 0; smtp.refuse.clear(); hub = emailHub(); });
  afterEach(() => {
    expect(hub.leftovers(), "spool files left behind").to.deep.equal([]);
    hub.close();
  });

  const admin = (extra: Record<string, string> = {}) => ({
    smtp_url: smtp.url(), from: "Looker Reports <reports@example.com>", smtp_ca_certificate: testCertificate().cert,
    ...extra,
  });

  it("offers To, Cc, Subject, Filename and Message (no filename for a cell)", async () => {
    const f = await form(hub.app, "email", { type: "query" });
    expect(f.fields.map((x: any) => [x.name, x.type, x.required])).to.deep.equal([
      ["to", "string", true], ["cc", "string", false], ["subject", "string", false],
      ["filename", "string", false], ["message", "textarea", false],
    ]);
    const cell = await form(hub.app, "email", { type: "cell" });
    expect(cell.fields.map((x: any) => x.name)).to.deep.equal(["to", "cc", "subject", "message"]);
  });

  it("sends a CSV over STARTTLS with AUTH: recipients, subject, HTML rows, text alternative, attachment", async () => {
    const answer = await execute(hub.app, "email", csvPayload({
      to: "ada@example.com, Grace Hopper <grace@example.org>", cc: "team@example.com",
      subject: "Revenue this week", filename: "revenue {date}", message: "Numbers are in.\nSee below.",
    }, admin()));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(answer.looker.message)
      .to.match(/^Emailed "revenue \d{4}-\d\d-\d\d\.csv" \(70 bytes\) to ada@example\.com, /);
    expect(smtp.received).to.have.length(1);
    const mail = smtp.received[0];
    expect(mail.user).to.equal("looker");
    expect(mail.from).to.equal("reports@example.com");
    expect(mail.to).to.deep.equal(["ada@example.com", "grace@example.org", "team@example.com"]);
    const parsed = mail.parsed;
    expect(parsed.subject).to.equal("Revenue this week");
    expect((parsed.from as any).value[0]).to.deep.include({ address: "reports@example.com", name: "Looker Reports" });
    expect((parsed.cc as any).value[0].address).to.equal("team@example.com");
    expect(parsed.text).to.contain("Numbers are in.\nSee below.");
    expect(parsed.text).to.contain("Orders Created Date | Orders Total\n2024-03-01 | 1204.50\n2024-03-02 | 980.00");
    expect(parsed.text).to.contain("View in Looker: https://looker.example.com/looks/4");
    expect(parsed.html).to.contain("<th style=\"border:1px solid #ddd;padding:4px 8px;text-align:left\">Orders Total</th>");
    expect(parsed.html).to.contain(">1204.50</td>");
    expect(parsed.html).to.contain("<a href=\"https://looker.example.com/looks/4\">View in Looker</a>");
    expect(parsed.attachments).to.have.length(1);
    const file = parsed.attachments[0];
    expect(file.filename).to.match(/^revenue \d{4}-\d\d-\d\d\.csv$/);
    expect(file.contentType).to.equal("text/csv");
    expect(file.content.equals(Buffer.from(CSV))).to.equal(true);
  });

  it("attaches a dashboard PDF with its exact bytes and the .pdf extension", async () => {
    const answer = await execute(hub.app, "email", {
      type: "dashboard",
      scheduled_plan: { title: "Sales overview", type: "Dashboard", url: "https://looker.example.com/dashboards/8" },
      attachment: { mimetype: "application/pdf;base64", extension: "pdf", data: PDF_BASE64 },
      data: admin(), form_params: { to: "ada@example.com" },
    });
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    const parsed = smtp.received[0].parsed;
    expect(parsed.subject).to.equal("Sales overview");
    expect(parsed.attachments[0].filename).to.equal("Sales overview.pdf");
    expect(parsed.attachments[0].contentType).to.equal("application/pdf");
    expect(parsed.attachments[0].content.equals(Buffer.from(PDF_BASE64, "base64"))).to.equal(true);
    expect(parsed.text).to.contain("Type: Dashboard");
  });

  it("names an attachment with any characters (RFC 2231) and keeps its bytes", async () => {
    const answer = await execute(hub.app, "email", csvPayload({ to: "ada@example.com",
      filename: "Umsätze März; \"Q1\" – 東京" }, admin()));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    const file = smtp.received[0].parsed.attachments[0];
    expect(file.filename).to.equal("Umsätze März; Q1 – 東京.csv");
    expect(file.content.equals(Buffer.from(CSV))).to.equal(true);
  });

  it("emails a cell's value without an attachment", async () => {
    const answer = await execute(hub.app, "email", {
      type: "cell", scheduled_plan: null, attachment: null,
      data: { ...admin(), value: "acme-corp-1042", rendered: "Acme Corp (1042)" },
      form_params: { to: "ada@example.com", message: "Please call them." },
    });
    expect(answer.looker).to.deep.include({ success: true, message: "Emailed the value to ada@example.com." });
    const parsed = smtp.received[0].parsed;
    expect(parsed.subject).to.equal("A value from Looker");
    expect(parsed.text).to.contain("Value: Acme Corp (1042) (acme-corp-1042)");
    expect(parsed.text).to.contain("Please call them.");
    expect(parsed.attachments).to.have.length(0);
  });

  it("says so when there are no results, without an empty file", async () => {
    const answer = await execute(hub.app, "email", {
      type: "query", scheduled_plan: { title: "Weekly revenue", type: "Look" }, attachment: null,
      data: admin(), form_params: { to: "ada@example.com" },
    });
    expect(answer.looker.message).to.equal("There were no results; emailed a note saying so to ada@example.com.");
    expect(smtp.received[0].parsed.text).to.contain("There were no results to send.");
    expect(smtp.received[0].parsed.attachments).to.have.length(0);
  });

  it("shows the filters that differ from the Look, and leaves hidden fields out of the rows", async () => {
    const detail = {
      fields: {
        dimensions: [{ name: "orders.id", label_short: "ID" }, { name: "orders.secret", label_short: "Secret" }],
        measures: [],
      },
      data: [{ "orders.id": { value: 1 }, "orders.secret": { value: "s1" } }],
    };
    await execute(hub.app, "email", {
      type: "query",
      scheduled_plan: { title: "Orders", type: "Look", filters_differ_from_look: true,
        query: { filters: { "orders.status": "complete" }, vis_config: { hidden_fields: ["orders.secret"] } } },
      attachment: { mimetype: "application/json", extension: "json", data: detail },
      data: admin(), form_params: { to: "ada@example.com" },
    });
    const parsed = smtp.received[0].parsed;
    expect(parsed.text).to.contain("Filters (changed from the Look): orders.status: complete");
    expect(parsed.text).to.contain("ID\n1\n");
    expect(parsed.html).to.not.contain("Secret");
    expect(parsed.attachments[0].filename).to.equal("Orders.json");
  });

  it("answers the admin page's connection test by logging in", async () => {
    const answer = await execute(hub.app, "email", { type: "query", data: { ...admin(), test: true } });
    expect(answer.looker).to.deep.include({ success: true, message: `Connected to the SMTP server ${smtp.address}.` });
  });

  it("refuses a bad address before connecting, naming it", async () => {
    const answer = await execute(hub.app, "email", csvPayload({ to: "ada@example.com, bob@@example" }, admin()));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal(
      "\"bob@@example\" in To is not a valid email address (it should look like name@example.com).");
    expect(answer.looker.validation_errors).to.have.property("to");
    expect(smtp.received).to.have.length(0);
  });

  for (const [field, value] of [["to", "ada@example.com\r\nBcc: eve@example.com"], ["cc", "a@example.com\nb"],
    ["subject", "Hi\r\nBcc: eve@example.com"], ["filename", "report\n.csv"]] as const) {
    it(`refuses a line break in ${field} (header injection) before sending`, async () => {
      const answer = await execute(hub.app, "email", csvPayload({ to: "ada@example.com", [field]: value }, admin()));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.contain("may not contain a line break");
      expect(answer.looker.validation_errors).to.have.property(field);
      expect(smtp.received).to.have.length(0);
    });
  }

  it("refuses a line break in the admin's From", async () => {
    const answer = await execute(hub.app, "email", csvPayload({ to: "ada@example.com" },
      admin({ from: "a@example.com\r\nBcc: eve@example.com" })));
    expect(answer.looker.message).to.contain("may not contain a line break");
    expect(smtp.received).to.have.length(0);
  });

  it("reports a refused recipient with the server's words, and a partial refusal as a failure", async () => {
    smtp.refuse.add("nobody@example.com");
    const all = await execute(hub.app, "email", csvPayload({ to: "nobody@example.com" }, admin()));
    expect(all.looker.success).to.equal(false);
    expect(all.looker.message).to.contain(`The SMTP server ${smtp.address} refused the recipient nobody@example.com`);
    expect(all.looker.message).to.contain("550 5.1.1 <nobody@example.com>: Recipient address rejected");
    expect(smtp.received).to.have.length(0);
    const some = await execute(hub.app, "email", csvPayload({ to: "ada@example.com, nobody@example.com" }, admin()));
    expect(some.looker.success).to.equal(false);
    expect(some.looker.message).to.equal(`The SMTP server ${smtp.address} refused nobody@example.com; the email ` +
      "went only to ada@example.com. Check the refused addresses.");
  });

  it("reports a refused login", async () => {
    const answer = await execute(hub.app, "email", csvPayload({ to: "ada@example.com" },
      admin({ smtp_url: smtp.url({ pass: "wrong" }) })));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.contain(`The SMTP server ${smtp.address} refused the login`);
    expect(answer.looker.message).to.contain("535 5.7.8 Authentication credentials invalid");
    expect(answer.looker.message).to.contain("check the user name and password in the SMTP URL");
  });

  it("refuses a certificate it cannot verify (no CA given)", async () => {
    const answer = await execute(hub.app, "email", csvPayload({ to: "ada@example.com" },
      admin({ smtp_ca_certificate: "" })));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.contain("TLS certificate could not be verified");
    expect(answer.looker.message).to.contain("SMTP CA Certificate");
    expect(smtp.received).to.have.length(0);
  });

  it("says when the setup is missing: no SMTP URL, no From", async () => {
    const noUrl = await execute(hub.app, "email", csvPayload({ to: "ada@example.com" }, admin({ smtp_url: "" })));
    expect(noUrl.looker.message).to.contain("Email is not set up: the SMTP URL is missing");
    const noFrom = await execute(hub.app, "email", csvPayload({ to: "ada@example.com" }, admin({ from: "" })));
    expect(noFrom.looker.message).to.contain("Email is not set up: the From address is missing");
    const badUrl = await execute(hub.app, "email", csvPayload({ to: "ada@example.com" },
      admin({ smtp_url: "https://smtp.example.com" })));
    expect(badUrl.looker.message).to.contain("The SMTP URL must start with smtps:// or smtp://.");
  });

  // docs/dry_run.md: the relay is tried as the connection test tries it (nodemailer's verify): it
  // connects, starts TLS and logs in, and quits before MAIL FROM, so no message can start.
  it("a dry run logs in to the relay (EHLO, STARTTLS, AUTH) and quits before MAIL FROM", async () => {
    const dry = (data: Record<string, unknown>, formParams: Record<string, string> = { to: "ada@example.com" }) =>
      request(hub.app).post("/actions/email/execute").set("Authorization", authHeader()).set(LOOKER_HEADERS)
        .set("X-Hub-Dry-Run", "true").send(csvPayload(formParams, data)).then((res) => res.body.looker);
    smtp.commands.length = 0;
    const ok = await dry(admin());
    expect(ok.success, ok.message).to.equal(true);
    expect(ok.message).to.match(new RegExp(`^Dry run, nothing was sent to Email \\(SMTP\\): the SMTP server ` +
      `${smtp.address.replace(/\./g, "\\.")} took the connection and the login \\(no MAIL FROM was sent\\); it ` +
      "would get Looker's csv data, 70 bytes, 2 rows\\."));
    expect(smtp.commands).to.deep.equal(["AUTH looker ok"]);
    const refused = await dry(admin({ smtp_url: smtp.url({ pass: "wrong" }) }));
    expect(refused.success).to.equal(false);
    expect(refused.message).to.match(/535/);
    expect(refused.message).to.not.include("wrong");
    const badTo = await dry(admin(), { to: "not an address" });
    expect(badTo.success).to.equal(false);
    expect(smtp.commands).to.deep.equal(["AUTH looker ok", "AUTH looker refused"]);
    expect(smtp.received).to.have.length(0);
  });
});
