// snowflake through the real app against a fake of Snowflake's SQL API v2 (test/fakes/snowflake_api.ts):
// key-pair JWT auth, batched binds into a transient table, the one-step finish of each write mode.
import { expect } from "chai";
import * as crypto from "crypto";
import * as jwt from "jsonwebtoken";
import { allIntegrations } from "../../../src/integrations";
import { FakeSnowflake } from "../../fakes/snowflake_api";
import request from "supertest";
import { authHeader, buildTestApp, TestApp, testConfig } from "../../helpers/app";
import { execute, form } from "../../helpers/execute";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";
import { Cells, detailFields, streamedDelivery, warehousePush } from "../../helpers/warehouse";

const FIELDS = detailFields([["orders.id", "number"], ["orders.status", "string"], ["orders.created_date", "date_date"],
  ["orders.created_time", "date_time"], ["orders.is_paid", "yesno"]], [["orders.count", "count"]]);
const ROWS: Cells[] = [
  { "orders.id": 1, "orders.status": "it's \"shipped\"; DROP TABLE x", "orders.created_date": "2024-03-01",
    "orders.created_time": "2024-03-01 10:11:12", "orders.is_paid": "Yes", "orders.count": 3 },
  { "orders.id": 2.5, "orders.status": null, "orders.created_date": null, "orders.created_time": null,
    "orders.is_paid": "No", "orders.count": "7" },
];

