// Mattermost through the real app against a fake server's incoming webhook on 127.0.0.1: the post
// Mattermost received (the Markdown table of the first rows, the link), its limits and refusals.
import { expect } from "chai";
import { MattermostIntegration } from "../../src/integrations/mattermost/mattermost";
import { MAX_POST } from "../../src/integrations/mattermost/mattermost_post";
import { createHttpClient } from "../../src/lib/http_client";
import { HOOK_KEY, MattermostFake } from "../fakes/mattermost_api";
import { buildTestApp, testConfig } from "../helpers/app";
import { execute, form, PLAN } from "../helpers/execute";
import { testHttpClient } from "../helpers/http";

function detail(rows: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    ran_at: "2026-11-28T00:00:00Z",
    fields: { dimensions: [{ name: "orders.status", label: "Orders Status", label_short: "Status" }],
      measures: [{ name: "orders.total", label: "Orders Total", label_short: "Total" }], table_calculations: [], pivots: [] },
    data: Array.from({ length: rows }, (_v, i) => ({
      "orders.status": { value: i === 0 ? "a|b" : `status ${i}` },
      "orders.total": { value: i * 10, rendered: `$${i * 10}.00` } })),
    ...extra,
  });
}

describe("mattermost integration", () => {
  let mattermost: MattermostFake;
  beforeEach(async () => { mattermost = await new MattermostFake().start(); });
  afterEach(async () => { await mattermost.stop(); });

  const hub = () => buildTestApp([new MattermostIntegration(testHttpClient())]).app;

  function body(fields: Record<string, string | undefined> = {}, data = detail(3)): any {
    return {
      type: "query", scheduled_plan: PLAN,
      form_params: { url: mattermost.hookUrl("chat.example.com"), message: "**Weekly** orders", ...fields },
      attachment: { mimetype: "application/json", extension: "json", data },
    };
  }

  it("posts the message, a Markdown table of the first rows and a link to Looker", async () => {
    const answer = await execute(hub(), "mattermost", body());
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    expect(answer.looker.message).to.equal("Posted to Mattermost.");
    const got = mattermost.received[0];
    expect(got.path).to.equal(`/hooks/${HOOK_KEY}`);
    expect(got.headers.host).to.equal(`chat.example.com:${mattermost.port}`);
    expect(got.headers["content-type"]).to.equal("application/json");
    expect(mattermost.posts[0]).to.deep.equal({ text: [
      "#### Weekly revenue",
      "**Weekly** orders",
      "| Status | Total |\n| --- | --- |\n| a\\|b | $0.00 |\n| status 1 | $10.00 |\n| status 2 | $20.00 |",
      "[Open in Looker](https://looker.example.com/looks/4)",
    ].join("\n\n") });
  });

  it("shows the rows the form asks for and says how many were shown", async () => {
    await execute(hub(), "mattermost", body({ rows: "5", message: "" }, detail(40)));
    const text: string = mattermost.posts[0].text;
    expect(text.split("\n").filter((l) => l.startsWith("| status"))).to.have.length(4);
    expect(text).to.include("_the first 5 rows_");
    expect(text).not.to.include("**Weekly**");
  });

  it("reads a csv delivery as well", async () => {
    await execute(hub(), "mattermost", { ...body({ rows: "5" }),
      attachment: { mimetype: "text/csv", extension: "csv", data: "Status,Total\nnew,1\n" } });
    expect(mattermost.posts[0].text).to.include("| Status | Total |\n| --- | --- |\n| new | 1 |");
  });

  it("keeps a post with long rows within Mattermost's 16,383 characters, cutting at a whole row", async () => {
    const dimensions = Array.from({ length: 12 }, (_v, i) => ({ name: `d${i}`, label: `D${i}` }));
    const row = Object.fromEntries(dimensions.map((d) => [d.name, { value: "y".repeat(79) }]));
    const wide = { fields: { dimensions, measures: [] }, data: Array.from({ length: 50 }, () => row) };
    await execute(hub(), "mattermost", body({ rows: "50" }, JSON.stringify(wide)));
    const text: string = mattermost.posts[0].text;
    expect(text.length).to.be.at.most(MAX_POST);
    expect(text).to.match(/_the first \d+ rows_/);
    expect(text.endsWith("[Open in Looker](https://looker.example.com/looks/4)")).to.equal(true);
  });

  it("posts a clicked cell with its field, value and link", async () => {
    const answer = await execute(hub(), "mattermost", {
      type: "cell", scheduled_plan: { url: "https://looker.example.com/explore/x" },
      data: { value: "1050", rendered: "$1,050.00", field_label: "Orders Total" },
      form_params: { url: mattermost.hookUrl() },
    });
    expect(answer.looker.message).to.equal("Posted the value to Mattermost.");
    expect(mattermost.posts[0]).to.deep.equal({ text: "Orders Total: $1,050.00\n\nhttps://looker.example.com/explore/x" });
  });

  it("refuses a webhook URL at a private address before reading the data", async () => {
    const guarded = createHttpClient(testConfig({ ALLOW_HTTP_URLS: "true" }));
    const answer = await execute(buildTestApp([new MattermostIntegration(guarded)]).app, "mattermost",
      body({ url: "http://10.0.0.7/hooks/abc" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.validation_errors).to.have.property("url");
    expect(mattermost.received).to.have.length(0);
  });

  it("says the webhook is unknown on Mattermost's 400 Invalid webhook", async () => {
    const answer = await execute(hub(), "mattermost", body({ url: mattermost.url("/hooks/deleted1") }));
    expect(answer.looker.message).to.match(/^Mattermost does not know this webhook \(HTTP 400: "Invalid webhook"\)/);
    expect(answer.looker.validation_errors.url).to.equal("Copy the webhook URL again.");
  });

  it("says incoming webhooks are turned off on the server (501)", async () => {
    mattermost.webhooksEnabled = false;
    const answer = await execute(hub(), "mattermost", body());
    expect(answer.looker.message).to.include("Mattermost has incoming webhooks turned off (HTTP 501: " +
      "\"Incoming webhooks have been disabled by the system admin.\")");
  });

  it("retries a busy server, then fails clearly", async () => {
    mattermost.reply({ status: 503, body: "busy" });
    expect((await execute(hub(), "mattermost", body())).looker.success).to.equal(true);
    mattermost.reply(...[1, 2, 3].map(() => ({ status: 429, headers: { "retry-after": "0" }, body: "{}" })));
    const answer = await execute(hub(), "mattermost", body());
    expect(answer.looker.message).to.include("Mattermost's rate limit kept refusing the post (HTTP 429)");
  });

  it("offers its form (rows only for a query) and declares its formats", async () => {
    expect((await form(hub(), "mattermost")).fields.map((f: { name: string }) => f.name))
      .to.deep.equal(["url", "message", "rows"]);
    expect((await form(hub(), "mattermost", { type: "cell" })).fields.map((f: { name: string }) => f.name))
      .to.deep.equal(["url", "message"]);
  });
});
