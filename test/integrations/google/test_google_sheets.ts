// google_sheets through the real app against fake Google (Drive to find and make spreadsheets,
// the Sheets API to size grids and write values).
import { expect } from "chai";
import { checkCells, GoogleSheetsIntegration } from "../../../src/integrations/google_sheets/google_sheets";
import { UserError } from "../../../src/lib/errors";
import { FakeGoogle, SPREADSHEET } from "../../fakes/google_api";
import { FakeOAuthServer } from "../../fakes/oauth_server";
import { PLAN } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";
import { GoogleHub, googleFakes, googleHub, loggedIn } from "./google_setup";

const CSV = "Month,Orders,Note\n2017-07,773,\"a, b\"\n2017-06,922.5,=SUM(A1)\n";

describe("google_sheets", () => {
  let oauth: FakeOAuthServer;
  let google: FakeGoogle;
  let sheets: GoogleHub;
  let env: Record<string, string>;

  before(async () => {
    ({ oauth, google, env } = await googleFakes());
    sheets = googleHub((config) => [new GoogleSheetsIntegration(config.google, testHttpClient(env), 2)], env);
  });
  beforeEach(() => { google.sheets.throttle = 0; });

  const execute = (state: string, formParams: Record<string, string>, csv = CSV) =>
    sheets.post("/actions/google_sheets/execute", { type: "query", scheduled_plan: PLAN, data: { state_json: state },
      form_params: formParams, attachment: { mimetype: "text/csv", extension: "csv", data: csv } });
  const spreadsheetNamed = (name: string) => [...google.files.values()].filter((f) => f.name === name &&
    f.mimeType === SPREADSHEET);

  it("is declared like the official hub's: csv, query, token_url, Google's login", async () => {
    const def = (await sheets.post("/", {})).body.integrations[0];
    expect(def).to.include({ name: "google_sheets", uses_oauth: true,
      token_url: "https://hub.example.test/actions/google_sheets/oauth_token" });
    expect(def.supported_formats).to.deep.equal(["csv"]);
    expect(def.supported_action_types).to.deep.equal(["query"]);
    const login = await sheets.post("/actions/google_sheets/form", { data: { state_url: "https://l.example/s" } });
    expect(login.body.fields[0].type).to.equal("oauth_link_google");
  });

  it("form: the Drive fields and overwrite", async () => {
    const user = loggedIn(oauth, "google_sheets");
    const form = await sheets.post("/actions/google_sheets/form", { data: { state_json: user.state } });
    expect(form.body.fields.map((f: any) => f.name)).to.deep.equal(
      ["drive", "folder", "folderid", "filename", "overwrite"]);
    expect(form.body.fields[4]).to.include({ default: "yes", type: "select" });
  });

  it("makes a new spreadsheet in the folder, sizes the grid, and writes the rows in batches", async () => {
    const user = loggedIn(oauth, "google_sheets");
    const before = google.requests.length;
    const res = await execute(user.state, { filename: "Orders", folder: "1FolderReports0001", overwrite: "no" });
    expect(res.body.looker).to.include({ success: true,
      message: "Wrote \"Orders.csv\" in Google Sheets: 3 rows, 3 columns." });
    const [file] = spreadsheetNamed("Orders.csv");
    expect(file.parents).to.deep.equal(["1FolderReports0001"]);
    expect(google.sheets.values(file.id)).to.deep.equal(
      [["Month", "Orders", "Note"], ["2017-07", "773", "a, b"], ["2017-06", "922.5", "=SUM(A1)"]]);
    const asked = google.requests.slice(before);
    expect(asked.every((r) => r.bearer === user.accessToken)).to.equal(true);
    const writes = asked.filter((r) => r.method === "PUT");
    expect(writes.map((r) => decodeURIComponent(r.path.split("/values/")[1]))).to.deep.equal(
      ["'Sheet1'!A1", "'Sheet1'!A3"]);
    expect(writes[0].json.values[1]).to.deep.equal(["2017-07", 773, "a, b"]);
    expect(writes[0].query.valueInputOption).to.equal("RAW");
    const resize = asked.find((r) => r.path.endsWith(":batchUpdate"))!.json.requests;
    expect(resize).to.deep.equal([{ updateSheetProperties: { properties: { sheetId: 0,
      gridProperties: { rowCount: 3, columnCount: 3 } }, fields: "gridProperties(rowCount,columnCount)" } }]);
  });

  it("overwrite replaces the content of the spreadsheet of that name in the folder", async () => {
    const user = loggedIn(oauth, "google_sheets");
    google.addFile({ id: "1ExistingSheet0001", name: "Weekly.csv", mimeType: SPREADSHEET, parents: ["root"], size: 0,
      sha256: "" });
    google.sheets.create("1ExistingSheet0001", "Weekly.csv",
      [{ title: "Data", rowCount: 5000, columnCount: 30, rows: [["old", "stuff"], ["x"]] }]);
    const res = await execute(user.state, { filename: "Weekly", overwrite: "yes" });
    expect(res.body.looker.message)
      .to.equal("Replaced the content of \"Weekly.csv\" in Google Sheets: 3 rows, 3 columns.");
    expect(google.sheets.values("1ExistingSheet0001")[0]).to.deep.equal(["Month", "Orders", "Note"]);
    const sheet = google.sheets.spreadsheets.get("1ExistingSheet0001")!.sheets[0];
    expect(sheet).to.include({ rowCount: 3, columnCount: 3 });
    expect(spreadsheetNamed("Weekly.csv")).to.have.length(1);
    const again = await execute(user.state, { filename: "Weekly", overwrite: "no" });
    expect(again.body.looker.success).to.equal(true);
    expect(spreadsheetNamed("Weekly.csv")).to.have.length(2);
  });

  it("waits out Sheets' quota answers (429) and retries", async () => {
    const user = loggedIn(oauth, "google_sheets");
    google.sheets.throttle = 2;
    const res = await execute(user.state, { filename: "Throttled", overwrite: "no" });
    expect(res.body.looker.success, JSON.stringify(res.body)).to.equal(true);
    const [file] = spreadsheetNamed("Throttled.csv");
    expect(google.sheets.values(file.id)).to.have.length(3);
  });

  it("refuses a result over the cell limit before anything is written, saying how many it needs", async () => {
    const user = loggedIn(oauth, "google_sheets");
    const small = googleHub((config) => [new GoogleSheetsIntegration(config.google, testHttpClient(env), 2, 100)], env);
    const csv = `a,b,c,d\n${"1,2,3,4\n".repeat(25)}`;
    const before = google.requests.length;
    const res = await small.post("/actions/google_sheets/execute", { type: "query", data: { state_json: user.state },
      form_params: { filename: "Huge" }, attachment: { mimetype: "text/csv", extension: "csv", data: csv } });
    expect(res.body.looker.success).to.equal(false);
    expect(res.body.looker.message).to.match(/26 rows and 4 columns, which needs 104 cells.*at most 100\. Nothing was/);
    expect(google.requests.length).to.equal(before);
    expect(() => checkCells(10_001_000, { rows: 10_001, columns: 1000 })).to.throw(UserError,
      /10,001 rows and 1000 columns, which needs 10,001,000 cells; a Google Sheets spreadsheet holds at most 10,000,0/);
    expect(() => checkCells(10_000_000, { rows: 10_000, columns: 1000 })).to.not.throw();
  });

  it("counts the other sheets of a spreadsheet it overwrites against the limit", async () => {
    const user = loggedIn(oauth, "google_sheets");
    google.addFile({ id: "1FullSheet00000001", name: "Full.csv", mimeType: SPREADSHEET, parents: ["root"], size: 0,
      sha256: "" });
    google.sheets.create("1FullSheet00000001", "Full.csv",
      [{ title: "Data" }, { title: "Big", rowCount: 500_000, columnCount: 20 }]);
    const res = await execute(user.state, { filename: "Full", overwrite: "yes" });
    expect(res.body.looker.message).to.match(/needs 10,000,009 cells/);
    expect(google.sheets.values("1FullSheet00000001")).to.deep.equal([]);
  });

  it("asks to log in when there is no login", async () => {
    const res = await execute("", { filename: "x" });
    expect(res.body.looker.message).to.match(/not logged in to Google yet/);
  });
});
