// Parts "postgres" and "bigquery": a million json_detail_lite_stream rows through the whole hub
// (compiled, a child process) to a warehouse, at a download_url served by the bench process
// (generated as it is read, so the source holds no whole result): rows/s end to end, the hub's
// peak RSS, and whether the warehouse holds every row. PostgreSQL is the real server the tests
// start (test/fakes/postgres_server.ts); BigQuery is the fake of its REST API (test/fakes/).
import * as http from "http";
import { FakeBigQuery } from "../test/fakes/bigquery_api";
import { PostgresServer, sharedPostgres, stopPostgres } from "../test/fakes/postgres_server";
import { startDownloadServer } from "../test/fakes/download_server";
import { Cells, detailFields, detailStream } from "../test/helpers/warehouse";
import { readAnswer, startHub } from "./hub_process";
import { BenchContext, Part, verdict } from "./part";
import { fmt, MB } from "./results";

/** A warehouse as the bench drives it. */
export interface BenchWarehouse {
  integration: string;
  env: Record<string, string>;
  data: Record<string, string>;
  form: Record<string, string>;
  /** Rows the warehouse holds in the table written. */
  rows(): Promise<number>;
  stop(): Promise<void>;
}

const FIELDS = detailFields([["orders.id", "number"], ["users.name", "string"], ["orders.created_date", "date_date"],
  ["orders.created_time", "date_time"], ["orders.is_paid", "yesno"]], [["orders.total", "sum"]]);

function row(i: number): Cells {
  const day = String(1 + (i % 28)).padStart(2, "0");
  return { "orders.id": i, "users.name": `Customer ${i}, "Inc."`, "orders.created_date": `2024-01-${day}`,
    "orders.created_time": `2024-01-${day} 10:${String(i % 60).padStart(2, "0")}:00`, "orders.is_paid": i % 2 ? "Yes" : "No",
    "orders.total": i * 1.37 };
}

function execute(hubUrl: string, key: string, target: BenchWarehouse, downloadUrl: string) {
  const body = JSON.stringify({ type: "query", data: target.data,
    form_params: { ...target.form, format: "json_detail_lite_stream" },
    scheduled_plan: { title: "bench", download_url: downloadUrl } });
  return new Promise<{ status: number; answer: string }>((resolve, reject) => {
    const req = http.request(`${hubUrl}/actions/${target.integration}/execute`, { method: "POST",
      headers: { "Authorization": `Token token="${key}"`, "Content-Type": "application/json",
        "User-Agent": "LookerOutgoingWebhook/25.10.0" } },
    (res) => readAnswer(res).then(({ body: answer }) => resolve({ status: res.statusCode ?? 0, answer }), reject));
    req.on("error", reject);
    req.end(body);
  });
}

/** One run of `count` rows to the warehouse; the section's text. */
export async function warehouseRun(ctx: BenchContext, target: BenchWarehouse, count: number, note: string):
    Promise<string> {
  const source = await startDownloadServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    detailStream(FIELDS, count, row).pipe(res);
  });
  const hub = await startHub(ctx.root, { env: { ...target.env, LOG_LEVEL: "warn" } });
  let line: string;
  try {
    const started = Date.now();
    const { status, answer } = await execute(hub.url, hub.key, target, `${source.url}/download/once`);
    const seconds = (Date.now() - started) / 1000;
    const ok = status === 200 && /"success":true/.test(answer);
    const peak = hub.peakRss();
    const held = ok ? await target.rows() : 0;
    const rate = count / seconds;
    line = `| ${target.integration} | ${fmt(count)} rows, download_url, ${target.form.write} | ${fmt(seconds, 1)} s` +
      `${ok ? "" : ` (FAILED: ${answer.trim().slice(0, 160)})`} | ${fmt(rate)} rows/s | ${fmt(peak / MB)} MB | ` +
      `${held === count ? "yes" : `no (${fmt(held)})`} | ${verdict(ctx, ok && held === count && peak < 150 * MB,
        `${target.integration}: ${fmt(count)} rows with peak RSS ${fmt(peak / MB)} MB`)} |`;
    ctx.say(line);
  } finally {
    await hub.stop();
    await source.close();
    await target.stop();
  }
  return [note, "",
    "| warehouse | delivery | wall time | rows/s | hub peak RSS | every row stored | target (issue 29): < 150 MB |",
    "| --- | --- | --- | --- | --- | --- | --- |", line].join("\n");
}

async function postgresTarget(): Promise<BenchWarehouse> {
  const pg: PostgresServer = await sharedPostgres();
  const table = `bench_orders_${process.pid}`;
  return {
    integration: "postgres", env: { PRIVATE_URL_ALLOWLIST: "127.0.0.1" },
    data: { connection_url: pg.url() }, form: { table, write: "replace" },
    rows: async () => Number((await pg.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`))[0].n),
    stop: stopPostgres,
  };
}

export const postgresPart: Part = {
  name: "postgres", title: "Write-back: a million rows to PostgreSQL", needsBuild: true,
  async run(ctx) {
    const count = Number(ctx.option("rows", "1000000"));
    return warehouseRun(ctx, await postgresTarget(), count, [
      "The hub (one worker, production mode) gets a url execute of generated json_detail_lite_stream rows (six",
      "columns: number, text with a comma and quotes, date, timestamp, yes/no, sum) served by the bench process, and",
      "streams them with COPY into the real PostgreSQL 15 the tests use (test/fakes/postgres_server.ts, a child",
      "process: fsync off), replacing the table in one transaction. The download source and PostgreSQL share the",
      "machine's two cores with the hub. Peak RSS is the hub's VmHWM.",
    ].join("\n"));
  },
};

async function bigqueryTarget(): Promise<BenchWarehouse> {
  const bq = await new FakeBigQuery().start();
  bq.runningPolls = 0;
  return {
    integration: "bigquery",
    env: { BIGQUERY_API_URL: bq.url, GOOGLE_OAUTH_TOKEN_URL: bq.tokenUrl, BIGQUERY_POLL_SECONDS: "0.2",
      ALLOW_HTTP_URLS: "true" },
    data: { client_email: bq.clientEmail, private_key: bq.privateKeyPem, project_id: bq.projectId },
    form: { dataset: "analytics", table: "bench_orders", write: "replace" },
    rows: async () => bq.table("analytics", "bench_orders")?.count ?? 0,
    stop: () => bq.stop(),
  };
}

export const bigqueryPart: Part = {
  name: "bigquery", title: "Write-back: a million rows to BigQuery (its REST API's fake)", needsBuild: true,
  async run(ctx) {
    const count = Number(ctx.option("rows", "1000000"));
    return warehouseRun(ctx, await bigqueryTarget(), count, [
      "The hub (one worker, production mode) gets a url execute of generated json_detail_lite_stream rows (six",
      "columns) served by the bench process, and streams them as newline-delimited JSON through a BigQuery load job's",
      "resumable upload (4 MiB chunks) to the fake of BigQuery's REST API (test/fakes/bigquery_api.ts, in the bench",
      "process: it writes the upload to a file, then checks and counts every row), replacing the table, and follows",
      "the job until DONE. Peak RSS is the hub's VmHWM.",
    ].join("\n"));
  },
};
