// bigquery through the real app against a fake of BigQuery's REST API (test/fakes/bigquery_api.ts):
// the service account's token, the dataset list, the load job as BigQuery receives it (resumable
// upload of newline-delimited JSON, dispositions, schema), its polling, and its errors.
import { expect } from "chai";
import { allIntegrations } from "../../../src/integrations";
import { FakeBigQuery } from "../../fakes/bigquery_api";
import { BIGQUERY_CHUNK_BYTES } from "../../../src/integrations/bigquery/bigquery_load";
import request from "supertest";
import { authHeader, buildTestApp, TestApp, testConfig } from "../../helpers/app";
import { execute, form } from "../../helpers/execute";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";
import { Cells, detailFields, streamedDelivery, warehousePush } from "../../helpers/warehouse";

const FIELDS = detailFields([
  ["orders.id", "number"], ["orders.status", "string"], ["orders.created_date", "date_date"],
  ["orders.created_time", "date_time"], ["orders.is_paid", "yesno"], ["2nd.field-name", "string"],
], [["orders.count", "count"], ["orders.total", "sum"]]);

const ROWS: Cells[] = [
  { "orders.id": 1, "orders.status": "shipped, \"fast\"\nline two", "orders.created_date": "2024-03-01",
    "orders.created_time": "2024-03-01 10:11:12.1234567", "orders.is_paid": "Yes", "2nd.field-name": "x",
    "orders.count": 3, "orders.total": 1204.5 },
  { "orders.id": 2, "orders.status": "", "orders.created_date": null, "orders.created_time": null,
    "orders.is_paid": "No", "2nd.field-name": null, "orders.count": "7", "orders.total": "12.25" },
];

