// dropbox through the real app against a fake Dropbox (its token endpoint, RPC and content calls).
import { expect } from "chai";
import * as crypto from "crypto";
import request from "supertest";
import { deliveryStamp } from "../../../src/data/files/file_naming";
import { ActionRequest } from "../../../src/hub/action_request";
import { DropboxIntegration } from "../../../src/integrations/dropbox/dropbox";
import { headerJson } from "../../../src/integrations/dropbox/dropbox_api";
import { storedStateFor } from "../../../src/hub/oauth/stored_state";
import { Sealer } from "../../../src/hub/oauth/sealing";
import { FakeDropbox } from "../../fakes/dropbox_api";
import { FakeLooker } from "../../fakes/fake_looker";
import { FakeOAuthServer } from "../../fakes/oauth_server";
import { authHeader, buildTestApp, TEST_SECRET, TestApp, testConfig } from "../../helpers/app";
import { LOOKER_HEADERS, PLAN } from "../../helpers/execute";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";

const CSV = "Month,Orders\n2017-07,773\n2017-06,922\n";
const CHUNK = 64 * 1024;

describe("dropbox", () => {
  let oauth: FakeOAuthServer;
  let dropbox: FakeDropbox;
  let looker: FakeLooker;
  let hub: TestApp;

  before(async () => {
    oauth = await new FakeOAuthServer().start();
    dropbox = await new FakeDropbox(oauth).start();
    looker = await new FakeLooker().start();
    const env = { ...FAST_HTTP_ENV,
      DROPBOX_ACTION_APP_KEY: oauth.clientId, DROPBOX_ACTION_APP_SECRET: oauth.clientSecret,
      DROPBOX_OAUTH_AUTHORIZE_URL: oauth.authorizeUrl, DROPBOX_API_URL: dropbox.url, DROPBOX_CONTENT_URL: dropbox.url };
    hub = buildTestApp([new DropboxIntegration(testConfig(env).dropbox, testHttpClient(env), CHUNK)], env);
  });
  after(async () => { await dropbox.stop(); await oauth.stop(); await looker.stop(); });
  beforeEach(() => { dropbox.failContent = []; dropbox.spaceLeft = Number.MAX_SAFE_INTEGER; });

  const post = (route: string, body: Record<string, unknown>) => request(hub.app).post(`/actions/dropbox/${route}`)
    .set("Authorization", authHeader()).set(LOOKER_HEADERS).send(body);
  const loggedIn = (expiresInMs = 3_600_000) => {
    const tokens = oauth.issue();
    return { ...tokens, state: storedStateFor(new Sealer(TEST_SECRET), "dropbox",
      { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + expiresInMs }) };
  };
  const pushAs = (webhookId: string, state: string, formParams: Record<string, string>) =>
    request(hub.app).post("/actions/dropbox/execute").set("Authorization", authHeader())
      .set({ ...LOOKER_HEADERS, "X-Looker-Webhook-Id": webhookId })
      .send({ type: "query", scheduled_plan: PLAN, data: { state_json: state }, form_params: formParams,
        attachment: { mimetype: "text/csv", extension: "csv", data: CSV } });
  const push = (state: string, formParams: Record<string, string>, attachment?: Record<string, unknown>) =>
    post("execute", { type: "query", scheduled_plan: PLAN, data: { state_json: state }, form_params: formParams,
      attachment: attachment ?? { mimetype: "text/csv", extension: "csv", data: CSV } });

  // Official: "returns an oauth form on bad login" (the login field), "returns correct redirect url"
  // (response_type=code, client_id, redirect_uri, force_reapprove=true, state; offline access added here)
  // and "correctly handles redirect from authorization server".
  it("logs in with OAuth v1 (no token_url) through Dropbox's token endpoint, offline access", async () => {
    const def = (await request(hub.app).post("/actions/dropbox").set("Authorization", authHeader())).body;
    expect(def).to.include({ name: "dropbox", uses_oauth: true });
    expect(def).to.not.have.property("token_url");
    const form = await post("form", { data: { state_url: looker.stateUrl("dbx"),
      state_redir_url: looker.stateRedirUrl("ignored") } });
    expect(form.body.fields[0]).to.include({ name: "login", type: "oauth_link" });
    const start = await request(hub.app).get(new URL(form.body.fields[0].oauth_url).pathname +
      new URL(form.body.fields[0].oauth_url).search);
    const authorize = new URL(start.headers.location);
    expect(Object.fromEntries(authorize.searchParams)).to.include({ token_access_type: "offline",
      force_reapprove: "true", redirect_uri: "https://hub.example.test/actions/dropbox/oauth_redirect",
      response_type: "code", client_id: oauth.clientId });
    expect(authorize.searchParams.get("state")).to.be.a("string").and.not.equal("");
    const back = new URL(oauth.consent(start.headers.location));
    const done = await request(hub.app).get(back.pathname + back.search);
    expect(done.text).to.include("You are logged in to Dropbox");
    const stored = looker.stored.get("dbx")!;
    expect(JSON.parse(stored).sealed).to.match(/^lis1\./);
    const listed = await post("form", { data: { state_json: stored } });
    expect(listed.body.fields.map((f: any) => f.name)).to.deep.equal(["directory", "filename", "includeTimestamp"]);
  });

  // Official: "returns correct fields on oauth success" (every folder here, not only the top level).
  it("form: every folder of the Dropbox, all pages, with the user's token", async () => {
    const user = loggedIn();
    const before = dropbox.requests.length;
    const form = await post("form", { data: { state_json: user.state } });
    const directory = form.body.fields[0];
    expect(directory).to.include({ name: "directory", type: "select", default: "__root", required: true });
    expect(directory.options.map((o: any) => o.name)).to.deep.equal(
      ["__root", "Archive", "Café", "Reports", "Reports/Weekly"]);
    const asked = dropbox.requests.slice(before);
    expect(asked.map((r) => r.path)).to.deep.equal(
      ["/2/files/list_folder", "/2/files/list_folder/continue", "/2/files/list_folder/continue"]);
    expect(asked[0].json).to.deep.include({ path: "", recursive: true });
    expect(asked.every((r) => r.bearer === user.accessToken)).to.equal(true);
    expect(form.body.fields[2].options.map((o: any) => o.name)).to.deep.equal(["no", "yes"]);
  });

  it("uploads a small file with files/upload to the chosen folder, name with the extension", async () => {
    const user = loggedIn();
    const res = await push(user.state, { directory: "Café", filename: "Umsätze", includeTimestamp: "no" });
    expect(res.body.looker).to.include({ success: true, message: "Wrote 37 bytes to Dropbox: /Café/Umsätze.csv." });
    const upload = dropbox.requests.filter((r) => r.path === "/2/files/upload").pop()!;
    expect(upload.arg).to.deep.equal({ path: "/Café/Umsätze.csv", mode: "add", autorename: false, mute: false });
    expect(upload.bearer).to.equal(user.accessToken);
    expect(dropbox.files.get("/café/umsätze.csv")!.bytes!.toString()).to.equal(CSV);
    expect(headerJson({ p: "é" })).to.equal("{\"p\":\"\\u00e9\"}");
  });

  it("includeTimestamp adds the delivery's stamp right after the name: from the webhook id, else the time", async () => {
    const user = loggedIn();
    const res = await push(user.state, { directory: "__root", filename: "orders", includeTimestamp: "yes" });
    const stamp = deliveryStamp(new ActionRequest({ webhookId: LOOKER_HEADERS["X-Looker-Webhook-Id"] } as any));
    expect(res.body.looker.message).to.equal(`Wrote 37 bytes to Dropbox: /orders${stamp}.csv.`);
    const before = Date.now();
    const unnamed = await pushAs("", user.state, { directory: "__root", filename: "orders", includeTimestamp: "yes" });
    const match = /^Wrote 37 bytes to Dropbox: \/orders(\d{13})\.csv\.$/.exec(unnamed.body.looker.message)!;
    expect(Number(match[1]), "without a webhook id: epoch ms, as the official hub").to.be.within(before, Date.now());
  });

  // docs/exactly_once.md: the same delivery sent again finds the file it wrote; another delivery writes its own.
  it("includeTimestamp: a re-sent delivery (same webhook id) leaves Dropbox as one send did and answers done", async () => {
    const user = loggedIn();
    const form = { directory: "__root", filename: "resend", includeTimestamp: "yes" };
    expect((await pushAs("wh-dbx-1", user.state, form)).body.looker.success).to.equal(true);
    const files = () => [...dropbox.files.keys()].filter((k) => k.startsWith("/resend")).sort();
    const once = files();
    expect(once).to.have.length(1);
    const again = await pushAs("wh-dbx-1", user.state, form);
    expect(again.body.looker.success).to.equal(true);
    expect(again.body.looker.message).to.match(/^Dropbox: \/resend\d{13}\.csv was already written by this delivery/);
    expect(files()).to.deep.equal(once);
    await pushAs("wh-dbx-2", user.state, form);
    expect(files(), "another delivery, another file").to.have.length(2);
  });

  it("a typed {timestamp}: the delivery's stamp, so a re-send leaves Dropbox as one send did and answers done", async () => {
    const user = loggedIn();
    const form = { directory: "__root", filename: "typed_{timestamp}", includeTimestamp: "no" };
    expect((await pushAs("wh-dbx-t1", user.state, form)).body.looker.success).to.equal(true);
    const files = () => [...dropbox.files.keys()].filter((k) => k.startsWith("/typed_")).sort();
    const once = files();
    expect(once).to.deep.equal([`/typed_${deliveryStamp(new ActionRequest({ webhookId: "wh-dbx-t1" } as any))}.csv`]);
    const again = await pushAs("wh-dbx-t1", user.state, form);
    expect(again.body.looker.message).to.match(/^Dropbox: \/typed_\d{13}\.csv was already written by this delivery/);
    expect(files()).to.deep.equal(once);
    await pushAs("wh-dbx-t2", user.state, form);
    expect(files(), "another delivery, another file").to.have.length(2);
  });

  // Official (src/actions/dropbox/test_dropbox.ts): "successfully interprets execute request params": the path
  // is /<directory>/<filename>.<extension>, the extension always added (a typed "report.csv" gave
  // report.csv.csv there, and does here, so a moved schedule writes the same file).
  it("writes /<directory>/<filename>.<extension> as the official hub did", async () => {
    const user = loggedIn();
    const res = await push(user.state, { directory: "stubSuggestedDirectory", filename: "stubSuggestedFilename" });
    expect(res.body.looker.success).to.equal(true);
    const upload = dropbox.requests.filter((r) => r.path === "/2/files/upload").pop()!;
    expect(upload.arg.path).to.equal("/stubSuggestedDirectory/stubSuggestedFilename.csv");
    expect(dropbox.files.get("/stubsuggesteddirectory/stubsuggestedfilename.csv")!.bytes!.toString()).to.equal(CSV);
    const typed = await push(user.state, { directory: "__root", filename: "report.csv" });
    expect(typed.body.looker.message).to.equal("Wrote 37 bytes to Dropbox: /report.csv.csv.");
  });

  // Official: "sets state to reset if error in fileUpload" (there any refused upload dropped the login; here
  // a refusal about the file keeps it, and only a login Dropbox refuses is reset: see the README).
  it("a refused upload fails the delivery; the login is kept unless Dropbox refused it", async () => {
    const user = loggedIn();
    await push(user.state, { directory: "Kept", filename: "twice" });
    const again = await push(user.state, { directory: "Kept", filename: "twice" });
    expect(again.body.looker.success).to.equal(false);
    expect(again.body.looker.state).to.equal(undefined);
  });

  it("streams a large file through an upload session, and carries on after a lost answer", async () => {
    const user = loggedIn();
    const data = crypto.randomBytes(5 * CHUNK + 99);
    dropbox.failContent = [500, "reset"];
    const before = dropbox.requests.length;
    const res = await post("execute", { type: "dashboard", data: { state_json: user.state },
      form_params: { directory: "Reports/Weekly", filename: "Board", includeTimestamp: "no" },
      attachment: { mimetype: "application/pdf;base64", extension: "pdf", data: data.toString("base64") } });
    expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
    const file = dropbox.files.get("/reports/weekly/board.pdf")!;
    expect(file.size).to.equal(data.length);
    expect(file.sha256).to.equal(crypto.createHash("sha256").update(data).digest("hex"));
    const routes = dropbox.requests.slice(before).map((r) => r.path.replace("/2/", ""));
    expect(routes[0]).to.equal("users/get_current_account");
    expect(routes).to.include.members(["upload_session/start", "upload_session/append_v2", "upload_session/finish"]);
    expect(Math.max(...dropbox.requests.slice(before).map((r) => r.bytes))).to.be.at.most(CHUNK);
  });

  it("says what Dropbox refused: a name taken, a full Dropbox, a bad name", async () => {
    const user = loggedIn();
    await push(user.state, { directory: "Archive", filename: "same", includeTimestamp: "no" });
    const taken = await push(user.state, { directory: "Archive", filename: "same", includeTimestamp: "no" });
    expect(taken.body.looker.success).to.equal(false);
    expect(taken.body.looker.message).to.match(/Dropbox already has \/Archive\/same.csv.*Include timestamp/);
    dropbox.spaceLeft = 10;
    const full = await push(user.state, { directory: "Archive", filename: "big", includeTimestamp: "no" });
    expect(full.body.looker.message).to.match(/Your Dropbox is full/);
    const escape = await push(user.state, { directory: "../x", filename: "a", includeTimestamp: "no" });
    expect(escape.body.looker.validation_errors).to.have.property("directory");
  });

  it("refreshes an expired access token, and asks to log in again once the refresh token is revoked", async () => {
    const user = loggedIn(1000);
    const ok = await push(user.state, { filename: "fresh", includeTimestamp: "no" });
    expect(ok.body.looker.success, JSON.stringify(ok.body)).to.equal(true);
    expect(ok.body.looker.state.data).to.match(/sealed/);
    expect(oauth.tokenRequests.pop()!.fields)
      .to.include({ grant_type: "refresh_token", refresh_token: user.refreshToken });
    oauth.revokeAll();
    const revoked = await push(ok.body.looker.state.data, { filename: "again", includeTimestamp: "no" });
    expect(revoked.body.looker.success).to.equal(false);
    expect(revoked.body.looker.message).to.match(/Dropbox no longer accepts your login.*log in to Dropbox again/);
    expect(revoked.body.looker.state).to.deep.equal({ data: "reset" });
  });

  it("reads the official hub's stored {access_token} and re-seals it", async () => {
    const { accessToken } = oauth.issue();
    const form = await post("form", { data: { state_json: JSON.stringify({ access_token: accessToken }) } });
    expect(form.body.fields[0].name).to.equal("directory");
    expect(JSON.parse(form.body.state.data).sealed).to.match(/^lis1\./);
  });

  it("oauth_check lists the root with the stored login", async () => {
    const user = loggedIn();
    expect((await post("oauth_check", { data: { state_json: user.state } })).body).to.equal(true);
    expect((await post("oauth_check", { data: { state_json: "reset" } })).body).to.equal(false);
  });
});
