// The official hub's file names for buckets and containers (file_naming.ts): a typed name as
// typed, the default `<title>.<ext>` with sanitize-filename's rules, its url extensions, its
// Cloud Storage date tokens and its Overwrite: no stamp.
import { expect } from "chai";
import { withSuffix } from "../../../src/data/files/file_delivery";
import {
  expandUtcDateTokens, objectName, officialExtension, officialSanitize, officialSuggestedName,
} from "../../../src/data/files/file_naming";
import { ActionRequest } from "../../../src/hub/action_request";

function request(parts: { title?: string; extension?: string; format?: string; timezone?: string } = {}) {
  const r = new ActionRequest({ requestId: "r", lookerVersion: {} as any, logger: undefined as any });
  if (parts.title !== undefined || parts.timezone) {
    r.scheduledPlan = { title: parts.title, query: parts.timezone ? { query_timezone: parts.timezone } : undefined };
  }
  if (parts.extension) { r.attachment = { mimetype: "text/csv", extension: parts.extension }; }
  if (parts.format) { r.formParams = { format: parts.format }; }
  return r;
}

const NOW = new Date(Date.UTC(2026, 5, 17, 23, 30, 0));

describe("official file names (buckets and containers)", () => {
  it("keeps a typed name exactly as typed: no extension added, folders and odd characters kept", () => {
    const r = request({ title: "Weekly revenue", extension: "csv" });
    expect(objectName(r, "mywackyfilename", NOW)).to.equal("mywackyfilename");
    expect(objectName(r, "exports/daily/Report: Q1.csv", NOW)).to.equal("exports/daily/Report: Q1.csv");
    expect(objectName(r, " spaced ", NOW)).to.equal(" spaced ");
  });

  it("still expands {date} and {timestamp} in a typed name, in the schedule's timezone", () => {
    const r = request({ title: "t", extension: "csv", timezone: "America/New_York" });
    expect(objectName(r, "daily/{date}.csv", NOW)).to.equal("daily/2026-06-17.csv");
  });

  it("defaults to the title and the attachment's extension, sanitized as sanitize-filename does", () => {
    expect(objectName(request({ title: "Weekly revenue", extension: "csv" }), undefined, NOW))
      .to.equal("Weekly revenue.csv");
    expect(officialSuggestedName(request({ title: "Sales: Q1/Q2 \"EU\" <draft>?", extension: "pdf" }), NOW))
      .to.equal("Sales Q1Q2 EU draft.pdf");
    expect(officialSuggestedName(request({ title: "Weekly  revenue", extension: "csv" }), NOW))
      .to.equal("Weekly  revenue.csv");
    expect(officialSanitize("report. . ")).to.equal("report");
    expect(officialSanitize("..")).to.equal("");
    expect(officialSanitize("CON.csv")).to.equal("");
    expect(Buffer.byteLength(officialSanitize("é".repeat(200)))).to.equal(254);
  });

  it("without a title: looker_file_<epoch ms>, as the official hub", () => {
    expect(officialSuggestedName(request({ extension: "csv" }), NOW)).to.equal(`looker_file_${NOW.getTime()}.csv`);
    expect(officialSuggestedName(request({ title: "", format: "xlsx" }), NOW))
      .to.equal(`looker_file_${NOW.getTime()}.xlsx`);
    expect(officialSuggestedName(request({ title: "???" }), NOW)).to.equal(`looker_file_${NOW.getTime()}`);
  });

  it("a url delivery's extension is its format's, json for the JSON formats", () => {
    expect(officialExtension(request({ format: "csv" }))).to.equal("csv");
    for (const f of ["json", "json_label", "inline_json", "json_detail", "json_detail_lite_stream"]) {
      expect(officialExtension(request({ format: f }))).to.equal("json");
    }
    // What the official hub named these (its formatToFileExtension), so a moved schedule keeps its file.
    expect(officialExtension(request({ format: "csv_zip" }))).to.equal("csv_zip");
    expect(officialExtension(request({ extension: "pdf", format: "wysiwyg_pdf" }))).to.equal("pdf");
    expect(officialExtension(request())).to.equal(undefined);
  });

  // Official: src/actions/google/gcs/test_google_cloud_storage.ts, the date token and overwrite cases.
  it("expands the Cloud Storage date tokens in UTC, then the Overwrite: no stamp goes before the extension", () => {
    expect(expandUtcDateTokens("report_{YYYYMMDD}.csv", NOW)).to.equal("report_20260617.csv");
    expect(expandUtcDateTokens("daily/{YYYY}/{MM}/report_{DD}.csv", NOW)).to.equal("daily/2026/06/report_17.csv");
    expect(expandUtcDateTokens("plain_report.csv", NOW)).to.equal("plain_report.csv");
    expect(withSuffix("mywackyfilename", "1234")).to.equal("mywackyfilename_1234");
    expect(withSuffix("mywackyfilename.csv", "1234")).to.equal("mywackyfilename_1234.csv");
    expect(withSuffix("mywackyfilename.carl.csv", "1234")).to.equal("mywackyfilename.carl_1234.csv");
    expect(withSuffix("daily.v2/report", "1234")).to.equal("daily.v2/report_1234");
  });
});
