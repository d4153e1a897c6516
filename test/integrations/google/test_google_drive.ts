// google_drive through the real app against fake Google (token endpoint, Drive API, uploads).
import { expect } from "chai";
import * as crypto from "crypto";
import request from "supertest";
import { GoogleDriveIntegration } from "../../../src/integrations/google_drive/google_drive";
import { startDownloadServer } from "../../fakes/download_server";
import { FakeGoogle } from "../../fakes/google_api";
import { FakeOAuthServer } from "../../fakes/oauth_server";
import { PLAN } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";
import { GoogleHub, googleFakes, googleHub, loggedIn } from "./google_setup";

const CSV = "Month,Orders\n2017-07,773\n2017-06,922\n";
const SMALL_CHUNK = 256 * 1024;

describe("google_drive", () => {
  let oauth: FakeOAuthServer;
  let google: FakeGoogle;
  let env: Record<string, string>;
  let drive: GoogleHub;

  before(async () => {
    ({ oauth, google, env } = await googleFakes());
    drive = googleHub((config) => [new GoogleDriveIntegration(config.google, testHttpClient(env), SMALL_CHUNK)], env);
  });
  beforeEach(() => { google.failChunks = []; google.storageFull = false; });

  const uploads = () => google.requests.filter((r) => r.path.startsWith("/upload/drive/v3/files"));
  // Each execute is another delivery (its own webhook id): the same id again is a re-send, which finds
  // the file it saved (test/exactly_once/test_google_drive_resend.ts).
  let deliveries = 0;
  const execute = (body: Record<string, unknown>) => drive.post("/actions/google_drive/execute", body)
    .set("X-Looker-Webhook-Id", `wh-drive-test-${++deliveries}`);
  const csvPush = (state: string, formParams: Record<string, string> = {}, params: Record<string, string> = {}) =>
    execute({ type: "query", scheduled_plan: PLAN, data: { state_json: state, ...params },
      form_params: { filename: "orders.csv", ...formParams },
      attachment: { mimetype: "text/csv", extension: "csv", data: CSV } });

  it("is declared like the official hub's, with token_url, and is not listed without a client", async () => {
    const list = await drive.post("/", {});
    const def = list.body.integrations.find((i: any) => i.name === "google_drive");
    expect(def).to.include({ label: "Google Drive", uses_oauth: true,
      token_url: "https://hub.example.test/actions/google_drive/oauth_token" });
    expect(def.params.map((p: any) => p.name)).to.deep.equal(["domain_allowlist"]);
    expect(def.supported_download_settings).to.deep.equal(["push", "url"]);
    expect(def.supported_action_types).to.deep.equal(["query", "dashboard"]);
    const unset = googleHub((config) => [new GoogleDriveIntegration(config.google, testHttpClient())], {});
    expect((await unset.post("/", {})).body.integrations).to.deep.equal([]);
  });

  // Official: "returns an oauth form on bad login" and "does not blow up on bad state JSON and returns an
  // OAUTH form" (bad logins of every shape: test/hub/oauth).
  it("form without a login: Google's login field", async () => {
    const res = await drive.post("/actions/google_drive/form",
      { data: { state_redir_url: "https://looker.example.com/redir?t=1" } });
    expect(res.body.fields).to.have.length(1);
    expect(res.body.fields[0]).to.include({ name: "login", type: "oauth_link_google" });
    expect(res.body.fields[0].description).to.match(/not logged in to Google yet/);
  });

  // Official: "returns correct redirect url": Google's authorize URL with offline access, consent, the Drive
  // scope (the email scope added here), the code flow, the client and the hub's redirect.
  it("the login link leads to Google's authorize URL with the official parameters", async () => {
    const res = await drive.post("/actions/google_drive/form",
      { data: { state_redir_url: "https://looker.example.com/redir?t=1" } });
    const link = new URL(res.body.fields[0].oauth_url);
    const start = await request(drive.hub.app).get(link.pathname + link.search);
    const authorize = new URL(start.headers.location);
    expect(Object.fromEntries(authorize.searchParams)).to.include({ access_type: "offline", prompt: "consent",
      response_type: "code", client_id: drive.config.google.driveClient!.clientId,
      redirect_uri: "https://hub.example.test/actions/google_drive/oauth_redirect" });
    expect(authorize.searchParams.get("scope")!.split(" ")).to.include("https://www.googleapis.com/auth/drive");
    expect(authorize.searchParams.get("state")).to.be.a("string").and.not.equal("");
  });

  // Official: "returns correct fields on oauth success".
  it("form: every shared drive and every folder of the chosen drive, all pages, with the user's token", async () => {
    const user = loggedIn(oauth, "google_drive");
    const before = google.requests.length;
    const res = await drive.post("/actions/google_drive/form", { data: { state_json: user.state } });
    const byName = Object.fromEntries(res.body.fields.map((f: any) => [f.name, f]));
    expect(Object.keys(byName)).to.deep.equal(["drive", "folder", "folderid", "filename"]);
    expect(byName.drive.options.map((o: any) => o.label)).to.deep.equal(["My Drive", "Sales", "Finance", "Ops"]);
    expect(byName.drive).to.include({ interactive: true, default: "mydrive" });
    expect(byName.folder.options.map((o: any) => o.name)).to.deep.equal(
      ["root", "1FolderReports0001", "1FolderArchive0001", "1FolderWeekly00001"]);
    const asked = google.requests.slice(before);
    expect(asked.every((r) => r.bearer === user.accessToken)).to.equal(true);
    expect(asked.filter((r) => r.path === "/drive/v3/drives")).to.have.length(2);
    expect(asked.filter((r) => r.path === "/drive/v3/files").map((r) => r.query.corpora)).to.deep.equal(
      ["user", "user"]);

    const sales = await drive.post("/actions/google_drive/form",
      { data: { state_json: user.state }, form_params: { drive: "0ASalesDrive00001" } });
    const folder = sales.body.fields.find((f: any) => f.name === "folder");
    expect(folder.options.map((o: any) => o.name)).to.deep.equal(["root", "1FolderSalesDeals01"]);
    const last = google.requests[google.requests.length - 1];
    expect(last.query).to.include({ corpora: "drive", driveId: "0ASalesDrive00001", supportsAllDrives: "true" });
  });

  // Official (src/actions/google/drive/test_google_drive.ts): "successfully interprets execute request params":
  // the typed name as typed, the chosen folder as parent, the bytes.
  it("uploads under the typed name exactly, no extension added", async () => {
    const user = loggedIn(oauth, "google_drive");
    const res = await csvPush(user.state, { filename: "stubSuggestedFilename", folder: "1FolderReports0001" });
    expect(res.body.looker.success).to.equal(true);
    const file = [...google.files.values()].pop()!;
    expect(file).to.include({ name: "stubSuggestedFilename" });
    expect(file.parents).to.deep.equal(["1FolderReports0001"]);
    expect(file.bytes!.toString()).to.equal(CSV);
  });

  it("uploads a CSV push to My Drive with the user's token, the name and MIME type of the format", async () => {
    const user = loggedIn(oauth, "google_drive");
    const res = await csvPush(user.state);
    expect(res.body.looker).to.include({ success: true, message: "Wrote 37 bytes to \"orders.csv\" in Google Drive " +
      "(My Drive)." });
    const file = [...google.files.values()].pop()!;
    expect(file).to.include({ name: "orders.csv", mimeType: "text/csv; charset=utf-8", size: CSV.length });
    expect(file.parents).to.deep.equal(["root"]);
    expect(file.bytes!.toString()).to.equal(CSV);
    const [open, put] = uploads().slice(-2);
    expect(open.query).to.include({ uploadType: "resumable", supportsAllDrives: "true" });
    expect(open.bearer).to.equal(user.accessToken);
    expect(put.bearer).to.equal(user.accessToken);
    expect(put.contentRange).to.equal(`bytes 0-${CSV.length - 1}/${CSV.length}`);
  });

  it("uploads into a shared drive's folder, or a pasted folder URL (which wins)", async () => {
    const user = loggedIn(oauth, "google_drive");
    await csvPush(user.state, { drive: "0ASalesDrive00001", folder: "1FolderSalesDeals01" });
    expect([...google.files.values()].pop()!.parents).to.deep.equal(["1FolderSalesDeals01"]);
    await csvPush(user.state, { folder: "1FolderReports0001",
      folderid: "https://drive.google.com/drive/u/0/folders/1FolderWeekly00001?usp=sharing" });
    expect([...google.files.values()].pop()!.parents).to.deep.equal(["1FolderWeekly00001"]);
    const bad = await csvPush(user.state, { folderid: "https://example.com/nope" });
    expect(bad.body.looker.success).to.equal(false);
    expect(bad.body.looker.validation_errors).to.have.property("folderid");
  });

  it("streams a large delivery in 256 KiB chunks and resumes after a dropped connection and a 503", async () => {
    const user = loggedIn(oauth, "google_drive");
    const data = crypto.randomBytes(5 * SMALL_CHUNK + 1234);
    google.failChunks = ["reset", 503];
    const before = uploads().length;
    const res = await execute({ type: "dashboard", data: { state_json: user.state }, form_params: { filename: "Board.pdf" },
      attachment: { mimetype: "application/pdf;base64", extension: "pdf", data: data.toString("base64") } });
    expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
    const file = [...google.files.values()].pop()!;
    expect(file).to.include({ name: "Board.pdf", mimeType: "application/pdf", size: data.length });
    expect(file.sha256).to.equal(crypto.createHash("sha256").update(data).digest("hex"));
    const puts = uploads().slice(before).filter((r) => r.method === "PUT");
    expect(puts.some((r) => /^bytes \*\/\*$/.test(r.contentRange ?? ""))).to.equal(true);
    expect(puts.length).to.be.greaterThan(6);
  });

  it("uploads a url delivery (download_url) streamed", async () => {
    const user = loggedIn(oauth, "google_drive");
    const data = crypto.randomBytes(3 * SMALL_CHUNK);
    const download = await startDownloadServer((_req, res) => { res.writeHead(200).end(data); });
    try {
      const res = await execute({ type: "query", data: { state_json: user.state },
        scheduled_plan: { ...PLAN, download_url: `${download.url}/one-time` },
        form_params: { filename: "big.csv", format: "csv" } });
      expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
      const file = [...google.files.values()].pop()!;
      expect(file).to.include({ name: "big.csv", size: data.length });
      expect(file.sha256).to.equal(crypto.createHash("sha256").update(data).digest("hex"));
    } finally {
      await download.close();
    }
  });

  it("domain_allowlist refuses an account outside it before anything is uploaded, and clears the login", async () => {
    const user = loggedIn(oauth, "google_drive");
    const before = uploads().length;
    const refused = await csvPush(user.state, {}, { domain_allowlist: "corp.example, other.example" });
    expect(refused.body.looker.success).to.equal(false);
    expect(refused.body.looker.message).to.match(
      /account you logged in with is not in the domains your Looker admin allows for Google Drive \(corp.example, oth/);
    expect(refused.body.looker.state).to.deep.equal({ data: "reset" });
    expect(uploads().length).to.equal(before);
    const form = await drive.post("/actions/google_drive/form",
      { data: { state_json: user.state, domain_allowlist: "corp.example", state_url: "https://l.example/s" } });
    expect(form.body.fields[0].type).to.equal("oauth_link_google");
    expect(form.body.fields[0].description).to.match(/not in the domains/);
    const allowed = await csvPush(user.state, {}, { domain_allowlist: "example.com" });
    expect(allowed.body.looker.success).to.equal(true);
  });

  it("says what went wrong: folder gone, Drive full, not logged in", async () => {
    const user = loggedIn(oauth, "google_drive");
    const gone = await csvPush(user.state, { folder: "1FolderDeleted0001" });
    expect(gone.body.looker).to.include({ success: false });
    expect(gone.body.looker.message).to.match(/Google Drive could not find the folder/);
    google.storageFull = true;
    const full = await csvPush(user.state);
    expect(full.body.looker.message).to.match(/Your Google Drive storage is full/);
    const none = await csvPush("");
    expect(none.body.looker.message).to.match(/not logged in to Google yet.*log in to Google again/);
  });

  it("refreshes an expired login at Google's token endpoint and returns the new state", async () => {
    const user = loggedIn(oauth, "google_drive", 10_000);
    const before = oauth.tokenRequests.length;
    const res = await csvPush(user.state);
    expect(res.body.looker.success).to.equal(true);
    expect(oauth.tokenRequests.slice(before).map((r) => r.fields)).to.deep.equal([{
      grant_type: "refresh_token", refresh_token: user.refreshToken, client_id: oauth.clientId,
      client_secret: oauth.clientSecret }]);
    expect(uploads().pop()!.bearer).to.not.equal(user.accessToken);
    expect(JSON.parse(res.body.looker.state.data).sealed).to.match(/^lis1\./);
  });

  it("oauth_check lists drives with the stored login", async () => {
    const user = loggedIn(oauth, "google_drive");
    expect((await drive.post("/actions/google_drive/oauth_check", { data: { state_json: user.state } })).body)
      .to.equal(true);
  });
});
