// slack_app: the tokens of Looker's delegated Slack install arrive in data.state_json (a list of
// {install_id, token}, or a bare token from older Lookers); the delivery is slack's.
import { expect } from "chai";
import request from "supertest";
import { slackInstalls } from "../../../src/integrations/slack/slack_app_state";
import { authHeader } from "../../helpers/app";
import { pushBody } from "../../helpers/looker_payloads";
import { CSV, SlackHarness, slackHarness } from "./slack_setup";

const ACME = "xoxb-acme-token";
const GLOBEX = "xoxb-globex-token";
const STATE = JSON.stringify([{ install_id: "T1ACME", token: ACME }, { install_id: "T2GLOBEX", token: GLOBEX }]);
const STATE_URL = "https://looker.example.com/action_hub_state/abc?token=1";

describe("slack_app (Looker's Slack app, delegated install)", () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await slackHarness();
    h.fake.workspaces = {
      [ACME]: { team: "Acme", team_id: "T1ACME" }, [GLOBEX]: { team: "Globex", team_id: "T2GLOBEX" },
    };
  });
  afterEach(async () => { await h.close(); });

  const deliver = (state: string | undefined, form: Record<string, string>) => h.post("execute", pushBody("csv", {
    data: state === undefined ? {} : { state_json: state },
    form_params: { channelType: "manual", channel: "C0123ABCD", initial_comment: "Numbers", ...form },
  }, CSV), "slack_app");
  const tokensUsed = () => h.fake.calls.map((c) => c.authorization);

  it("is listed as Looker lists it: delegate_oauth, the install param with its delegate URL, from 6.23", async () => {
    const list = (agent: string) => request(h.hub.app).post("/").set("Authorization", authHeader())
      .set("User-Agent", agent).expect(200);
    const all = (await list("LookerOutgoingWebhook/25.10.0")).body.integrations;
    const def = all.find((i: any) => i.name === "slack_app");
    expect(def).to.include({ label: "Slack", uses_oauth: true, delegate_oauth: true });
    expect(def.params).to.deep.equal([{ name: "install", label: "Connect to Slack",
      description: def.params[0].description, required: false, sensitive: false,
      delegate_oauth_url: "/admin/integrations/slack/install" }]);
    expect(def.supported_download_settings).to.have.members(["push", "url"]);
    const old = (await list("LookerOutgoingWebhook/6.22.0")).body.integrations.map((i: any) => i.name);
    expect(old).to.include("slack").and.not.include("slack_app");
  });

  it("reads Looker's state: a list of installs, a bare token, or nothing", () => {
    expect(slackInstalls(STATE)).to.deep.equal([
      { installId: "T1ACME", token: ACME }, { installId: "T2GLOBEX", token: GLOBEX }]);
    expect(slackInstalls(ACME)).to.deep.equal([{ token: ACME }]);
    expect(slackInstalls(JSON.stringify(ACME))).to.deep.equal([{ token: ACME }]);
    for (const none of [undefined, "", "reset", "[]", "[{\"install_id\":\"T1\"}]"]) {
      expect(slackInstalls(none)).to.deep.equal([]);
    }
  });

  it("offers one workspace per install, then that workspace's channels", async () => {
    h.fake.channels = [{ id: "C0000001", name: "general" }];
    const res = await h.post("form", { data: { state_json: STATE },
      form_params: { workspace: "T2GLOBEX", channelType: "channels" } }, "slack_app").expect(200);
    const [workspace, channelType, channel] = res.body.fields;
    expect(workspace).to.include({ name: "workspace", type: "select", required: true, interactive: true,
      default: "T2GLOBEX" });
    expect(workspace.options).to.deep.equal([
      { name: "T1ACME", label: "Acme" }, { name: "T2GLOBEX", label: "Globex" }]);
    expect(channelType.name).to.equal("channelType");
    expect(channel.options).to.deep.equal([{ name: "C0000001", label: "#general" }]);
    expect(h.fake.callsOf("conversations.list")[0].authorization).to.equal(`Bearer ${GLOBEX}`);
  });

  it("delivers to each workspace with that workspace's token", async () => {
    for (const [workspace, token] of [["T1ACME", ACME], ["T2GLOBEX", GLOBEX]]) {
      h.fake.calls.length = 0;
      const res = await deliver(STATE, { workspace }).expect(200);
      expect(res.body.looker).to.include({ success: true });
      expect(new Set(tokensUsed())).to.deep.equal(new Set([`Bearer ${token}`]));
      expect(h.fake.callsOf("files.completeUploadExternal")[0].args).to.include({ channel_id: "C0123ABCD" });
      expect(h.fake.callsOf("chat.postMessage")[0].args).to.include({ channel: "C0123ABCD", text: "Numbers" });
    }
    expect(h.fake.uploads.map((u) => u.body!.toString("utf8"))).to.deep.equal([CSV, CSV]);
  });

  it("sends a schedule without a workspace (made before a second one was connected) to the first", async () => {
    expect((await deliver(STATE, {}).expect(200)).body.looker.success).to.equal(true);
    expect(new Set(tokensUsed())).to.deep.equal(new Set([`Bearer ${ACME}`]));
  });

  it("works with the bare token of older Lookers, without a workspace field before Looker 7.3", async () => {
    const res = await deliver(ACME, {}).expect(200);
    expect(res.body.looker.success).to.equal(true);
    expect(new Set(tokensUsed())).to.deep.equal(new Set([`Bearer ${ACME}`]));
    const form = await h.post("form", { data: { state_json: ACME }, form_params: {} }, "slack_app", "7.2.0")
      .expect(200);
    expect(form.body.fields.map((f: any) => f.name)).to.deep.equal(
      ["channelType", "channel", "initial_comment", "filename", "send_as"]);
  });

  it("from Looker 7.3 names the workspace of a bare token by its team, and delivers with it", async () => {
    const form = await h.post("form", { data: { state_json: ACME }, form_params: {} }, "slack_app").expect(200);
    expect(form.body.fields[0]).to.deep.include({ name: "workspace", default: "T1ACME",
      options: [{ name: "T1ACME", label: "Acme" }] });
    h.fake.calls.length = 0;
    expect((await deliver(ACME, { workspace: "T1ACME" }).expect(200)).body.looker.success).to.equal(true);
    expect(new Set(tokensUsed())).to.deep.equal(new Set([`Bearer ${ACME}`]));
  });

  it("answers the connection test with one message per connected workspace", async () => {
    const res = await h.post("form", { data: { state_json: STATE, test: true }, form_params: {} }, "slack_app")
      .expect(200);
    expect(res.body.fields).to.deep.equal([
      { name: "Connected", label: "Connected", type: "message",
        value: JSON.stringify({ installation_id: "T1ACME", installation_name: "Acme" }) },
      { name: "Connected", label: "Connected", type: "message",
        value: JSON.stringify({ installation_id: "T2GLOBEX", installation_name: "Globex" }) },
    ]);
    const old = await h.post("form", { data: { state_json: ACME, test: "true" } }, "slack_app", "7.2.0").expect(200);
    expect(old.body.fields).to.deep.equal([{ name: "Connected", label: "Connected", type: "message",
      value: "Connected with Acme (T1ACME)" }]);
  });

  it("answers the connection test with the workspaces that work; the form's error when none does", async () => {
    const revoked = JSON.stringify([
      { install_id: "T1ACME", token: ACME }, { install_id: "T9", token: "xoxb-revoked" }]);
    const some = await h.post("form", { data: { state_json: revoked, test: true } }, "slack_app").expect(200);
    expect(some.body.fields).to.deep.equal([{ name: "Connected", label: "Connected", type: "message",
      value: JSON.stringify({ installation_id: "T1ACME", installation_name: "Acme" }) }]);
    const onlyRevoked = JSON.stringify([{ install_id: "T9", token: "xoxb-revoked" }]);
    const res = await h.post("form", { data: { state_json: onlyRevoked, test: true } }, "slack_app").expect(200);
    expect(res.body.fields).to.deep.equal([]);
    expect(res.body.error).to.contain("Slack did not accept the API token (invalid_auth)")
      .and.contain("reconnect Slack");
    const none = await h.post("form", { data: { test: true } }, "slack_app").expect(200);
    expect(none.body.error).to.contain("Slack is not connected");
  });

  it("without a token, the form is Looker's login link and a delivery fails saying how to connect", async () => {
    const form = await h.post("form", { data: { state_url: STATE_URL, state_json: null } }, "slack_app").expect(200);
    expect(form.body.fields).to.have.length(1);
    expect(form.body.fields[0]).to.include({ name: "login", type: "oauth_link", oauth_url: STATE_URL });
    const res = await deliver(undefined, {}).expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.contain("Slack is not connected")
      .and.contain("Admin > Platform > Actions > Slack");
    expect(h.fake.calls).to.have.length(0);
  });

  it("a revoked token fails the delivery with the reconnect advice, and nothing is uploaded", async () => {
    h.fake.fail("files.getUploadURLExternal", { error: "token_revoked" });
    const res = await deliver(STATE, { workspace: "T1ACME" }).expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.contain("(token_revoked)").and.contain("reconnect Slack");
    expect(res.body.looker.message).to.not.contain(ACME);
    expect(h.fake.uploads).to.have.length(0);
    expect(h.leftovers()).to.deep.equal([]);
  });

  it("a workspace no longer connected fails pointing at the workspace field", async () => {
    const res = await deliver(JSON.stringify([{ install_id: "T1ACME", token: ACME }]), { workspace: "T2GLOBEX" })
      .expect(200);
    expect(res.body.looker).to.include({ success: false });
    expect(res.body.looker.validation_errors).to.have.property("workspace");
    expect(h.fake.calls).to.have.length(0);
  });

  it("keeps tokens out of the log", async () => {
    await deliver(STATE, { workspace: "T2GLOBEX" }).expect(200);
    await h.post("form", { data: { state_json: STATE, test: true } }, "slack_app").expect(200);
    expect(h.hub.logs()).to.not.contain(ACME).and.not.contain(GLOBEX);
  });
});
