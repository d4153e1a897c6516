import { expect } from "chai";
import { ConfigError } from "../../../src/config";
import { tableMessage, tableText } from "../../../src/integrations/slack/slack_table";
import { extensionFor, fileNameFor } from "../../../src/integrations/slack/slack_upload";
import { testConfig } from "../../helpers/app";

describe("slack: configuration and pieces", () => {
  it("reads SLACK_API_URL, defaulting to Slack's public API", () => {
    expect(testConfig().slack.apiUrl).to.equal("https://slack.com/api/");
    expect(testConfig({ SLACK_API_URL: "https://slack-proxy.example.com/api" }).slack.apiUrl)
      .to.equal("https://slack-proxy.example.com/api/");
    expect(() => testConfig({ SLACK_API_URL: "ftp://example.com" })).to.throw(ConfigError, /SLACK_API_URL/);
    expect(() => testConfig({ SLACK_API_URL: "not a url" })).to.throw(ConfigError, /SLACK_API_URL/);
  });

  it("maps Looker formats to file extensions", () => {
    expect(extensionFor("wysiwyg_pdf")).to.equal("pdf");
    expect(extensionFor("csv_zip")).to.equal("zip");
    expect(extensionFor("json_detail", "json_detail")).to.equal("json");
    expect(extensionFor("xlsx", "xlsx")).to.equal("xlsx");
    expect(extensionFor(undefined)).to.equal(undefined);
  });

  it("builds safe file names with the right extension", () => {
    expect(fileNameFor("report", "Title", "csv")).to.equal("report.csv");
    expect(fileNameFor("report.csv", "Title", "csv")).to.equal("report.csv");
    expect(fileNameFor("report.txt", "Title", "csv")).to.equal("report.txt.csv");
    expect(fileNameFor("  ", "Weekly / revenue", "pdf")).to.equal("Weekly revenue.pdf");
    expect(fileNameFor("../../etc/passwd", "T", "csv")).to.equal(".. .. etc passwd.csv");
    expect(fileNameFor(undefined, "", undefined)).to.equal("Looker data");
  });

  it("keeps a wide table inside one section's 3,000 characters", () => {
    const columns = Array.from({ length: 12 }, (_, i) => `Column number ${i}`);
    const rows = Array.from({ length: 20 }, () => columns.map(() => "&".repeat(40)));
    const { text, rowsShown } = tableText({ columns, rows, truncated: false });
    expect(text.length).to.be.at.most(2900);
    expect(rowsShown).to.be.lessThan(20);
    const message = tableMessage("T", { columns, rows, truncated: false });
    expect(JSON.stringify(message.blocks)).to.contain(`First ${rowsShown} rows shown.`);
  });
});
