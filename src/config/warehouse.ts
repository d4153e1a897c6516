// Settings of the write-back integrations (warehouses): BigQuery's API origin and how long a
// load job is followed; Snowflake's account URL and how long a statement is waited for.
// Functions of the environment object only; src/config/index.ts hands them the real one.
import { baseUrlSetting, ConfigError, Env, secondsSetting } from "./values";

export interface WarehouseSettings {
  /** BigQuery's REST API origin, without a trailing slash (BIGQUERY_API_URL). */
  bigqueryApiUrl: string;
  /** How long a load job is followed before the delivery answers (BIGQUERY_JOB_WAIT_SECONDS). */
  bigqueryJobWaitMs: number;
  /** The longest pause between two looks at a running load job (BIGQUERY_POLL_SECONDS). */
  bigqueryPollMs: number;
  /** Snowflake's account URL, `{account}` replaced by the account param (SNOWFLAKE_API_URL). */
  snowflakeApiUrl: string;
  /** How long one Snowflake statement is waited for (SNOWFLAKE_STATEMENT_WAIT_SECONDS). */
  snowflakeWaitMs: number;
}

export function warehouseSettings(env: Env): WarehouseSettings {
  return {
    bigqueryApiUrl: baseUrlSetting(env, "BIGQUERY_API_URL", "https://bigquery.googleapis.com").replace(/\/+$/, ""),
    bigqueryJobWaitMs: secondsSetting(env, "BIGQUERY_JOB_WAIT_SECONDS", 600) * 1000,
    bigqueryPollMs: secondsSetting(env, "BIGQUERY_POLL_SECONDS", 5) * 1000,
    snowflakeApiUrl: accountUrlSetting(env),
    snowflakeWaitMs: secondsSetting(env, "SNOWFLAKE_STATEMENT_WAIT_SECONDS", 600) * 1000,
  };
}

/** SNOWFLAKE_API_URL: a URL once `{account}` is filled in, and no other placeholder. */
function accountUrlSetting(env: Env): string {
  const name = "SNOWFLAKE_API_URL";
  const raw = (env[name] ?? "").trim() || "https://{account}.snowflakecomputing.com";
  baseUrlSetting({ [name]: raw.replace(/\{account\}/g, "account") }, name, raw);
  if (/\{(?!account\})[^}]*\}/.test(raw)) {
    throw new ConfigError(`${name} may contain only the {account} placeholder; it is "${raw}".`);
  }
  return raw.replace(/\/+$/, "");
}
