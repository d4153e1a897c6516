import { expect } from "chai";
import { closedPort } from "../../fakes/closed_port";
import { queryBody, SlackHarness, slackHarness } from "./slack_setup";

describe("slack: errors a person can act on", () => {
  let h: SlackHarness;
  beforeEach(async () => { h = await slackHarness(); });
  afterEach(async () => { await h.close(); });

  async function failure(body: Record<string, unknown>): Promise<string> {
    const res = await h.post("execute", body).expect(200);
    expect(res.body.looker.success).to.equal(false);
    return res.body.looker.message;
  }

  for (const code of ["invalid_auth", "token_revoked"]) {
    it(`asks the admin to check the token on ${code}`, async () => {
      h.fake.fail("files.getUploadURLExternal", { error: code });
      const message = await failure(queryBody(h.fake));
      expect(message).to.contain(code).and.to.contain("Slack API Token").and.to.contain("Admin");
      expect(h.fake.uploads).to.have.length(0);
      expect(h.leftovers()).to.deep.equal([]);
    });
  }

  it("answers a wrong token as Slack does, without retrying", async () => {
    const message = await failure(queryBody(h.fake, { data: { slack_api_token: "xoxb-wrong" } }));
    expect(message).to.contain("did not accept the API token");
    expect(h.fake.calls).to.have.length(1);
  });

  it("names the channel (by name when the user typed it) on not_in_channel", async () => {
    h.fake.channels = [{ id: "C0000009", name: "finance" }];
    h.fake.fail("files.completeUploadExternal", { error: "not_in_channel" });
    const message = await failure(queryBody(h.fake, { formParams: { channel: "#finance" } }));
    expect(message).to.contain("not a member of #finance").and.to.contain("/invite");
    expect(h.leftovers()).to.deep.equal([]);
  });

  it("names the channel by ID on not_in_channel when only the ID is known", async () => {
    h.fake.fail("files.completeUploadExternal", { error: "not_in_channel" });
    expect(await failure(queryBody(h.fake))).to.contain("not a member of the channel C0123ABCD");
  });

  it("explains channel_not_found and points at the channel field", async () => {
    h.fake.fail("files.completeUploadExternal", { error: "channel_not_found" });
    const res = await h.post("execute", queryBody(h.fake)).expect(200);
    expect(res.body.looker.message).to.contain("no channel C0123ABCD").and.to.contain("invite the app");
    expect(res.body.looker.validation_errors).to.have.property("channel");
  });

  it("names the missing scope", async () => {
    h.fake.fail("files.getUploadURLExternal", { error: "missing_scope", needed: "files:write" });
    expect(await failure(queryBody(h.fake))).to.contain('"files:write"').and.to.contain("reinstall");
  });

  it("says a file was too large when Slack says so", async () => {
    h.fake.fail("files.getUploadURLExternal", { error: "file_too_large" });
    expect(await failure(queryBody(h.fake))).to.contain("larger than Slack accepts (1.0 GB at most)");
  });

  it("gives up on a rate limit longer than it will wait, saying to try later", async () => {
    await h.close();
    h = await slackHarness({ maxRetryAfterSeconds: 5 });
    h.fake.fail("files.getUploadURLExternal", { status: 429, retryAfter: 600 });
    expect(await failure(queryBody(h.fake))).to.contain("rate limiting").and.to.contain("600 seconds");
    expect(h.fake.calls).to.have.length(1);
  });

  it("retries Slack's 5xx answers, then reports them as temporary", async () => {
    h.fake.fail("files.getUploadURLExternal", { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    expect(await failure(queryBody(h.fake))).to.contain("HTTP 500").and.to.contain("Try again later");
    expect(h.fake.callsOf("files.getUploadURLExternal")).to.have.length(4);
  });

  it("reports an unreachable Slack API clearly", async () => {
    const port = await closedPort();
    await h.close();
    h = await slackHarness({ apiUrl: `http://127.0.0.1:${port}/api/`, retries: 1 });
    expect(await failure(queryBody(h.fake))).to.contain("could not reach Slack's API");
  });

  it("needs a channel before calling Slack", async () => {
    const res = await h.post("execute", queryBody(h.fake, { formParams: { channel: "" } })).expect(200);
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.validation_errors).to.have.property("channel");
    expect(h.fake.calls).to.have.length(0);
  });

  it("refuses something that is not a channel, without calling Slack", async () => {
    const message = await failure(queryBody(h.fake, { formParams: { channel: "Sales Team!" } }));
    expect(message).to.contain("not a Slack channel or member ID");
    expect(h.fake.calls).to.have.length(0);
  });

  it("names the missing token param, without calling Slack", async () => {
    const message = await failure(queryBody(h.fake, { data: {} }));
    expect(message).to.contain('"Slack API Token" is missing');
    expect(h.fake.calls).to.have.length(0);
  });

  it("logs neither the token nor the comment nor the data", async () => {
    h.fake.fail("files.completeUploadExternal", { error: "not_in_channel" });
    await h.post("execute", queryBody(h.fake, { formParams: { initial_comment: "secret-plan-42" } })).expect(200);
    const logs = h.hub.logs();
    expect(logs).to.contain("wh-1");
    expect(logs).to.not.contain(h.fake.token);
    expect(logs).to.not.contain("secret-plan-42");
    expect(logs).to.not.contain("2017-07,773");
  });
});
