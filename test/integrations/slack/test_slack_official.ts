// The official hub's Slack cases, replayed through the real app against the local Slack:
// src/actions/slack/test_slack.ts (slack_app), src/actions/slack/test_utils.ts (the form and
// delivery both Slack actions share) and src/actions/slack/legacy_slack/test_slack.ts (slack).
// Each `it` names the official file and case. Channel IDs here are Slack-shaped where the
// official cases type "mychannel": Slack's completeUploadExternal takes IDs only.
import { expect } from "chai";
import request from "supertest";
import { authHeader } from "../../helpers/app";
import { CSV, queryBody, SlackHarness, slackHarness } from "./slack_setup";

const STATE_URL = "https://looker.example.com/action_hub_state/xyz";
const MULTI = "7.3.0";

describe("Slack: the official hub's test cases", () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await slackHarness();
    h.fake.workspaces = {
      "xoxb-ws1": { team: "WS1", team_id: "ws1" }, "xoxb-ws2": { team: "WS2", team_id: "ws2" },
    };
  });
  afterEach(async () => { await h.close(); });
  const two = JSON.stringify([{ install_id: "ws1", token: "xoxb-ws1" }, { install_id: "ws2", token: "xoxb-ws2" }]);
  const appForm = (data: Record<string, unknown>, formParams: Record<string, string> = {}, version = MULTI) =>
    h.post("form", { data, form_params: formParams }, "slack_app", version).expect(200);
  const appDeliver = (state: string | undefined, formParams: Record<string, string> = {}, version = MULTI) =>
    h.post("execute", queryBody(h.fake, { data: state === undefined ? {} : { state_json: state },
      formParams: { channel: "C0123ABCD", ...formParams } }), "slack_app", version).expect(200);
  const tokens = () => [...new Set(h.fake.calls.map((c) => c.authorization))];

  describe("slack_app (test_slack.ts)", () => {
    // oauthCheck: "returns error if the user hasn't authed yet - no state_json"
    it("connection test without a token: the form's error", async () => {
      const res = await appForm({ test: true });
      expect(res.body.fields).to.deep.equal([]);
      expect(res.body.error).to.contain("Slack is not connected");
    });

    // oauthCheck: "returns error if the user hasn't authed yet - invalid auth"
    it("connection test with a refused token: the form's error", async () => {
      const res = await appForm({ test: true, state_json: "xoxb-revoked" });
      expect(res.body.fields).to.deep.equal([]);
      expect(res.body.error).to.contain("Slack did not accept the API token (invalid_auth)");
    });

    // oauthCheck: "returns user logged in info" (a Looker before 7.3: the sentence form)
    it("connection test: Connected with the team", async () => {
      const res = await appForm({ test: true, state_json: "xoxb-ws1" }, {}, "7.2.0");
      expect(res.body.fields).to.deep.equal([{ name: "Connected", label: "Connected", type: "message",
        value: "Connected with WS1 (ws1)" }]);
    });

    // form: "returns fields correctly from getDisplayedFormFields" (a bare token, no workspace field)
    it("a bare token before Looker 7.3: the channel form", async () => {
      const res = await appForm({ state_json: "xoxb-ws1" }, {}, "7.2.0");
      expect(res.body.fields.map((f: any) => f.name)).to.deep.equal(
        ["channelType", "channel", "initial_comment", "filename", "send_as"]);
    });

    // form: "returns error message when getDisplayedFormFields throws and state_url is empty"
    it("no token and no state_url: the form's error", async () => {
      const res = await appForm({});
      expect(res.body.fields).to.deep.equal([]);
      expect(res.body.error).to.contain("Slack is not connected");
    });

    // form: "returns log in link when we can't fetch form and state_url is valid", and
    // multiple workspaces: "doesn't have any connected workspace"
    it("no workspace connected: the login link to Looker's state_url", async () => {
      for (const state of [undefined, "[]"]) {
        const res = await appForm(state === undefined ? { state_url: STATE_URL } : { state_url: STATE_URL,
          state_json: state });
        expect(res.body.fields).to.have.length(1);
        expect(res.body.fields[0]).to.include({ name: "login", type: "oauth_link", oauth_url: STATE_URL });
      }
    });

    // form, multiple workspaces: "default to the first workspace if there is no selected workspace, and fetch form"
    it("one workspace: the workspace select defaults to it, then its channel form", async () => {
      const res = await appForm({ state_url: STATE_URL, state_json: JSON.stringify([{ install_id: "ws1",
        token: "xoxb-ws1" }]) });
      expect(res.body.fields[0]).to.deep.equal({ name: "workspace", label: "Workspace",
        description: "Name of the Slack workspace you would like to share in.", type: "select",
        options: [{ name: "ws1", label: "WS1" }], default: "ws1", required: true, interactive: true });
      expect(res.body.fields[1].name).to.equal("channelType");
    });

    // form, multiple workspaces: "select the correct workspace and fetch form"
    it("two workspaces: the chosen one is the default and its token lists the channels", async () => {
      h.fake.channels = [{ id: "C0000001", name: "general" }];
      const res = await appForm({ state_json: two }, { workspace: "ws2", channelType: "channels" });
      expect(res.body.fields[0]).to.deep.include({ name: "workspace", default: "ws2",
        options: [{ name: "ws1", label: "WS1" }, { name: "ws2", label: "WS2" }] });
      expect(h.fake.callsOf("conversations.list").map((c) => c.authorization)).to.deep.equal(["Bearer xoxb-ws2"]);
    });

    // execute: "has streaming enabled"
    it("takes url deliveries", async () => {
      const res = await request(h.hub.app).post("/actions/slack_app").set("Authorization", authHeader()).send({});
      expect(res.body.supported_download_settings).to.include("url");
    });

    // execute: "returns error response if no client was selected"
    it("a delivery without a token fails, nothing sent", async () => {
      const res = await appDeliver(undefined);
      expect(res.body.looker.success).to.equal(false);
      expect(res.body.looker.message).to.contain("Slack is not connected");
      expect(h.fake.calls).to.have.length(0);
    });

    // execute: "returns fields correctly from getDisplayedFormFields" (a bare token delivers)
    it("a bare token delivers", async () => {
      expect((await appDeliver("xoxb-ws1", {}, "7.2.0")).body.looker.success).to.equal(true);
      expect(tokens()).to.deep.equal(["Bearer xoxb-ws1"]);
    });

    // execute, multiple workspaces: "has a selected workspace"
    it("one workspace, selected", async () => {
      const one = JSON.stringify([{ install_id: "ws1", token: "xoxb-ws1" }]);
      expect((await appDeliver(one, { workspace: "ws1" })).body.looker.success).to.equal(true);
      expect(tokens()).to.deep.equal(["Bearer xoxb-ws1"]);
    });

    // execute, multiple workspaces: "doesn't have a selected workspace default to the first one"
    it("no workspace in the schedule: the first", async () => {
      expect((await appDeliver(two)).body.looker.success).to.equal(true);
      expect(tokens()).to.deep.equal(["Bearer xoxb-ws1"]);
    });

    // execute, multiple workspaces: "uses the selected workspace if multiple ws is given"
    it("two workspaces: the selected one's token", async () => {
      expect((await appDeliver(two, { workspace: "ws2" })).body.looker.success).to.equal(true);
      expect(tokens()).to.deep.equal(["Bearer xoxb-ws2"]);
    });
  });

  describe("the shared form and delivery (test_utils.ts)", () => {
    const slackForm = (channelType: string) =>
      h.post("form", { data: { slack_api_token: h.fake.token }, form_params: { channelType } }).expect(200);

    // getDisplayedFormFields: "returns correct channels" (two pages, by cursor)
    it("lists the channels of every page, sorted", async () => {
      h.fake.channels = [{ id: "C3", name: "c" }, { id: "C4", name: "d" }, { id: "C1", name: "a" },
        { id: "C2", name: "b" }];
      const channel = (await slackForm("channels")).body.fields.find((f: any) => f.name === "channel");
      expect(channel).to.include({ label: "Share In", type: "select", required: true });
      expect(channel.options).to.deep.equal([{ name: "C1", label: "#a" }, { name: "C2", label: "#b" },
        { name: "C3", label: "#c" }, { name: "C4", label: "#d" }]);
      expect(h.fake.callsOf("conversations.list")).to.have.length(2);
    });

    // getDisplayedFormFields: "returns correct users" (two pages, by cursor)
    it("lists the people of every page, sorted", async () => {
      h.fake.users = [{ id: "U10", name: "Z" }, { id: "U20", name: "Y" }, { id: "U30", name: "W" },
        { id: "U40", name: "X" }];
      const channel = (await slackForm("users")).body.fields.find((f: any) => f.name === "channel");
      expect(channel.options).to.deep.equal([{ name: "U30", label: "@W" }, { name: "U40", label: "@X" },
        { name: "U20", label: "@Y" }, { name: "U10", label: "@Z" }]);
    });

    // handleExecute: "errors if there is no channel"
    it("no channel: refused, nothing sent", async () => {
      const res = await h.post("execute", queryBody(h.fake, { formParams: { channel: "" } })).expect(200);
      expect(res.body.looker).to.deep.include({ success: false });
      expect(h.fake.calls).to.have.length(0);
    });

    // handleExecute: "sends to right body, channel and filename if specified"
    it("the bytes, the channel, the typed filename with its extension, the comment", async () => {
      const res = await h.post("execute", queryBody(h.fake, { formParams: { filename: "mywackyfilename",
        initial_comment: "mycomment" } })).expect(200);
      expect(res.body.looker.success).to.equal(true);
      expect(h.fake.callsOf("files.getUploadURLExternal")[0].args.filename).to.equal("mywackyfilename.csv");
      expect(h.fake.uploads[0].body!.toString("utf8")).to.equal(CSV);
      const complete = h.fake.callsOf("files.completeUploadExternal")[0].args;
      expect(complete.channel_id).to.equal("C0123ABCD");
      expect(JSON.parse(complete.files)[0].title).to.equal("mywackyfilename.csv");
      expect(h.fake.callsOf("chat.postMessage")[0].args).to.include({ channel: "C0123ABCD", text: "mycomment" });
    });

    // handleExecute: "sends right body and channel" (no filename: the schedule's title)
    it("without a filename the file is named after the schedule", async () => {
      await h.post("execute", queryBody(h.fake, { formParams: { filename: "" } })).expect(200);
      expect(h.fake.callsOf("files.getUploadURLExternal")[0].args.filename)
        .to.equal("Weekly revenue.csv");
    });

    // handleExecute: "sends right body and channel if payload is empty" (the comment is posted;
    // here a line saying there were no results follows it)
    it("no data: a message with the comment instead of a file", async () => {
      const res = await h.post("execute", queryBody(h.fake, { attachment: null, formParams: {
        initial_comment: "mycomment" } })).expect(200);
      expect(res.body.looker.success).to.equal(true);
      expect(h.fake.uploads).to.have.length(0);
      const [posted] = h.fake.callsOf("chat.postMessage");
      expect(posted.args.channel).to.equal("C0123ABCD");
      expect(posted.args.text.startsWith("mycomment\n")).to.equal(true);
    });

    // handleExecute: "returns failure on slack files.upload error"
    it("Slack refusing the upload's completion is a failure with a message", async () => {
      h.fake.fail("files.completeUploadExternal", { error: "channel_not_found" });
      const res = await h.post("execute", queryBody(h.fake)).expect(200);
      expect(res.body.looker.success).to.equal(false);
      expect(res.body.looker.message).to.contain("Slack found no channel C0123ABCD");
    });

    // The official handleExecute: an ID that starts with U or W is a person; the comment (or a
    // line) is posted to it first and the file goes to the direct message Slack answers.
    it("U… and W… ids are people: a direct message, whatever their length", async () => {
      for (const id of ["U30", "W0123ABCDE"]) {
        h.fake.calls.length = 0;
        const res = await h.post("execute", queryBody(h.fake, { formParams: { channel: id } })).expect(200);
        expect(res.body.looker.success).to.equal(true);
        expect(h.fake.callsOf("chat.postMessage")[0].args).to.include({ channel: id, text: "Weekly numbers" });
        expect(h.fake.callsOf("files.completeUploadExternal")[0].args.channel_id).to.equal(`D${id}`);
      }
    });

    // A person picked from the users list, and a channel picked from the channels list, go as IDs.
    it("values picked from the lists are IDs, whatever their shape", async () => {
      const res = await h.post("execute", queryBody(h.fake, { formParams: { channelType: "channels",
        channel: "C1" } })).expect(200);
      expect(res.body.looker.success).to.equal(true);
      expect(h.fake.callsOf("conversations.list")).to.have.length(0);
      expect(h.fake.callsOf("files.completeUploadExternal")[0].args.channel_id).to.equal("C1");
    });
  });

  describe("slack (legacy_slack/test_slack.ts)", () => {
    // form: "returns fields correctly from getDisplayedFormFields"
    it("the form", async () => {
      const res = await h.post("form", { data: { slack_api_token: h.fake.token }, form_params: {} }).expect(200);
      expect(res.body.fields.map((f: any) => f.name)).to.include.members(["channelType", "channel",
        "initial_comment", "filename"]);
    });

    // form: "returns error message" (invalid_auth)
    it("a refused token: the form's error", async () => {
      const res = await h.post("form", { data: { slack_api_token: "xoxb-wrong" },
        form_params: { channelType: "channels" } }).expect(200);
      expect(res.body.fields).to.deep.equal([]);
      expect(res.body.error).to.contain("Slack did not accept the API token (invalid_auth)");
    });

    // execute: "returns fields correctly from getDisplayedFormFields" (a delivery succeeds)
    it("delivers", async () => {
      expect((await h.post("execute", queryBody(h.fake)).expect(200)).body.looker.success).to.equal(true);
    });
  });
});
