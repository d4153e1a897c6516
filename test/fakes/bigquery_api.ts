// A local fake of BigQuery's REST API (v2) on 127.0.0.1, with Google's service-account token
// endpoint: datasets.list (paged), jobs.insert through the upload URI as a resumable upload
// (the job resource posted, Location answered, chunks PUT with Content-Range and answered 308
// with the bytes persisted, the last answered with the job, a DELETE cancelling), and jobs.get
// (RUNNING, then DONE). A load job runs as BigQuery's does: the dataset must exist, the table
// too unless CREATE_IF_NEEDED (then from the job's schema), a given schema must match an existing
// table's, each newline-delimited JSON row is checked against the table's types, and any bad row
// (maxBadRecords 0) fails the whole job, nothing written, with BigQuery's errorResult and errors.
// Uploads go to files, rows are counted as they are read: a million rows cost no memory.
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import * as readline from "readline";
import { pipeline } from "stream/promises";
import { readAll } from "../helpers/deliveries";
import { GoogleApiFake } from "./google_token";

export interface BqField { name: string; type: string; mode?: string; }
export interface BqTable { schema: BqField[]; rows: Array<Record<string, unknown>>; count: number; }
interface BqError { reason: string; message: string; location?: string; }
interface Job { resource: any; polls: number; }
interface Session { job: any; file: string; size: number; }

/** Rows kept per table for assertions; the rest are only counted. */
const KEEP_ROWS = 1000;

export class FakeBigQuery extends GoogleApiFake {
  readonly datasets = new Map<string, { location: string }>([["analytics", { location: "US" }], ["sales", { location: "EU" }],
    ["staging", { location: "US" }]]);
  readonly tables = new Map<string, BqTable>();
  readonly jobs = new Map<string, Job>();
  readonly sessions = new Map<string, Session>();
  readonly cancelled: string[] = [];
  /** Every job resource posted to jobs.insert, as received. */
  readonly inserted: any[] = [];
  /** Chunk PUTs with data, and their sizes. */
  readonly chunkSizes: number[] = [];
  /** The answer to the next authorized API call (a status with BigQuery's error), once. */
  nextError?: { status: number; reason: string; message: string };
  /** jobs.get answers RUNNING this many times before DONE. */
  runningPolls = 1;

  constructor() { super("lis-fake-bq-"); }

