// The official hub's Google Sheets cases (looker-open-source/actions src/actions/google/drive/sheets/
// test_google_sheets.ts), replayed through the real app against fake Google. Each `it` names the
// official one. Its "flush" and "flushRetry" cases test its own retry loop: see the README.
import { expect } from "chai";
import { GoogleSheetsIntegration } from "../../../src/integrations/google_sheets/google_sheets";
import { FakeGoogle, SPREADSHEET } from "../../fakes/google_api";
import { FakeOAuthServer } from "../../fakes/oauth_server";
import { PLAN } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";
import { GoogleHub, googleFakes, googleHub, loggedIn } from "./google_setup";

describe("google_sheets: the official hub's test cases", () => {
  let oauth: FakeOAuthServer;
  let google: FakeGoogle;
  let sheets: GoogleHub;

  before(async () => {
    let env: Record<string, string>;
    ({ oauth, google, env } = await googleFakes());
    sheets = googleHub((config) => [new GoogleSheetsIntegration(config.google, testHttpClient(env))], env);
  });
  beforeEach(() => { google.sheets.throttle = 0; });

  const execute = (formParams: Record<string, string>, csv: string) =>
    sheets.post("/actions/google_sheets/execute", { type: "query", scheduled_plan: PLAN,
      data: { state_json: loggedIn(oauth, "google_sheets").state }, form_params: formParams,
      attachment: { mimetype: "text/csv", extension: "csv", data: csv } });
  const named = (name: string) => [...google.files.values()]
    .filter((f) => f.name === name && f.mimeType === SPREADSHEET);
  const existing = (id: string, name: string) => {
    google.addFile({ id, name, mimeType: SPREADSHEET, parents: ["root"], size: 0, sha256: "" });
    google.sheets.create(id, name, [{ title: "Sheet1", rowCount: 5, columnCount: 3, rows: [["old"]] }]);
  };

  // "successfully interprets execute request params" (no overwrite field: a new spreadsheet in the folder)
  it("a schedule without overwrite makes a new spreadsheet named as typed, in its folder", async () => {
    existing("1OfficialSheet0001", "stubSuggestedFilename.csv");
    const res = await execute({ filename: "stubSuggestedFilename", folder: "1FolderReports0001" }, "Hello\n");
    expect(res.body.looker.success).to.equal(true);
    const made = named("stubSuggestedFilename.csv").filter((f) => f.id !== "1OfficialSheet0001");
    expect(made).to.have.length(1);
    expect(made[0].parents).to.deep.equal(["1FolderReports0001"]);
    expect(google.sheets.values(made[0].id)).to.deep.equal([["Hello"]]);
    expect(google.sheets.values("1OfficialSheet0001")).to.deep.equal([["old"]]);
  });

  // "uses sheets overwrite code if overwrite is true and a file exists"
  it("overwrite yes with a spreadsheet of that name: its first sheet is cleared and gets the rows", async () => {
    existing("1OfficialSheet0002", "random_sheet.csv");
    const res = await execute({ overwrite: "yes", filename: "random_sheet", folder: "root" }, "a,b,c\n1,2,3");
    expect(res.body.looker.success).to.equal(true);
    expect(google.sheets.values("1OfficialSheet0002")).to.deep.equal([["a", "b", "c"], ["1", "2", "3"]]);
    expect(named("random_sheet.csv")).to.have.length(1);
  });

  // "uses will correctly sanitize values for csv uploads" (quotes inside quoted cells)
  it("quoted cells and doubled quotes arrive as their values", async () => {
    existing("1OfficialSheet0003", "quoted.csv");
    const res = await execute({ overwrite: "yes", filename: "quoted", folder: "root" },
      "\"a\",\"b\",\"lol\"\"\",\"c\"\n1,2,3,4");
    expect(res.body.looker.success).to.equal(true);
    expect(google.sheets.values("1OfficialSheet0003")).to.deep.equal([["a", "b", "lol\"", "c"], ["1", "2", "3", "4"]]);
  });

  // "uses senddata if overwrite is false" (any value but yes makes a new spreadsheet)
  it("overwrite false leaves the spreadsheet of that name and makes a new one", async () => {
    existing("1OfficialSheet0004", "kept.csv");
    const res = await execute({ overwrite: "false", filename: "kept", folder: "root" }, "a,b,c\n1,2,3");
    expect(res.body.looker.success).to.equal(true);
    expect(named("kept.csv")).to.have.length(2);
    expect(google.sheets.values("1OfficialSheet0004")).to.deep.equal([["old"]]);
  });

  // "uses sheets overwrite code if overwrite is true but the file does not exist"
  it("overwrite yes without a spreadsheet of that name makes one", async () => {
    const res = await execute({ overwrite: "yes", filename: "fresh", folder: "root" }, "a,b,c\n1,2,3");
    expect(res.body.looker.success).to.equal(true);
    const [made] = named("fresh.csv");
    expect(google.sheets.values(made.id)).to.deep.equal([["a", "b", "c"], ["1", "2", "3"]]);
  });

  // flush: "will retry if a 429 code is received" (here always, GOOGLE_SHEET_RETRY or not)
  it("a 429 from Sheets is waited out and the rows still arrive", async () => {
    google.sheets.throttle = 2;
    const res = await execute({ overwrite: "no", filename: "throttled", folder: "root" }, "a\n1");
    expect(res.body.looker.success).to.equal(true);
    expect(google.sheets.values(named("throttled.csv")[0].id)).to.deep.equal([["a"], ["1"]]);
  });
});
