import { expect } from "chai";
import { ConfigError } from "../../../src/config";
import { tableMessage, tableText } from "../../../src/integrations/slack/slack_table";
import { testConfig } from "../../helpers/app";

describe("slack: configuration and pieces", () => {
  it("reads SLACK_API_URL, defaulting to Slack's public API", () => {
    expect(testConfig().slack.apiUrl).to.equal("https://slack.com/api/");
    expect(testConfig({ SLACK_API_URL: "https://slack-proxy.example.com/api" }).slack.apiUrl)
      .to.equal("https://slack-proxy.example.com/api/");
    expect(() => testConfig({ SLACK_API_URL: "ftp://example.com" })).to.throw(ConfigError, /SLACK_API_URL/);
    expect(() => testConfig({ SLACK_API_URL: "not a url" })).to.throw(ConfigError, /SLACK_API_URL/);
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
