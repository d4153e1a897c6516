// Settings of the write-back integrations (warehouses): BigQuery's API origin and how long a
// load job is followed. Functions of the environment object only; src/config/index.ts hands
// them the real one.
import { baseUrlSetting, Env, secondsSetting } from "./values";

export interface WarehouseSettings {
  /** BigQuery's REST API origin, without a trailing slash (BIGQUERY_API_URL). */
  bigqueryApiUrl: string;
  /** How long a load job is followed before the delivery answers (BIGQUERY_JOB_WAIT_SECONDS). */
  bigqueryJobWaitMs: number;
  /** The longest pause between two looks at a running load job (BIGQUERY_POLL_SECONDS). */
  bigqueryPollMs: number;
}

export function warehouseSettings(env: Env): WarehouseSettings {
  return {
    bigqueryApiUrl: baseUrlSetting(env, "BIGQUERY_API_URL", "https://bigquery.googleapis.com").replace(/\/+$/, ""),
    bigqueryJobWaitMs: secondsSetting(env, "BIGQUERY_JOB_WAIT_SECONDS", 600) * 1000,
    bigqueryPollMs: secondsSetting(env, "BIGQUERY_POLL_SECONDS", 5) * 1000,
  };
}
