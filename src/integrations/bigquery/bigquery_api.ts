// BigQuery's REST API (v2) as the write-back uses it: datasets.list for the form, jobs.insert
// through the upload URI as a resumable upload (google_resumable.ts) for a load job, jobs.get to
// follow it. Refusals become sentences with BigQuery's own reason (google_errors.ts reads the
// body); 429 and 5xx are retried by the shared HTTP client.
import { googleError } from "../../families/google/google_errors";
import { RetryableError, UserError } from "../../lib/errors";
import { sessionAddress } from "../../lib/google_resumable";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { Logger } from "../../lib/logger";

export const WHO = "BigQuery";

export interface BigQuerySession {
  http: HttpClient;
  /** BIGQUERY_API_URL, without a trailing slash. */
  apiUrl: string;
  accessToken: string;
  project: string;
  logger?: Logger;
}

/** A refused call as a sentence: BigQuery's reason and words, and what to do. */
export function bigqueryFailure(res: HttpResponse, what: string): UserError {
  const e = googleError(res);
  const said = `${e.reason ? `${e.reason}: ` : ""}${e.message || `HTTP ${e.status}`}`;
  if (e.status === 401) {
    return new UserError(`BigQuery refused the service account's access token (${said}). Check the client email and ` +
      "private key.");
  }
  if (e.status === 403) {
    return new UserError(`BigQuery refused to ${what} (${said}). The service account needs BigQuery Job User on the ` +
      "project and BigQuery Data Editor on the dataset (BigQuery Data Viewer or Metadata Viewer to list datasets).");
  }
  if (e.status === 404) {
    return new UserError(`BigQuery could not ${what} (${said}). Check "Project Id" and the dataset.`);
  }
  if (e.status === 429 || e.status >= 500) {
    return new RetryableError(`BigQuery kept failing to ${what} even after retries (${said}). Nothing was written; ` +
      "try again later.");
  }
  return new UserError(`BigQuery refused to ${what} (${said}).`);
}

function call(s: BigQuerySession, url: string, options: { method?: string; body?: string } = {}):
    Promise<HttpResponse> {
  return s.http.request({
    url, method: options.method ?? "GET", trusted: true, who: WHO, logger: s.logger, body: options.body,
    headers: { authorization: `Bearer ${s.accessToken}`,
      ...(options.body ? { "content-type": "application/json; charset=UTF-8" } : {}) },
    acceptStatus: (status) => status < 500 && status !== 429 && status !== 408,
  });
}

function projectPath(s: BigQuerySession): string {
  return `projects/${encodeURIComponent(s.project)}`;
}

/** Every dataset of the project, by id (all pages). */
export async function listDatasets(s: BigQuerySession): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const url = new URL(`${s.apiUrl}/bigquery/v2/${projectPath(s)}/datasets`);
    url.searchParams.set("maxResults", "1000");
    if (pageToken) { url.searchParams.set("pageToken", pageToken); }
    const res = await call(s, url.toString());
    if (res.status !== 200) { throw bigqueryFailure(res, "list the project's datasets"); }
    const answer = res.json();
    for (const d of Array.isArray(answer.datasets) ? answer.datasets : []) {
      const id = d?.datasetReference?.datasetId;
      if (typeof id === "string") { ids.push(id); }
    }
    const next = typeof answer.nextPageToken === "string" && answer.nextPageToken ? answer.nextPageToken : undefined;
    if (!next || next === pageToken) { break; }
    pageToken = next;
  }
  return ids.sort((a, b) => a.localeCompare(b));
}

/** tables.get: the table's column names, or undefined when BigQuery has no such table (404). */
export async function tableColumns(s: BigQuerySession, dataset: string, table: string): Promise<string[] | undefined> {
  const res = await call(s, `${s.apiUrl}/bigquery/v2/${projectPath(s)}/datasets/${encodeURIComponent(dataset)}` +
    `/tables/${encodeURIComponent(table)}?selectedFields=schema`);
  if (res.status === 404) { return undefined; }
  if (res.status !== 200) { throw bigqueryFailure(res, `read the table ${dataset}.${table}`); }
  const fields = res.json()?.schema?.fields;
  return (Array.isArray(fields) ? fields : []).map((f: { name?: unknown }) => String(f?.name ?? ""));
}

/** jobs.insert on the upload URI: opens the resumable session for a load job; answers its address. */
export async function openLoadSession(s: BigQuerySession, job: unknown): Promise<string> {
  const url = `${s.apiUrl}/upload/bigquery/v2/${projectPath(s)}/jobs?uploadType=resumable`;
  const res = await s.http.request({
    url, method: "POST", trusted: true, who: WHO, logger: s.logger, body: JSON.stringify(job),
    headers: { "authorization": `Bearer ${s.accessToken}`, "content-type": "application/json; charset=UTF-8",
      "x-upload-content-type": "application/octet-stream" },
    acceptStatus: (status) => status < 500 && status !== 429 && status !== 408,
  });
  const location = res.headers.location;
  if (res.status !== 200 || typeof location !== "string") { throw bigqueryFailure(res, "start the load job"); }
  return sessionAddress(location, s.apiUrl, WHO);
}

/** jobs.get. */
export async function getJob(s: BigQuerySession, jobId: string, location?: string): Promise<any> {
  const url = new URL(`${s.apiUrl}/bigquery/v2/${projectPath(s)}/jobs/${encodeURIComponent(jobId)}`);
  if (location) { url.searchParams.set("location", location); }
  const res = await call(s, url.toString());
  if (res.status !== 200) { throw bigqueryFailure(res, "follow the load job"); }
  try {
    return res.json();
  } catch {
    throw new RetryableError("BigQuery answered jobs.get with something that is not JSON. Try again later.");
  }
}
