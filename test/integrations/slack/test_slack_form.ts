import { expect } from "chai";
import request from "supertest";
import { authHeader } from "../../helpers/app";
import { SlackHarness, slackHarness } from "./slack_setup";

describe("slack: definition and form", () => {
  let h: SlackHarness;
  beforeEach(async () => { h = await slackHarness(); });
  afterEach(async () => { await h.close(); });

  const formBody = (formParams: Record<string, string>, token?: string) => ({
    data: { slack_api_token: token ?? h.fake.token }, form_params: formParams,
  });

  it("is listed under the official hub's name, label and param", async () => {
    const res = await request(h.hub.app).post("/").set("Authorization", authHeader()).expect(200);
    const slack = res.body.integrations.find((i: any) => i.name === "slack");
    expect(slack.label).to.equal("Slack Attachment (API Token)");
    expect(slack.form_url).to.equal("https://hub.example.test/actions/slack/form");
    expect(slack.supported_action_types).to.have.members(["query", "dashboard", "cell"]);
    expect(slack.supported_formats).to.include.members(["csv", "json_detail", "wysiwyg_pdf", "xlsx"]);
    expect(slack.params).to.have.length(1);
    const param = slack.params[0];
    expect(param).to.include({ name: "slack_api_token", required: true, sensitive: true });
    for (const scope of ["channels:read", "groups:read", "users:read", "chat:write", "files:write"]) {
      expect(param.description).to.contain(scope);
    }
    // Direct messages need no im:write: the official hub's setup never asked for it.
    expect(param.description).to.not.contain("im:write");
  });

  it("offers manual entry by default, with no call to Slack", async () => {
    const res = await h.post("form", formBody({})).expect(200);
    const names = res.body.fields.map((f: any) => f.name);
    expect(names).to.deep.equal(["channelType", "channel", "initial_comment", "filename", "send_as"]);
    const [channelType, channel] = res.body.fields;
    expect(channelType).to.include({ type: "select", default: "manual", interactive: true });
    expect(channelType.options.map((o: any) => o.name)).to.deep.equal(["manual", "channels", "users"]);
    expect(channel).to.include({ type: "string", required: true });
    expect(h.fake.calls).to.have.length(0);
  });

  it("lists every page of channels, without archived ones, sorted by name", async () => {
    h.fake.channels = [
      { id: "C05", name: "sales" }, { id: "C01", name: "Analytics" }, { id: "C02", name: "old", is_archived: true },
      { id: "C03", name: "marketing" }, { id: "C04", name: "general" },
    ];
    const res = await h.post("form", formBody({ channelType: "channels" })).expect(200);
    const channel = res.body.fields.find((f: any) => f.name === "channel");
    expect(channel).to.include({ type: "select", required: true });
    expect(channel.options).to.deep.equal([
      { name: "C01", label: "#Analytics" }, { name: "C04", label: "#general" },
      { name: "C03", label: "#marketing" }, { name: "C05", label: "#sales" },
    ]);
    const calls = h.fake.callsOf("conversations.list");
    expect(calls).to.have.length(2);
    expect(calls.map((c) => c.args.cursor)).to.deep.equal([undefined, "page-2"]);
    for (const call of calls) {
      expect(call.authorization).to.equal(`Bearer ${h.fake.token}`);
      expect(call.args).to.include({ types: "public_channel,private_channel", exclude_archived: "true" });
    }
  });

  it("lists every page of people, without bots, deleted or restricted accounts", async () => {
    h.fake.users = [
      { id: "U03", name: "zoe", real_name: "Zoe Z" }, { id: "U01", name: "bot", is_bot: true },
      { id: "USLACKBOT", name: "slackbot" }, { id: "U02", name: "gone", deleted: true },
      { id: "U04", name: "guest", is_restricted: true }, { id: "U05", name: "single", is_ultra_restricted: true },
      { id: "W06", name: "anna" },
    ];
    const res = await h.post("form", formBody({ channelType: "users" })).expect(200);
    const channel = res.body.fields.find((f: any) => f.name === "channel");
    expect(channel.options).to.deep.equal([{ name: "W06", label: "@anna" }, { name: "U03", label: "@zoe (Zoe Z)" }]);
    expect(h.fake.callsOf("users.list")).to.have.length(4);
  });

  it("answers a Slack error as the form's error, in words", async () => {
    h.fake.fail("conversations.list", { error: "invalid_auth" });
    const res = await h.post("form", formBody({ channelType: "channels" })).expect(200);
    expect(res.body.error).to.match(/did not accept the API token.*Slack API Token/);
    expect(res.body.fields).to.deep.equal([]);
  });

  it("names the missing scope", async () => {
    h.fake.fail("users.list", { error: "missing_scope", needed: "users:read" });
    const res = await h.post("form", formBody({ channelType: "users" })).expect(200);
    expect(res.body.error).to.contain('"users:read"').and.to.contain("OAuth & Permissions");
  });

  it("waits out a rate limit as long as Retry-After says, then lists", async () => {
    h.fake.channels = [{ id: "C01", name: "general" }];
    h.fake.fail("conversations.list", { status: 429, retryAfter: 1 });
    const started = Date.now();
    const res = await h.post("form", formBody({ channelType: "channels" })).expect(200);
    expect(Date.now() - started).to.be.at.least(950);
    expect(res.body.fields.find((f: any) => f.name === "channel").options).to.have.length(1);
    expect(h.fake.callsOf("conversations.list")).to.have.length(2);
  });

  it("asks for the token when it is missing, without calling Slack", async () => {
    const res = await h.post("form", { data: {}, form_params: { channelType: "channels" } }).expect(200);
    expect(res.body.error).to.contain("Slack API Token is missing");
    expect(h.fake.calls).to.have.length(0);
  });

  it("leaves file name and send-as out of a cell action's form", async () => {
    const res = await h.post("form", { type: "cell", ...formBody({}) }).expect(200);
    expect(res.body.fields.map((f: any) => f.name)).to.deep.equal(["channelType", "channel", "initial_comment"]);
  });
});