  table(dataset: string, table: string): BqTable | undefined { return this.tables.get(`${dataset}.${table}`); }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
    res.end(JSON.stringify(body));
  }

  /** An HTTP error as Google's APIs answer it. */
  private error(res: http.ServerResponse, status: number, reason: string, message: string): void {
    const statusName: Record<number, string> = { 400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED",
      403: "PERMISSION_DENIED", 404: "NOT_FOUND", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
      503: "UNAVAILABLE" };
    this.json(res, status, { error: { code: status, message, errors: [{ message, domain: "global", reason }],
      status: statusName[status] ?? "UNKNOWN" } });
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    if (url.pathname === "/token" && req.method === "POST") {
      return this.answerToken((await readAll(req)).toString("utf8"), res);
    }
    const uploadId = url.searchParams.get("upload_id");
    if (url.pathname.startsWith("/upload/") && uploadId) { return this.sessionCall(uploadId, req, res); }
    const token = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!this.minted.has(token)) {
      req.resume();
      return this.error(res, 401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 " +
        "access token, login cookie or other valid authentication credential.");
    }
    if (this.nextError) {
      const e = this.nextError;
      this.nextError = undefined;
      req.resume();
      return this.error(res, e.status, e.reason, e.message);
    }
    const project = /^\/(?:upload\/)?bigquery\/v2\/projects\/([^/]+)\//.exec(url.pathname)?.[1];
    if (project !== undefined && decodeURIComponent(project) !== this.projectId) {
      req.resume();
      return this.error(res, 403, "accessDenied", `Access Denied: Project ${decodeURIComponent(project)}: User does ` +
        "not have bigquery.jobs.create permission in project " + decodeURIComponent(project) + ".");
    }
    let m = /^\/bigquery\/v2\/projects\/[^/]+\/datasets$/.exec(url.pathname);
    if (m && req.method === "GET") { req.resume(); return this.listDatasets(url, res); }
    m = /^\/upload\/bigquery\/v2\/projects\/[^/]+\/jobs$/.exec(url.pathname);
    if (m && req.method === "POST" && url.searchParams.get("uploadType") === "resumable") {
      return this.openSession(req, res);
    }
    m = /^\/bigquery\/v2\/projects\/[^/]+\/jobs\/([^/]+)$/.exec(url.pathname);
    if (m && req.method === "GET") { req.resume(); return this.getJob(decodeURIComponent(m[1]), res); }
    m = /^\/bigquery\/v2\/projects\/[^/]+\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(url.pathname);
    if (m && req.method === "GET") { req.resume(); return this.getTable(decodeURIComponent(m[1]), decodeURIComponent(m[2]), res); }
    req.resume();
    this.error(res, 404, "notFound", `Not found: ${url.pathname}`);
  }

  /** tables.get: the table's reference and schema, 404 notFound as BigQuery answers a missing one. */
  private getTable(dataset: string, table: string, res: http.ServerResponse): void {
    if (!this.datasets.has(dataset)) { return this.error(res, 404, "notFound", `Not found: Dataset ${this.projectId}:${dataset}`); }
    const found = this.tables.get(`${dataset}.${table}`);
    if (!found) { return this.error(res, 404, "notFound", `Not found: Table ${this.projectId}:${dataset}.${table}`); }
    this.json(res, 200, { kind: "bigquery#table", tableReference: { projectId: this.projectId, datasetId: dataset,
      tableId: table }, schema: { fields: found.schema }, numRows: String(found.count) });
  }

  private listDatasets(url: URL, res: http.ServerResponse): void {
    const names = [...this.datasets.keys()].sort();
    const start = Number(url.searchParams.get("pageToken") ?? "0");
    const page = names.slice(start, start + 2);
    const next = start + 2 < names.length ? String(start + 2) : undefined;
    this.json(res, 200, { kind: "bigquery#datasetList", etag: "x", nextPageToken: next,
      datasets: page.map((id) => ({ kind: "bigquery#dataset", id: `${this.projectId}:${id}`,
        datasetReference: { datasetId: id, projectId: this.projectId },
        location: this.datasets.get(id)!.location })) });
  }

  private async openSession(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let job: any;
    try { job = JSON.parse((await readAll(req)).toString("utf8")); } catch { job = undefined; }
    const load = job?.configuration?.load;
    if (!load?.destinationTable?.datasetId || !load.destinationTable.tableId) {
      return this.error(res, 400, "invalid", "Required parameter is missing");
    }
    if (load.sourceFormat !== "NEWLINE_DELIMITED_JSON") {
      return this.error(res, 400, "invalid", `Invalid source format ${load.sourceFormat}`);
    }
    const jobId = job.jobReference?.jobId ?? `job_${crypto.randomBytes(8).toString("hex")}`;
    if (this.jobs.has(jobId)) { return this.error(res, 409, "duplicate", `Already Exists: Job ${this.projectId}:US.${jobId}`); }
    this.inserted.push(job);
    const id = crypto.randomBytes(8).toString("hex");
    const file = path.join(this.dir, `session-${id}`);
    fs.writeFileSync(file, "");
    this.sessions.set(id, { job: { ...job, jobReference: { projectId: this.projectId, jobId, location: "US" } }, file, size: 0 });
    res.writeHead(200, { location: `${this.url}/upload/bigquery/v2/projects/${this.projectId}/jobs?uploadType=resumable&upload_id=${id}` });
    res.end();
  }

  private async sessionCall(id: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) { req.resume(); return this.error(res, 404, "notFound", "No such upload session."); }
    if (req.method === "DELETE") {
      this.sessions.delete(id);
      fs.rmSync(session.file, { force: true });
      this.cancelled.push(session.job.jobReference.jobId);
      res.writeHead(499);
      return void res.end();
    }
    const range = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(String(req.headers["content-range"] ?? ""));
    if (req.method !== "PUT" || !range) { req.resume(); return this.error(res, 400, "invalid", "Bad Content-Range"); }
    const total = range[3] === "*" ? undefined : Number(range[3]);
    if (range[1] !== undefined) {
      if (Number(range[1]) !== session.size) { req.resume(); return this.error(res, 400, "invalid", "Bad offset"); }
      const before = fs.statSync(session.file).size;
      await pipeline(req, fs.createWriteStream(session.file, { flags: "a" }));
      session.size = fs.statSync(session.file).size;
      this.chunkSizes.push(session.size - before);
    } else {
      req.resume();
    }
    if (total !== undefined && session.size === total) {
      this.sessions.delete(id);
      const resource = { kind: "bigquery#job", id: `${this.projectId}:US.${session.job.jobReference.jobId}`,
        jobReference: session.job.jobReference, configuration: session.job.configuration,
        status: { state: "RUNNING" }, statistics: { creationTime: String(Date.now()) } };
      this.jobs.set(session.job.jobReference.jobId, { resource, polls: 0 });
      await this.runLoad(resource, session.file);
      return this.json(res, 200, { ...resource, status: { state: "RUNNING" } });
    }
    res.writeHead(308, session.size ? { range: `bytes=0-${session.size - 1}` } : {});
    res.end();
  }

  private getJob(jobId: string, res: http.ServerResponse): void {
    const job = this.jobs.get(jobId);
    if (!job) { return this.error(res, 404, "notFound", `Not found: Job ${this.projectId}:${jobId}`); }
    job.polls++;
    if (job.polls <= this.runningPolls) { return this.json(res, 200, { ...job.resource, status: { state: "RUNNING" } }); }
    this.json(res, 200, job.resource);
  }

  /** Runs the load job over the uploaded file: the job's final status goes on its resource. */
  private async runLoad(resource: any, file: string): Promise<void> {
    const load = resource.configuration.load;
    const { datasetId, tableId } = load.destinationTable;
    const done = (errors?: BqError[], outputRows = 0) => {
      resource.status = errors ? { state: "DONE", errorResult: errors[0], errors } : { state: "DONE" };
      resource.statistics = { ...resource.statistics, load: { outputRows: String(outputRows) } };
      fs.rmSync(file, { force: true });
    };
    if (!this.datasets.has(datasetId)) { return done([{ reason: "notFound", message: `Not found: Dataset ${this.projectId}:${datasetId}` }]); }
    const key = `${datasetId}.${tableId}`;
    const existing = this.tables.get(key);
    const given: BqField[] | undefined = load.schema?.fields;
    if (!existing && load.createDisposition === "CREATE_NEVER") {
      return done([{ reason: "notFound", message: `Not found: Table ${this.projectId}:${key}` }]);
    }
    const truncate = load.writeDisposition === "WRITE_TRUNCATE";
    if (existing && given && !truncate) {
      const same = (a: BqField, b: BqField) => a.name.toLowerCase() === b.name.toLowerCase();
      const changed = given.find((f) => existing.schema.some((e) => same(e, f) && e.type !== f.type));
      if (changed) {
        const was = existing.schema.find((e) => same(e, changed))!;
        return done([{ reason: "invalid", message: `Provided Schema does not match Table ${this.projectId}:${key}. ` +
          `Field ${changed.name} has changed type from ${was.type} to ${changed.type}` }]);
      }
    }
    const schema = truncate || !existing ? given : existing.schema;
    if (!schema) { return done([{ reason: "invalid", message: "No schema specified on job or table." }]); }
    const rows: Array<Record<string, unknown>> = [];
    let count = 0;
    let position = 0;
    const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
      const start = position;
      position += Buffer.byteLength(line) + 1;
      if (!line.trim()) { continue; }
      const problem = rowProblem(line, schema);
      if (problem) {
        lines.close();
        return done([{ reason: "invalid", message: "Error while reading data, error message: JSON table encountered " +
          "too many errors, giving up. Rows: 1; errors: 1. Please look into the errors[] collection for more details." },
        { reason: "invalid", message: "Error while reading data, error message: JSON processing encountered too many " +
          "errors, giving up. Rows: 1; errors: 1; max bad: 0; error percent: 0" },
        { reason: "invalid", message: `Error while reading data, error message: JSON parsing error in row starting ` +
          `at position ${start}: ${problem}` }]);
      }
      count++;
      if (rows.length < KEEP_ROWS) { rows.push(JSON.parse(line)); }
    }
    if (existing && !truncate) {
      existing.count += count;
      existing.rows.push(...rows.slice(0, Math.max(0, KEEP_ROWS - existing.rows.length)));
    } else {
      this.tables.set(key, { schema, rows, count });
    }
    done(undefined, count);
  }
}

