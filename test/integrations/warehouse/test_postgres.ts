// postgres through the real app against a real PostgreSQL (test/fakes/postgres_server.ts): types,
// quoting, the three write modes, dry runs, replace under a concurrent reader and a held lock,
// refusals with their row. Connections and their refusals are in test_postgres_connection.ts.
import { expect } from "chai";
import request from "supertest";
import { authHeader } from "../../helpers/app";
import { execute, form } from "../../helpers/execute";
import { eventually } from "../../helpers/process";
import { detailFields, streamedDelivery, warehousePush } from "../../helpers/warehouse";
import { data, FIELDS, hub, pg, ROWS, table, usePostgresHub } from "./postgres_shared";

describe("postgres (a real PostgreSQL)", function () {
  this.timeout(60_000);
  usePostgresHub();

  it("offers a form with the table and the write mode", async () => {
    const answer = await form(hub.app, "postgres", { data: data() });
    expect(answer.fields.map((f: any) => f.name)).to.deep.equal(["table", "write"]);
    expect(answer.fields[1].options.map((o: any) => o.name)).to.deep.equal(["append", "replace", "create"]);
  });

  it("creates a table typed from the fields and writes every value as Looker sent it", async () => {
    const name = table();
    const answer = await execute(hub.app, "postgres", warehousePush(FIELDS, ROWS, data(), { table: name, write: "create" }));
    expect(answer.looker).to.include({ success: true,
      message: `Wrote 3 rows to "public"."${name}" in PostgreSQL (appended; the table was created).` });
    const columns = await pg.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position",
      [name]);
    expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).to.deep.equal([
      "orders_id numeric", "orders_status text", "orders_created_date date",
      "orders_created_time timestamp without time zone", "orders_created_month text", "orders_is_paid boolean",
      "orders_count bigint", "orders_total numeric",
    ]);
    const rows = await pg.query(`SELECT orders_id::text AS id, orders_status AS status, ` +
      "orders_created_date::text AS day, orders_created_time::text AS at, orders_created_month AS month, " +
      `orders_is_paid AS paid, orders_count::text AS count, orders_total::text AS total FROM "${name}" ORDER BY orders_id`);
    expect(rows).to.deep.equal([
      { id: "1", status: "shipped, \"fast\"\nline two", day: "2024-03-01", at: "2024-03-01 10:11:12", month: "2024-03",
        paid: true, count: "3", total: "1204.5" },
      { id: "2", status: "", day: null, at: "2024-03-02 00:00:00.25", month: "2024-03", paid: false, count: "0",
        total: "12345678901234567890.125" },
      { id: "3", status: "Zoë ✓ \\N", day: "2024-02-29", at: null, month: null, paid: null, count: null, total: "-0.5" },
    ]);
  });

  it("quotes hostile table, schema and column names: used exactly, never run", async () => {
    await pg.query("CREATE SCHEMA IF NOT EXISTS \"Odd.Schema\"");
    await pg.query("CREATE TABLE IF NOT EXISTS canary (x int)");
    const hostile = "x\"; DROP TABLE canary; --";
    const fields = detailFields([["users.na\"me); DROP TABLE canary; --", "string"], ["Users.ID", "number"]]);
    const rows = [{ "users.na\"me); DROP TABLE canary; --": "ada", "Users.ID": 7 }];
    const typed = `"Odd.Schema"."${hostile.replace(/"/g, "\"\"")}"`;
    const answer = await execute(hub.app, "postgres", warehousePush(fields, rows, data(), { table: typed, write: "replace" }));
    expect(answer.looker.success, answer.looker.message).to.equal(true);
    const found = await pg.query(`SELECT * FROM "Odd.Schema"."x""; DROP TABLE canary; --"`);
    expect(found).to.deep.equal([{ "users_na\"me); DROP TABLE canary; --": "ada", Users_ID: "7" }]);
    expect(await pg.query("SELECT count(*)::int AS n FROM canary")).to.deep.equal([{ n: 0 }]);
  });

  it("appends to a table as it is (its own column types and extra columns kept)", async () => {
    const name = table();
    await pg.query(`CREATE TABLE "${name}" (orders_id int, orders_status varchar(40), note text DEFAULT 'kept', ` +
      "orders_created_date date, orders_created_time timestamptz, orders_created_month text, orders_is_paid boolean, " +
      "orders_count int, orders_total numeric(30,3))");
    await pg.query(`INSERT INTO "${name}" (orders_id) VALUES (0)`);
    const answer = await execute(hub.app, "postgres", warehousePush(FIELDS, ROWS, data(), { table: `public.${name}`, write: "append" }));
    expect(answer.looker, answer.looker.message).to.include({ success: true,
      message: `Wrote 3 rows to "public"."${name}" in PostgreSQL (appended).` });
    const rows = await pg.query<{ orders_id: number; note: string | null }>(
      `SELECT orders_id, note FROM "${name}" ORDER BY orders_id`);
    expect(rows).to.deep.equal([{ orders_id: 0, note: "kept" }, { orders_id: 1, note: "kept" }, { orders_id: 2, note: "kept" },
      { orders_id: 3, note: "kept" }]);
  });

  it("append to a table that does not exist: a clear message, no table made", async () => {
    const name = table();
    const answer = await execute(hub.app, "postgres", warehousePush(FIELDS, ROWS, data(), { table: name, write: "append" }));
    expect(answer.looker).to.include({ success: false, message: `The table "public"."${name}" does not exist. Create ` +
      "it, or pick \"Create if missing\" or \"Replace\" in the form's Write." });
    expect(await pg.query("SELECT 1 FROM pg_class WHERE relname = $1", [name])).to.deep.equal([]);
  });

  it("a dry run signs in and checks every value against its column, and writes nothing", async () => {
    const name = table();
    const res = await request(hub.app).post("/actions/postgres/execute").set("Authorization", authHeader())
      .set("X-Hub-Dry-Run", "true").send(warehousePush(FIELDS, ROWS, data(), { table: name, write: "create" }));
    const looker = res.body.looker;
    expect(looker.success, looker.message).to.equal(true);
    expect(looker.message).to.match(/^Dry run, nothing was written to PostgreSQL: Connected to .*; 3 rows read, every value fits its column \(orders_id /);
    expect(looker.dry_run).to.deep.include({ integration: "postgres", rows: 3, would_send: 3, would_reject: 0 });
    expect(await pg.query("SELECT 1 FROM pg_class WHERE relname = $1", [name])).to.deep.equal([]);
    const fields = detailFields([["orders.id", "number"]]);
    const bad = await request(hub.app).post("/actions/postgres/execute").set("Authorization", authHeader())
      .set("X-Hub-Dry-Run", "true").send(warehousePush(fields, [{ "orders.id": 1 }, { "orders.id": "two" }], data(),
        { table: name, write: "create" }));
    expect(bad.body.looker.success).to.equal(false);
    expect(bad.body.looker.message).to.match(/^Dry run: Row 2, column "orders_id" \(.*\): "two" is not a number\. \(ref /);
  });

  it("a dry run finds the table, read-only: Append needs it and its columns, Replace does not", async () => {
    const dry = (name: string, write: string, fields = FIELDS, rows = ROWS) => request(hub.app)
      .post("/actions/postgres/execute").set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true")
      .send(warehousePush(fields, rows, data(), { table: name, write })).then((res) => res.body.looker);
    const missing = table();
    const refused = await dry(missing, "append");
    expect(refused.success).to.equal(false);
    expect(refused.message).to.match(new RegExp(`^Dry run: PostgreSQL has no table "public"."${missing}" \\(or the ` +
      "login cannot see it\\), so a delivery with Write: Append would be refused\\."));
    expect((await dry(missing, "replace")).message).to.include(`the table "public"."${missing}" does not exist yet: ` +
      "a delivery would create it");
    const narrow = table();
    await pg.query(`CREATE TABLE "${narrow}" (orders_id bigint, orders_status text)`);
    const short = await dry(narrow, "create");
    expect(short.success).to.equal(false);
    expect(short.message).to.match(new RegExp(`^Dry run: the table "public"."${narrow}" in PostgreSQL has no columns ` +
      "\"orders_created_date\", .* which the delivery would fill"));
    const fits = await dry(narrow, "append", detailFields([["orders.id", "number"], ["orders.status", "string"]]),
      [{ "orders.id": 1, "orders.status": "a" }]);
    expect(fits.success, fits.message).to.equal(true);
    expect(fits.message).to.include(`the table "public"."${narrow}" exists with every column the rows fill`);
    expect(await pg.query(`SELECT count(*)::int AS n FROM "${narrow}"`)).to.deep.equal([{ n: 0 }]);
    expect(await pg.query("SELECT 1 FROM pg_class WHERE relname = $1", [missing])).to.deep.equal([]);
  });

  it("replace under a concurrent reader: every read sees the old rows or the new ones, never a part", async () => {
    const name = table();
    await pg.query(`CREATE TABLE "${name}" AS SELECT g AS orders_id FROM generate_series(1, 1000) g`);
    const reader = await pg.connect();
    const counts = new Set<number>();
    let reading = true;
    const reads = (async () => {
      while (reading) {
        const result = await reader.query(`SELECT count(*)::int AS n FROM "${name}"`);
        counts.add(result.rows[0].n);
      }
    })();
    try {
      const fields = detailFields([["orders.id", "number"]]);
      const { body, server } = await streamedDelivery(fields, 40_000, (i) => ({ "orders.id": i }), data(),
        { table: name, write: "replace" });
      try {
        const answer = await execute(hub.app, "postgres", body);
        expect(answer.looker.success, answer.looker.message).to.equal(true);
      } finally {
        await server.close();
      }
      // A read after the swap, however long the reader's queries take on a loaded machine.
      await eventually(() => counts.has(40_000), 10_000, "a read of the replaced table");
    } finally {
      reading = false;
      await reads;
      await reader.end();
    }
    expect([...counts].sort((a, b) => a - b)).to.deep.equal([1000, 40_000].filter((c) => counts.has(c)));
    expect(counts.has(1000)).to.equal(true);
    expect(counts.has(40_000)).to.equal(true);
    expect(await pg.query(`SELECT count(*)::int AS n FROM "${name}"`)).to.deep.equal([{ n: 40_000 }]);
    const left = await pg.query("SELECT relname FROM pg_class WHERE relname LIKE 'looker_replace_%'");
    expect(left).to.deep.equal([]);
  });

  it("replace while another session holds the table: the wait for its lock is bounded, nothing changed", async () => {
    const name = table();
    await pg.query(`CREATE TABLE "${name}" AS SELECT 1 AS kept`);
    const holder = await pg.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT * FROM "${name}"`);
      const started = Date.now();
      const answer = await execute(hub.app, "postgres", warehousePush(detailFields([["orders.id", "number"]]),
        [{ "orders.id": 1 }], data(), { table: name, write: "replace" }));
      expect(answer.looker).to.include({ success: false, message: `"${name}" stayed locked by another ` +
        "session, so it could not be replaced in time. Nothing was written: the table is as it was. Try again when " +
        "the other work has finished." });
      // HTTP_IDLE_TIMEOUT_SECONDS is 2 in these tests.
      expect(Date.now() - started).to.be.within(1_500, 10_000);
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    expect(await pg.query(`SELECT * FROM "${name}"`)).to.deep.equal([{ kept: 1 }]);
  });

  it("a value that does not fit its field's type: the row and column named, nothing half-written in replace", async () => {
    const name = table();
    await pg.query(`CREATE TABLE "${name}" AS SELECT 1 AS kept`);
    const fields = detailFields([["orders.id", "number"], ["orders.total", "number"]]);
    const { body, server } = await streamedDelivery(fields, 20_000,
      (i) => ({ "orders.id": i, "orders.total": i === 15_000 ? "12,50 secret" : i }), data(), { table: name, write: "replace" });
    try {
      const answer = await execute(hub.app, "postgres", body);
      expect(answer.looker).to.include({ success: false, message: "Row 15001, column \"orders_total\" (total): " +
        "\"12,50 secret\" is not a number." });
    } finally {
      await server.close();
    }
    expect(await pg.query(`SELECT * FROM "${name}"`)).to.deep.equal([{ kept: 1 }]);
    expect(hub.logs()).to.include("Row 15001").and.not.include("secret");
  });

  it("a value the table's column refuses: PostgreSQL's reason with the row, nothing appended", async () => {
    const name = table();
    await pg.query(`CREATE TABLE "${name}" (orders_status varchar(10))`);
    const fields = detailFields([["orders.status", "string"]]);
    const rows = [{ "orders.status": "ok" }, { "orders.status": "a,\n\"b\"" }, { "orders.status": "much too long" }];
    const answer = await execute(hub.app, "postgres", warehousePush(fields, rows, data(), { table: name, write: "append" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal("Row 3, column \"orders_status\": PostgreSQL refused the value (value too " +
      "long for type character varying(10)). Nothing was written: the table is as it was. Fix the value in the query, " +
      "or the column's type in the table, and send it again.");
    expect(await pg.query(`SELECT * FROM "${name}"`)).to.deep.equal([]);
    expect(hub.logs()).to.include("Row 3, column \\\"orders_status\\\": PostgreSQL refused the value (SQLSTATE 22001");
  });
});
