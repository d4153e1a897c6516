// What the postgres tests share (test_postgres.ts, test_postgres_connection.ts): the hub with
// postgres alone and the shared real PostgreSQL (set up by usePostgresHub), the fields and rows of
// a typical delivery, and table names unique across the files a test process runs.
import { allIntegrations } from "../../../src/integrations";
import { sharedPostgres, PostgresServer } from "../../fakes/postgres_server";
import { buildTestApp, TestApp, testConfig } from "../../helpers/app";
import { FAST_HTTP_ENV, testHttpClient } from "../../helpers/http";
import { Cells, detailFields } from "../../helpers/warehouse";

export function postgresApp(env: Record<string, string> = {}): TestApp {
  const all = { ...FAST_HTTP_ENV, ...env };
  return buildTestApp(allIntegrations(testConfig(all), testHttpClient(all)).filter((i) => i.name === "postgres"), all);
}

/** The shared PostgreSQL and a hub that delivers to it, set by usePostgresHub's before hook. */
export let pg: PostgresServer;
export let hub: TestApp;

/** Called in a describe block: before its tests, the shared PostgreSQL and a fresh hub. */
export function usePostgresHub(): void {
  before(async () => {
    pg = await sharedPostgres();
    hub = postgresApp();
  });
}

/** A delivery's data: the connection URL to the shared PostgreSQL, and any other fields. */
export const data = (extra: Record<string, string> = {}) => ({ connection_url: pg.url(), ...extra });

let n = 0;
/** A table name no other test of this process uses. */
export const table = () => `orders_${process.pid}_${++n}`;

export const FIELDS = detailFields([
  ["orders.id", "number"], ["orders.status", "string"], ["orders.created_date", "date_date"],
  ["orders.created_time", "date_time"], ["orders.created_month", "date_month"], ["orders.is_paid", "yesno"],
], [["orders.count", "count"], ["orders.total", "sum"]]);

export const ROWS: Cells[] = [
  { "orders.id": 1, "orders.status": "shipped, \"fast\"\nline two", "orders.created_date": "2024-03-01",
    "orders.created_time": "2024-03-01 10:11:12", "orders.created_month": "2024-03", "orders.is_paid": "Yes",
    "orders.count": 3, "orders.total": 1204.5 },
  { "orders.id": 2, "orders.status": "", "orders.created_date": null, "orders.created_time": "2024-03-02 00:00:00.25",
    "orders.created_month": "2024-03", "orders.is_paid": "No", "orders.count": 0, "orders.total": "12345678901234567890.125" },
  { "orders.id": 3, "orders.status": "Zoë ✓ \\N", "orders.created_date": "2024-02-29",
    "orders.created_time": null, "orders.created_month": null, "orders.is_paid": null, "orders.count": null,
    "orders.total": -0.5 },
];