const CHECKS: Record<string, (v: unknown) => boolean> = {
  INTEGER: (v) => (typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && /^[+-]?\d+$/.test(v)),
  FLOAT: (v) => typeof v === "number" || (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))),
  NUMERIC: (v) => typeof v === "number" || (typeof v === "string" && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(v)),
  BOOLEAN: (v) => typeof v === "boolean" || (typeof v === "string" && /^(true|false|1|0)$/i.test(v)),
  DATE: (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v),
  DATETIME: (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/.test(v),
  STRING: (v) => typeof v === "string",
};

/** Why BigQuery would refuse this line for the schema, in its words, or undefined. */
function rowProblem(line: string, schema: BqField[]): string | undefined {
  let row: unknown;
  try { row = JSON.parse(line); } catch { return "Parser terminated before end of string"; }
  if (!row || typeof row !== "object" || Array.isArray(row)) { return "Row is not a JSON object"; }
  for (const [name, value] of Object.entries(row)) {
    const field = schema.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) { return `No such field: ${name}.`; }
    if (value === null) {
      if (field.mode === "REQUIRED") { return `Only optional fields can be set to NULL. Field: ${name}; Value: NULL`; }
      continue;
    }
    const check = CHECKS[field.type] ?? CHECKS.STRING;
    if (!check(value)) {
      return `Could not convert value '${typeof value === "string" ? `string_value: "${value}"` : JSON.stringify(value)}' ` +
        `to ${field.type.toLowerCase()}. Field: ${name}; Value: ${String(value)}`;
    }
  }
  return undefined;
}
