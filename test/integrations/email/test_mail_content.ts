// The email body: what the report is, the file line (attached or linked), the first rows, and
// escaping of everything Looker or a user typed.
import { expect } from "chai";
import { Readable } from "stream";
import { ActionRequest } from "../../../src/hub/action_request";
import { mailContent } from "../../../src/families/mail/mail_content";
import { mailSendBody } from "../../../src/integrations/sendgrid/sendgrid_body";
import { SpooledBody } from "../../../src/lib/spool";
import { createLogger } from "../../../src/lib/logger";
import { readAll } from "../../helpers/deliveries";

function request(plan: Record<string, any>, type: "query" | "dashboard" | "cell" = "query"): ActionRequest {
  const r = new ActionRequest({ requestId: "r1", lookerVersion: null, logger: createLogger({ level: "error", format: "json" }) });
  r.type = type;
  r.scheduledPlan = plan;
  return r;
}

describe("email body", () => {
  const now = new Date("2026-03-01T08:15:00Z");

  it("says what the report is: title, type, when it ran in the query's timezone, link", () => {
    const r = request({ title: "Weekly <revenue>", type: "Look", url: "https://looker.example.com/looks/4",
      query: { query_timezone: "America/New_York" } });
    const c = mailContent(r, { file: { kind: "none" }, now });
    expect(c.text).to.contain("Weekly <revenue>\n");
    expect(c.text).to.contain("Type: Look\nRun at: 1 Mar 2026, 03:15 (America/New_York)");
    expect(c.text).to.contain("View in Looker: https://looker.example.com/looks/4");
    expect(c.html).to.contain("<h2 style=\"font-size:18px\">Weekly &lt;revenue&gt;</h2>");
  });

  it("links only to web URLs", () => {
    const c = mailContent(request({ title: "T", url: "javascript:alert(1)" }), { file: { kind: "none" }, now });
    expect(c.text).to.not.contain("View in Looker");
    expect(c.html).to.not.contain("javascript:");
  });

  it("escapes cells and the message, keeping the message's lines", () => {
    const preview = { columns: ["<b>Name</b>"], rows: [["O'Brien & <Sons>"]], more: true };
    const c = mailContent(request({ title: "T" }),
      { message: "line 1\r\nline <2>", preview, file: { kind: "none" }, now });
    expect(c.html).to.contain(">&lt;b&gt;Name&lt;/b&gt;</th>");
    expect(c.html).to.contain(">O&#39;Brien &amp; &lt;Sons&gt;</td>");
    expect(c.html).to.contain("line 1<br>line &lt;2&gt;");
    expect(c.text).to.contain("line 1\nline <2>");
    expect(c.text).to.contain("(first 1 rows shown)");
  });

  it("gives a linked file's name, size, link and expiry", () => {
    const c = mailContent(request({ title: "T" }), { now, file: {
      kind: "linked", name: "big.csv", contentType: "text/csv", size: 150 * 1024 * 1024,
      url: "https://bucket.example.com/big.csv?sig=1&x=2", expiresAt: new Date("2026-03-04T08:15:00Z"),
    } });
    expect(c.text).to.contain("big.csv (150 MB) is too big to attach. Download it from the link below; it works " +
      "until 4 Mar 2026, 08:15 (UTC).\nhttps://bucket.example.com/big.csv?sig=1&x=2");
    expect(c.html).to.contain("<a href=\"https://bucket.example.com/big.csv?sig=1&amp;x=2\">Download big.csv</a>");
  });
});

describe("SendGrid body", () => {
  it("is valid JSON with the attachment base64-encoded, and its size is exact", async () => {
    const bytes = Buffer.from(Array.from({ length: 100_001 }, (_, i) => i % 256));
    const file = { size: bytes.length, open: () => Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]) };
    const body = mailSendBody({ subject: "S\"q", from: { email: "a@example.com" } },
      { file: file as unknown as SpooledBody, filename: "x \"1\".bin", type: "application/octet-stream" });
    const sent = await readAll(body.open());
    expect(sent.length).to.equal(body.size);
    const parsed = JSON.parse(sent.toString("utf8"));
    expect(parsed.subject).to.equal("S\"q");
    expect(parsed.attachments[0]).to.deep.include({ filename: "x \"1\".bin", disposition: "attachment" });
    expect(Buffer.from(parsed.attachments[0].content, "base64").equals(bytes)).to.equal(true);
    const again = await readAll(body.open());
    expect(again.equals(sent)).to.equal(true);
  });
});
