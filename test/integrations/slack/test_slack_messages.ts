import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { queryBody, SlackHarness, slackHarness } from "./slack_setup";

const DETAIL = JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/json_detail_example.json"), "utf8"));

function detailWithRows(count: number) {
  const rows = Array.from({ length: count }, (_, i) => ({
    "orders.created_month": { value: `2020-${String((i % 12) + 1).padStart(2, "0")}` },
    "orders.count": { value: i, rendered: `${i} <orders>` },
  }));
  return { ...DETAIL, data: rows };
}

describe("slack: messages", () => {
  let h: SlackHarness;
  beforeEach(async () => { h = await slackHarness(); });
  afterEach(async () => { await h.close(); });

  const tableBody = (data: unknown, extra: Record<string, unknown> = {}) => queryBody(h.fake, {
    formParams: { send_as: "message" },
    attachment: { mimetype: "application/json", extension: "json", data },
    ...extra,
  });

  it("posts a cell's value, its field and a link back to Looker", async () => {
    const res = await h.post("execute", {
      type: "cell",
      data: { slack_api_token: h.fake.token, value: "42", rendered: "$42.00", field_label: "Orders Total" },
      form_params: { channelType: "manual", channel: "C0123ABCD", initial_comment: "Look at this" },
      scheduled_plan: { url: "https://looker.example.com/explore/shop/orders?qid=abc" },
    }).expect(200);
    expect(res.body.looker).to.include({ success: true });
    const post = h.fake.callsOf("chat.postMessage")[0];
    expect(post.authorization).to.equal(`Bearer ${h.fake.token}`);
    expect(post.args.channel).to.equal("C0123ABCD");
    const blocks = JSON.parse(post.args.blocks);
    const text = JSON.stringify(blocks);
    expect(text).to.contain("*Orders Total*\\n$42.00").and.to.contain("Look at this");
    expect(text).to.contain("<https://looker.example.com/explore/shop/orders?qid=abc|open in Looker>");
    expect(post.args.text).to.contain("Orders Total: $42.00");
  });

  it("sends a cell and a table to a person's member ID without conversations.open", async () => {
    const cell = await h.post("execute", {
      type: "cell", data: { slack_api_token: h.fake.token, value: "42" },
      form_params: { channelType: "manual", channel: "U0PERSON1" },
    }).expect(200);
    expect(cell.body.looker).to.include({ success: true, message: "Sent the value to a direct message to U0PERSON1 in Slack." });
    const table = await h.post("execute", tableBody(detailWithRows(3), {})).expect(200);
    expect(table.body.looker.success).to.equal(true);
    const dm = await h.post("execute", queryBody(h.fake, { formParams: { send_as: "message", channel: "U0PERSON1" },
      attachment: { mimetype: "application/json", extension: "json", data: detailWithRows(2) } })).expect(200);
    expect(dm.body.looker.success).to.equal(true);
    const channels = h.fake.callsOf("chat.postMessage").map((c) => c.args.channel);
    expect(channels).to.deep.equal(["U0PERSON1", "C0123ABCD", "U0PERSON1"]);
    expect(h.fake.callsOf("conversations.open")).to.have.length(0);
  });

  it("sends the first rows of a json_detail result as a table with a link to the Look", async () => {
    const res = await h.post("execute", tableBody(DETAIL)).expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(res.body.looker.message).to.contain("13 rows");
    const post = h.fake.callsOf("chat.postMessage")[0];
    const blocks = JSON.parse(post.args.blocks);
    expect(blocks[0]).to.deep.equal({
      type: "header", text: { type: "plain_text", text: "Weekly revenue", emoji: false },
    });
    const table = blocks[2].text.text as string;
    expect(table.startsWith("```Created Month  Count")).to.equal(true);
    expect(table).to.contain("2017-07        773");
    expect(JSON.stringify(blocks[3])).to.contain("<https://looker.example.com/looks/4|Open in Looker>");
    expect(h.fake.callsOf("files.getUploadURLExternal")).to.have.length(0);
  });

  it("shows only the first 20 rows, escapes markup, and leaves out hidden fields", async () => {
    const body = tableBody(detailWithRows(50));
    (body.scheduled_plan as any).query = { vis_config: { hidden_fields: ["orders.created_month"] } };
    await h.post("execute", body).expect(200);
    const blocks = JSON.parse(h.fake.callsOf("chat.postMessage")[0].args.blocks);
    const table = blocks[2].text.text as string;
    expect(table).to.not.contain("Created Month");
    expect(table).to.contain("19 &lt;orders&gt;").and.not.contain("20 &lt;orders&gt;");
    expect(table.split("\n")).to.have.length(22);
    expect(JSON.stringify(blocks[3])).to.contain("First 20 rows shown.");
  });

  it("reads CSV into the table too", async () => {
    await h.post("execute", queryBody(h.fake, { formParams: { send_as: "message" } })).expect(200);
    const table = JSON.parse(h.fake.callsOf("chat.postMessage")[0].args.blocks)[2].text.text;
    expect(table).to.contain("Month    Orders").and.to.contain("2017-06  922");
  });

  it("refuses message mode for a PDF, pointing at the field, without calling Slack", async () => {
    const res = await h.post("execute", queryBody(h.fake, {
      formParams: { send_as: "message" },
      attachment: { mimetype: "application/pdf;base64", extension: "pdf", data: "JVBERi0=" },
    })).expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.contain("needs the CSV or a JSON format");
    expect(res.body.looker.validation_errors).to.have.property("send_as");
    expect(h.fake.calls).to.have.length(0);
  });

  it("answers Looker's connection test with auth.test", async () => {
    const res = await h.post("execute", { type: "query", data: { slack_api_token: h.fake.token, test: true } })
      .expect(200);
    expect(res.body.looker.message).to.contain("Connected to the Slack workspace Acme as lookerbot");
    expect(h.fake.calls.map((c) => c.method)).to.deep.equal(["auth.test"]);
  });
});