describe("snowflake (a fake of the SQL API v2)", function () {
  this.timeout(60_000);
  let sf: FakeSnowflake;
  let hub: TestApp;
  let n = 0;
  const table = () => `ORDERS_${++n}`;
  const data = (extra: Record<string, string> = {}) => ({ account: "testorg-testaccount", user: "looker_hub",
    private_key: sf.privateKeyPem, warehouse: "LOOKER_WH", database: "ANALYTICS", schema: "PUBLIC", role: "LOADER",
    ...extra });
  const app = (env: Record<string, string> = {}) => {
    const all = { ...FAST_HTTP_ENV, SNOWFLAKE_API_URL: sf.apiUrlTemplate, ...env };
    return buildTestApp(allIntegrations(testConfig(all), testHttpClient(all)).filter((i) => i.name === "snowflake"), all);
  };

  before(async () => {
    sf = await new FakeSnowflake().start();
    hub = app();
  });
  after(() => sf?.stop());
  beforeEach(() => { sf.runningGets = 0; });

  it("offers a form with the table and the write mode", async () => {
    const answer = await form(hub.app, "snowflake", { data: data() });
    expect(answer.fields.map((f: any) => f.name)).to.deep.equal(["table", "write"]);
  });

  it("creates the table: a key-pair JWT on every request, binds into a transient table, then one transaction", async () => {
    const name = table();
    const before = sf.requests.length;
    const answer = await execute(hub.app, "snowflake", warehousePush(FIELDS, ROWS, data(),
      { table: name.toLowerCase(), write: "create" }));
    expect(answer.looker).to.include({ success: true, message: `Wrote 2 rows to "${name}" in Snowflake (appended).` });
    const target = sf.table(`ANALYTICS.PUBLIC.${name}`)!;
    expect(target.columns.map((c) => `${c.name} ${c.type}`)).to.deep.equal(["ORDERS_ID FLOAT", "ORDERS_STATUS VARCHAR",
      "ORDERS_CREATED_DATE DATE", "ORDERS_CREATED_TIME TIMESTAMP_NTZ", "ORDERS_IS_PAID BOOLEAN",
      "ORDERS_COUNT NUMBER(38,0)"]);
    expect(target.rows).to.deep.equal([[1, "it's \"shipped\"; DROP TABLE x", "2024-03-01", "2024-03-01 10:11:12", true, 3],
      [2.5, null, null, null, false, 7]]);
    const sent = sf.requests.slice(before);
    expect(sent).to.have.length(4);
    expect(sent[0].body.statement).to.match(/^CREATE TRANSIENT TABLE "LOOKER_LOAD_[0-9A-F]{16}" \("ORDERS_ID" FLOAT, /);
    expect(sent[1].body.statement).to.match(/^INSERT INTO "LOOKER_LOAD_[0-9A-F]{16}" \("ORDERS_ID", .*\) VALUES \(\?, \?, \?, \?, \?, \?\), \(\?, \?, \?, \?, \?, \?\)$/);
    expect(sent[1].body.bindings["2"]).to.deep.equal({ type: "TEXT", value: "it's \"shipped\"; DROP TABLE x" });
    expect(sent[1].body.bindings["6"]).to.deep.equal({ type: "FIXED", value: "3" });
    expect(sent[1].body.bindings["8"]).to.deep.equal({ type: "TEXT", value: null });
    expect(sent[2].body.parameters).to.deep.equal({ MULTI_STATEMENT_COUNT: "4" });
    expect(sent[2].body.statement.split(";\n").map((s: string) => s.split(" (")[0])).to.deep.equal([
      `CREATE TABLE IF NOT EXISTS "${name}"`, "BEGIN", `INSERT INTO "${name}"`, "COMMIT"]);
    expect(sent[3].body.statement).to.match(/^DROP TABLE IF EXISTS "LOOKER_LOAD_/);
    expect(sent[0].body).to.include({ warehouse: "LOOKER_WH", database: "ANALYTICS", schema: "PUBLIC", role: "LOADER" });
    const claims = jwt.decode(String(sent[0].headers.authorization).replace("Bearer ", "")) as jwt.JwtPayload;
    expect(claims.sub).to.equal("TESTORG-TESTACCOUNT.LOOKER_HUB");
    expect(sent[0].headers["x-snowflake-authorization-token-type"]).to.equal("KEYPAIR_JWT");
    expect([...sf.tables.keys()].filter((k) => k.includes("LOOKER_LOAD_"))).to.deep.equal([]);
  });

  it("replace swaps the loaded table in; a quoted name is kept exactly", async () => {
    const name = "Mixed Case \"Orders\"";
    const typed = `public."${name.replace(/"/g, "\"\"")}"`;
    for (const write of ["create", "replace"]) {
      const answer = await execute(hub.app, "snowflake", warehousePush(FIELDS, ROWS.slice(0, write === "create" ? 2 : 1),
        data(), { table: typed, write }));
      expect(answer.looker.success, answer.looker.message).to.equal(true);
    }
    expect(sf.table(`ANALYTICS.PUBLIC.${name}`)!.rows).to.have.length(1);
    expect(sf.requests[sf.requests.length - 2].body.statement).to.match(/ALTER TABLE "PUBLIC"."Mixed Case ""Orders""" SWAP WITH /);
  });

  it("append to a missing table: a clear message, nothing left behind", async () => {
    const name = table();
    const answer = await execute(hub.app, "snowflake", warehousePush(FIELDS, ROWS, data(), { table: name, write: "append" }));
    expect(answer.looker).to.include({ success: false, message: `Snowflake has no table "${name}" the role can see ` +
      `(SQL compilation error: Table '${name}' does not exist or not authorized.). Create it, or pick "Create if ` +
      "missing\" or \"Replace\" in the form's Write. Nothing was written: the table is as it was." });
    expect([...sf.tables.keys()].filter((k) => k.includes("LOOKER_LOAD_"))).to.deep.equal([]);
  });

  it("a value the table's column refuses: Snowflake's words for Looker, not the log; nothing appended", async () => {
    const name = table();
    sf.tables.set(`ANALYTICS.PUBLIC.${name}`, { columns: [{ name: "ORDERS_STATUS", type: "NUMBER(38,0)" }], rows: [[1]],
      transient: false });
    const fields = detailFields([["orders.status", "string"]]);
    const answer = await execute(hub.app, "snowflake", warehousePush(fields, [{ "orders.status": "2" },
      { "orders.status": "secret-text" }], data(), { table: name, write: "append" }));
    expect(answer.looker).to.include({ success: false, message: `Snowflake refused a value while copying the rows into ` +
      `"${name}" (100038: Numeric value 'secret-text' is not recognized). Check the table's column types. Nothing was ` +
      "written: the table is as it was." });
    expect(sf.table(`ANALYTICS.PUBLIC.${name}`)!.rows).to.deep.equal([[1]]);
    expect(hub.logs()).to.include("its words went to Looker only").and.not.include("secret-text");
  });

  it("batches of at most 1,000 rows, one request at a time, for a large delivery", async () => {
    const name = table();
    const before = sf.requests.length;
    const fields = detailFields([["orders.id", "number"]]);
    const { body, server } = await streamedDelivery(fields, 25_000, (i) => ({ "orders.id": i }), data(),
      { table: name, write: "replace" });
    try {
      const answer = await execute(hub.app, "snowflake", body);
      expect(answer.looker).to.include({ success: true, message: `Wrote 25,000 rows to "${name}" in Snowflake (the ` +
        "table's rows replaced)." });
    } finally {
      await server.close();
    }
    const inserts = sf.requests.slice(before).filter((r) => /^INSERT/.test(r.body.statement));
    expect(inserts).to.have.length(25);
    expect(sf.table(`ANALYTICS.PUBLIC.${name}`)!.rows).to.have.length(25_000);
  });

  it("a statement still running (202) is followed with GET until it ends", async () => {
    sf.runningGets = 1;
    const answer = await execute(hub.app, "snowflake", warehousePush(FIELDS, ROWS, data(), { table: table(), write: "create" }));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
  });

  it("a key Snowflake does not know: the login refusal in words, the key nowhere", async () => {
    const other = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
      .export({ type: "pkcs8", format: "pem" }).toString();
    const answer = await execute(hub.app, "snowflake", warehousePush(FIELDS, ROWS, data({ private_key: other }),
      { table: table(), write: "create" }));
    expect(answer.looker).to.include({ success: false, message: "Snowflake refused the key-pair login (390144: JWT " +
      "token is invalid.). Check the account, the user, and that the user's RSA_PUBLIC_KEY is the public half of the " +
      "private key set here." });
    expect(hub.logs()).not.to.include("PRIVATE KEY");
  });

  it("no warehouse: Snowflake's own refusal", async () => {
    const answer = await execute(hub.app, "snowflake", warehousePush(FIELDS, ROWS, data({ warehouse: "" }),
      { table: table(), write: "create" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^Snowflake refused the statement \(000606: No active warehouse selected/);
  });

  it("refuses an account that is not an identifier and an encrypted key, before any call", async () => {
    const before = sf.requests.length;
    for (const params of [data({ account: "evil.com/x?" }),
      data({ private_key: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc\n-----END ENCRYPTED PRIVATE KEY-----" })]) {
      const answer = await execute(hub.app, "snowflake", warehousePush(FIELDS, ROWS, params, { table: "t", write: "append" }));
      expect(answer.looker.success).to.equal(false);
      expect(answer.looker.message).to.match(/^The Snowflake (Account setting|private key is encrypted)/);
    }
    expect(sf.requests.length).to.equal(before);
  });

  it("Looker's connection test signs in and runs SELECT 1", async () => {
    const answer = await execute(hub.app, "snowflake", { data: { ...data(), test: true } as any });
    expect(answer.looker).to.include({ success: true, message: "Signed in to Snowflake as LOOKER_HUB." });
  });

  // The SQL API takes every statement as a POST; the dry-run guard lets through SELECT 1 and
  // DESCRIBE TABLE only (src/lib/dry_run.ts), so the sign-in and the table are tried, nothing written.
  it("a dry run signs in (SELECT 1) and finds the table (DESCRIBE TABLE), and sends no other statement", async () => {
    const dry = (name: string, write: string, fields = FIELDS, rows = ROWS) => request(hub.app)
      .post("/actions/snowflake/execute").set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true")
      .send(warehousePush(fields, rows, data(), { table: name, write })).then((res) => res.body.looker);
    const before = sf.requests.length;
    const tables = sf.tables.size;
    const missing = table();
    const refused = await dry(missing, "append");
    expect(refused.success).to.equal(false);
    expect(refused.message).to.match(new RegExp(`^Dry run: Snowflake has no table "${missing}" \\(or the login ` +
      "cannot see it\\), so a delivery with Write: Append would be refused"));
    const created = await dry(missing, "create");
    expect(created.success, created.message).to.equal(true);
    expect(created.message).to.match(new RegExp(`^Dry run, nothing was written to Snowflake: Signed in to Snowflake as ` +
      `LOOKER_HUB; the table "${missing}" does not exist yet: a delivery would create it; 2 rows read`));
    const dryBefore = sf.requests.slice(before);
    const narrow = table();
    expect((await execute(hub.app, "snowflake", warehousePush(detailFields([["orders.id", "number"]]),
      [{ "orders.id": 1 }], data(), { table: narrow, write: "create" }))).looker.success).to.equal(true);
    const sent = sf.requests.length;
    const short = await dry(narrow, "append");
    expect(short.message).to.match(new RegExp(`^Dry run: the table "${narrow}" in Snowflake has no columns ` +
      "\"ORDERS_STATUS\", \"ORDERS_CREATED_DATE\", .* which the delivery would fill"));
    const fits = await dry(narrow, "append", detailFields([["orders.id", "number"]]), [{ "orders.id": 2 }]);
    expect(fits.success, fits.message).to.equal(true);
    expect(fits.message).to.include(`the table "${narrow}" exists with every column the rows fill`);
    const dryStatements = [...dryBefore, ...sf.requests.slice(sent)].map((r) => r.body.statement);
    expect([...new Set(dryStatements)].sort()).to.deep.equal([`DESCRIBE TABLE "${missing}"`, `DESCRIBE TABLE "${narrow}"`,
      "SELECT 1"]);
    expect(sf.tables.size).to.equal(tables + 1);
    expect(sf.table(`ANALYTICS.PUBLIC.${narrow}`)!.rows).to.deep.equal([[1]]);
  });
});
