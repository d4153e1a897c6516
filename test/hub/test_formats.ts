import { expect } from "chai";
import { Readable } from "stream";
import { StreamDelivery } from "../../src/data/delivery/read_once";
import { contentTypeFor, expandPlaceholders, fileNameFor } from "../../src/data/files/file_naming";
import { resolveDeliveryFormat } from "../../src/hub/format_resolution";
import { candidateFormats, chooseFormat } from "../../src/hub/formats";
import { ActionRequest } from "../../src/hub/action_request";
import { LookerVersion } from "../../src/hub/looker_version";
import { Logger } from "../../src/lib/logger";

function requestWith(attachment: { mimetype?: string; extension?: string } | undefined, data?: string,
                     formFormat?: string): ActionRequest {
  const request = new ActionRequest({
    requestId: "r", lookerVersion: {} as LookerVersion, logger: {} as Logger,
  });
  request.attachment = attachment;
  if (formFormat) { request.formParams = { format: formFormat }; }
  if (data !== undefined) {
    request.delivery = new StreamDelivery("push", request.format, attachment?.mimetype,
      () => Readable.from([Buffer.from(data.slice(0, 3)), Buffer.from(data.slice(3))]));
  }
  return request;
}

describe("formats: telling a delivery's format from what Looker sends", () => {
  it("takes the url delivery's form_params.format as it is", () => {
    expect(candidateFormats({ formFormat: "json_detail_lite_stream" })).to.deep.equal(["json_detail_lite_stream"]);
  });

  it("maps real extensions and MIME types to formats", () => {
    expect(candidateFormats({ extension: "csv", mimetype: "text/csv" })).to.deep.equal(["csv"]);
    expect(candidateFormats({ extension: "pdf", mimetype: "application/pdf;base64" }))
      .to.deep.equal(["wysiwyg_pdf", "assembled_pdf"]);
    expect(candidateFormats({ extension: "png" })).to.deep.equal(["wysiwyg_png"]);
    expect(candidateFormats({ extension: "zip" })).to.deep.equal(["csv_zip"]);
    expect(candidateFormats({ mimetype: "text/csv; charset=utf-8" })).to.deep.equal(["csv"]);
    expect(candidateFormats({ extension: "constructor" })).to.deep.equal([]);
    expect(candidateFormats({ extension: "__proto__", mimetype: "toString" })).to.deep.equal([]);
  });

  it("chooses the candidate the integration declares", () => {
    const json = candidateFormats({ extension: "json" });
    expect(chooseFormat(json.slice(0, 2), ["json_detail_lite_stream"])).to.equal("json_detail_lite_stream");
    expect(chooseFormat(["wysiwyg_pdf", "assembled_pdf"], ["assembled_pdf"])).to.equal("assembled_pdf");
    expect(chooseFormat(["csv"], [])).to.equal("csv");
  });

  it("tells json_detail from json rows by the content, without consuming it", async () => {
    const detail = '  {"fields":{},"data":[]}';
    const request = requestWith({ mimetype: "application/json", extension: "json" }, detail);
    await resolveDeliveryFormat(request, ["json_detail", "json"]);
    expect(request.format).to.equal("json_detail");
    expect(request.delivery!.format).to.equal("json_detail");
    const chunks: Buffer[] = [];
    for await (const c of await request.delivery!.stream()) { chunks.push(c as Buffer); }
    expect(Buffer.concat(chunks).toString()).to.equal(detail);

    const rows = requestWith({ mimetype: "application/json", extension: "json" }, '\n[{"a":1}]');
    await resolveDeliveryFormat(rows, ["json_detail", "json_label"]);
    expect(rows.format).to.equal("json_label");
  });

  it("gives json_detail_lite_stream to an integration that declares only it", async () => {
    const request = requestWith({ mimetype: "application/json", extension: "json" }, '{"data":[]}');
    await resolveDeliveryFormat(request, ["json_detail_lite_stream"]);
    expect(request.format).to.equal("json_detail_lite_stream");
    expect(request.fileExtension).to.equal("json");
  });
});

describe("file naming and content types", () => {
  it("builds safe file names with the right extension", () => {
    expect(fileNameFor("report", "Title", "csv")).to.equal("report.csv");
    expect(fileNameFor("report.csv", "Title", "csv")).to.equal("report.csv");
    expect(fileNameFor("report.txt", "Title", "csv")).to.equal("report.txt.csv");
    expect(fileNameFor("  ", "Weekly / revenue", "pdf")).to.equal("Weekly revenue.pdf");
    expect(fileNameFor("../../etc/passwd", "T", "csv")).to.equal(".. .. etc passwd.csv");
    expect(fileNameFor(undefined, "", undefined)).to.equal("Looker data");
    expect(fileNameFor("a:b*c", "T", "csv", { forbidden: /[:*]/, replacement: "_" })).to.equal("a_b_c.csv");
    expect(fileNameFor("x".repeat(300), "T", "csv").length).to.equal(200);
  });

  it("expands {date} and {timestamp} in the schedule's timezone", () => {
    const now = new Date("2024-05-31T23:30:05Z");
    expect(expandPlaceholders("sales {date}", now)).to.equal("sales 2024-05-31");
    expect(expandPlaceholders("sales {date}", now, "Europe/Berlin")).to.equal("sales 2024-06-01");
    expect(expandPlaceholders("{timestamp}", now, "America/New_York")).to.equal("2024-05-31T193005");
  });

  it("gives each format its content type, and never passes header material through", () => {
    expect(contentTypeFor("csv", "text/csv")).to.equal("text/csv; charset=utf-8");
    expect(contentTypeFor("wysiwyg_pdf", "application/pdf;base64")).to.equal("application/pdf");
    expect(contentTypeFor(undefined, "application/x-thing;base64")).to.equal("application/x-thing");
    expect(contentTypeFor(undefined, "text/csv\r\nX-Evil: 1")).to.equal("application/octet-stream");
    expect(contentTypeFor("constructor", undefined)).to.equal("application/octet-stream");
  });
});