describe("bigquery (a fake of BigQuery's REST API)", function () {
  this.timeout(60_000);
  let bq: FakeBigQuery;
  let hub: TestApp;
  let n = 0;
  const table = () => `orders_${++n}`;
  const data = () => ({ client_email: bq.clientEmail, private_key: bq.privateKeyPem, project_id: bq.projectId });
  const app = (env: Record<string, string> = {}) => {
    const all = { ...FAST_HTTP_ENV, BIGQUERY_API_URL: bq.url, GOOGLE_OAUTH_TOKEN_URL: bq.tokenUrl,
      BIGQUERY_POLL_SECONDS: "0.05", ...env };
    return buildTestApp(allIntegrations(testConfig(all), testHttpClient(all)).filter((i) => i.name === "bigquery"), all);
  };

  before(async () => {
    bq = await new FakeBigQuery().start();
    hub = app();
  });
  after(() => bq?.stop());
  beforeEach(() => { bq.runningPolls = 1; });

  it("offers the project's datasets (every page), the table and the write mode", async () => {
    const answer = await form(hub.app, "bigquery", { data: data() });
    expect(answer.fields.map((f: any) => f.name)).to.deep.equal(["dataset", "table", "write"]);
    expect(answer.fields[0].options.map((o: any) => o.name)).to.deep.equal(["analytics", "sales", "staging"]);
  });

  it("a dataset list the account may not read leaves the dataset to type, with BigQuery's reason", async () => {
    bq.nextError = { status: 403, reason: "accessDenied", message: "Access Denied: Project test-project: User does " +
      "not have bigquery.datasets.list permission." };
    const answer = await form(hub.app, "bigquery", { data: data() });
    expect(answer.fields[0]).to.include({ name: "dataset", type: "string" });
    expect(answer.fields[0].description).to.match(/^The datasets could not be listed: BigQuery refused to list the project's datasets \(accessDenied: Access Denied/);
  });

  it("creates the table with a load job: schema from the fields, NDJSON uploaded, job polled until DONE", async () => {
    const name = table();
    const answer = await execute(hub.app, "bigquery", warehousePush(FIELDS, ROWS, data(),
      { dataset: "analytics", table: name, write: "create" }));
    expect(answer.looker).to.include({ success: true,
      message: `Wrote 2 rows to test-project.analytics.${name} in BigQuery (appended).` });
    const load = bq.inserted[bq.inserted.length - 1].configuration.load;
    expect(load).to.deep.include({ destinationTable: { projectId: "test-project", datasetId: "analytics", tableId: name },
      sourceFormat: "NEWLINE_DELIMITED_JSON", maxBadRecords: 0, writeDisposition: "WRITE_APPEND",
      createDisposition: "CREATE_IF_NEEDED" });
    expect(load.schema.fields.map((f: any) => `${f.name} ${f.type}`)).to.deep.equal(["orders_id FLOAT",
      "orders_status STRING", "orders_created_date DATE", "orders_created_time DATETIME", "orders_is_paid BOOLEAN",
      "_2nd_field_name STRING", "orders_count INTEGER", "orders_total FLOAT"]);
    expect(bq.table("analytics", name)!.rows).to.deep.equal([
      { orders_id: 1, orders_status: "shipped, \"fast\"\nline two", orders_created_date: "2024-03-01",
        orders_created_time: "2024-03-01 10:11:12.123456", orders_is_paid: true, _2nd_field_name: "x", orders_count: 3,
        orders_total: 1204.5 },
      { orders_id: 2, orders_status: "", orders_created_date: null, orders_created_time: null, orders_is_paid: false,
        _2nd_field_name: null, orders_count: 7, orders_total: 12.25 },
    ]);
    expect(bq.jobs.get(bq.inserted[bq.inserted.length - 1].jobReference.jobId)!.polls).to.equal(2);
  });

  it("replace is WRITE_TRUNCATE: only the new rows stay", async () => {
    const name = table();
    for (const write of ["create", "replace"]) {
      const answer = await execute(hub.app, "bigquery", warehousePush(FIELDS, ROWS.slice(0, write === "create" ? 2 : 1),
        data(), { dataset: "sales", table: name, write }));
      expect(answer.looker.success, answer.looker.message).to.equal(true);
    }
    expect(bq.inserted[bq.inserted.length - 1].configuration.load.writeDisposition).to.equal("WRITE_TRUNCATE");
    expect(bq.table("sales", name)!.count).to.equal(1);
  });

  it("append to a missing table: the job's error with BigQuery's reason", async () => {
    const name = table();
    const answer = await execute(hub.app, "bigquery", warehousePush(FIELDS, ROWS, data(),
      { dataset: "analytics", table: name, write: "append" }));
    const load = bq.inserted[bq.inserted.length - 1].configuration.load;
    expect(load).to.include({ createDisposition: "CREATE_NEVER" }).and.not.have.property("schema");
    expect(answer.looker).to.include({ success: false, message: `BigQuery's load job into test-project.analytics.${name} ` +
      `failed (notFound): Not found: Table test-project:analytics.${name} Nothing was written: the table is as it was. ` +
      "Check the dataset and table, or pick \"Create if missing\" or \"Replace\"." });
  });

  it("a value the table's column refuses: BigQuery's reason and words for Looker, not the log; nothing written", async () => {
    const name = table();
    bq.tables.set(`analytics.${name}`, { schema: [{ name: "orders_status", type: "INTEGER", mode: "NULLABLE" }], rows: [],
      count: 0 });
    const fields = detailFields([["orders.status", "string"]]);
    const answer = await execute(hub.app, "bigquery", warehousePush(fields, [{ "orders.status": "42" },
      { "orders.status": "secret-value" }], data(), { dataset: "analytics", table: name, write: "append" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.equal(`BigQuery's load job into test-project.analytics.${name} failed (invalid): ` +
      "Error while reading data, error message: JSON parsing error in row starting at position 23: Could not convert " +
      "value 'string_value: \"secret-value\"' to integer. Field: orders_status; Value: secret-value Nothing was " +
      "written: the table is as it was.");
    expect(bq.table("analytics", name)!.count).to.equal(0);
    expect(hub.logs()).to.include("failed (invalid; BigQuery's words went to Looker only)").and.not.include("secret-value");
  });

  it("a value that does not fit its field's type, deep in a large delivery: the upload is cancelled, no job runs", async () => {
    const before = bq.inserted.length;
    const fields = detailFields([["orders.id", "number"]]);
    const { body, server } = await streamedDelivery(fields, 200_000, (i) => ({ "orders.id": i === 150_000 ? "n/a" : i }),
      data(), { dataset: "analytics", table: table(), write: "replace" });
    try {
      const answer = await execute(hub.app, "bigquery", body);
      expect(answer.looker).to.include({ success: false,
        message: "Row 150001, column \"orders_id\" (id): \"n/a\" is not a number." });
    } finally {
      await server.close();
    }
    const job = bq.inserted[before].jobReference.jobId;
    expect(bq.cancelled).to.include(job);
    expect(bq.jobs.has(job)).to.equal(false);
  });

  it("streams a large delivery in 4 MiB chunks of the resumable upload", async () => {
    const name = table();
    const fields = detailFields([["orders.id", "number"], ["users.name", "string"]]);
    const { body, server } = await streamedDelivery(fields, 200_000,
      (i) => ({ "orders.id": i, "users.name": `Customer ${i} with a longer name to make the rows wider` }),
      data(), { dataset: "staging", table: name, write: "create" });
    const chunks = bq.chunkSizes.length;
    try {
      const answer = await execute(hub.app, "bigquery", body);
      expect(answer.looker).to.include({ success: true,
        message: `Wrote 200,000 rows to test-project.staging.${name} in BigQuery (appended).` });
    } finally {
      await server.close();
    }
    const sizes = bq.chunkSizes.slice(chunks);
    expect(sizes.length).to.be.greaterThan(1);
    expect(sizes.slice(0, -1).every((s) => s === BIGQUERY_CHUNK_BYTES && s === 4 * 1024 * 1024)).to.equal(true);
    expect(bq.table("staging", name)!.count).to.equal(200_000);
  });

  it("a key Google does not know: the token refusal in words", async () => {
    const answer = await execute(hub.app, "bigquery", warehousePush(FIELDS, ROWS,
      { ...data(), client_email: "someone-else@test-project.iam.gserviceaccount.com" },
      { dataset: "analytics", table: table(), write: "create" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^BigQuery refused the service account's key \(invalid_grant: Invalid JWT Signature\.\)/);
  });

  it("a project the account may not use: BigQuery's accessDenied with what to grant", async () => {
    const answer = await execute(hub.app, "bigquery", warehousePush(FIELDS, ROWS, { ...data(), project_id: "other-project" },
      { dataset: "analytics", table: table(), write: "create" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^BigQuery refused to start the load job \(accessDenied: Access Denied: Project other-project: .*BigQuery Job User on the project/);
  });

  it("a job still running when the wait ends: says so and where to look, not success", async () => {
    bq.runningPolls = 1000;
    const slow = app({ BIGQUERY_JOB_WAIT_SECONDS: "0.5" });
    const answer = await execute(slow.app, "bigquery", warehousePush(FIELDS, ROWS, data(),
      { dataset: "analytics", table: table(), write: "create" }));
    expect(answer.looker.success).to.equal(false);
    expect(answer.looker.message).to.match(/^BigQuery's load job looker_\w+ into test-project\.analytics\.orders_\d+ was still running after 1 s\. It goes on by itself/);
  });

  it("Looker's connection test signs in and lists the datasets", async () => {
    const answer = await execute(hub.app, "bigquery", { data: { ...data(), test: true } as any });
    expect(answer.looker).to.include({ success: true,
      message: "Signed in to BigQuery; project test-project has 3 datasets the service account can see." });
  });

  it("refuses a dataset or table name BigQuery does not take, before any call", async () => {
    const calls = bq.inserted.length;
    for (const [dataset, name] of [["my-dataset", "t"], ["analytics", "a.b"], ["analytics", "semi;colon"]]) {
      const answer = await execute(hub.app, "bigquery", warehousePush(FIELDS, ROWS, data(), { dataset, table: name, write: "create" }));
      expect(answer.looker.success, `${dataset}.${name}`).to.equal(false);
    }
    expect(bq.inserted.length).to.equal(calls);
  });

  it("a dry run signs in, finds the table with tables.get, and makes no call that writes", async () => {
    const dry = (name: string, write: string, fields = FIELDS, rows = ROWS) => request(hub.app)
      .post("/actions/bigquery/execute").set("Authorization", authHeader()).set("X-Hub-Dry-Run", "true")
      .send(warehousePush(fields, rows, data(), { dataset: "analytics", table: name, write })).then((res) => res.body.looker);
    const jobs = bq.inserted.length;
    const missing = table();
    const refused = await dry(missing, "append");
    expect(refused.success).to.equal(false);
    expect(refused.message).to.match(new RegExp(`^Dry run: BigQuery has no table ${bq.projectId}\\.analytics\\.` +
      `${missing} \\(or the login cannot see it\\), so a delivery with Write: Append would be refused`));
    expect((await dry(missing, "replace")).message).to.include(`the table ${bq.projectId}.analytics.${missing} does ` +
      "not exist yet: a delivery would create it");
    const narrow = table();
    expect((await execute(hub.app, "bigquery", warehousePush(detailFields([["orders.id", "number"]]), [{ "orders.id": 1 }],
      data(), { dataset: "analytics", table: narrow, write: "create" }))).looker.success).to.equal(true);
    const short = await dry(narrow, "create");
    expect(short.message).to.match(new RegExp(`^Dry run: the table ${bq.projectId}\\.analytics\\.${narrow} in BigQuery ` +
      "has no columns \"orders_status\", .* which the delivery would fill"));
    bq.table("analytics", narrow)!.schema[0].name = "ORDERS_ID";
    const fits = await dry(narrow, "append", detailFields([["orders.id", "number"]]), [{ "orders.id": 2 }]);
    expect(fits.success, fits.message).to.equal(true);
    expect(fits.message).to.include(`the table ${bq.projectId}.analytics.${narrow} exists with every column the rows fill`);
    expect(bq.inserted.length, "only the one delivery's load job").to.equal(jobs + 1);
    expect(bq.table("analytics", narrow)!.count).to.equal(1);
  });
});
