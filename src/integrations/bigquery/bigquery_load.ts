// One delivery as one BigQuery load job: the job resource (destination, write and create
// dispositions from the write mode, the schema from the fields), the rows as newline-delimited
// JSON streamed through the resumable upload a chunk at a time, then the job followed until
// BigQuery says DONE. A load job is atomic: on any bad row (maxBadRecords 0) nothing is written.
import * as crypto from "crypto";
import { PieceOut, RowTextEncoder, RowTextWriter } from "../../families/warehouse/row_text_writer";
import type { ColumnType, WarehouseColumn } from "../../families/warehouse/warehouse_columns";
import type { WarehouseRows } from "../../families/warehouse/warehouse_rows";
import { RowError } from "../../families/warehouse/warehouse_values";
import type { WriteMode } from "../../families/warehouse/write_target";
import { UserError } from "../../lib/errors";
import { uploadResumable } from "../../lib/google_resumable";
import { abortableSleep } from "../../lib/abort_scope";
import { BigQuerySession, bigqueryFailure, getJob, openLoadSession, WHO } from "./bigquery_api";

/**
 * Bytes per PUT of the resumable upload. 4 MiB rather than the shared 8 MiB default: a million
 * rows peaked at 155 MB of the hub's RSS against 176 MB with 8 MiB chunks, in three alternating
 * runs each at the same rows/s (bench/RESULTS.md notes, issue 29). A multiple of 256 KiB, as
 * Google requires; 1 MiB took the peak to 144-145 MB at twice the requests.
 */
export const BIGQUERY_CHUNK_BYTES = 4 * 1024 * 1024;

const BIGQUERY_TYPES: Record<ColumnType, string> = {
  integer: "INTEGER", number: "FLOAT", boolean: "BOOLEAN", date: "DATE", timestamp: "DATETIME", string: "STRING",
};

/** A field name as a BigQuery column: letters, digits and underscores, not starting with a digit. */
export function bigqueryColumnName(field: string): string {
  const name = field.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
/** Text JSON.stringify would change inside its quotes: quotes, backslashes, controls, surrogates. */
const JSON_SPECIAL = /["\\\u0000-\u001f\ud800-\udfff]/;
const QUOTE = 0x22;
const CLOSE = Buffer.from("}\n");
const NULL_VALUE = Buffer.from("null");
const TRUE_VALUE = Buffer.from("true");
const FALSE_VALUE = Buffer.from("false");

/** Bytes of rows handed to the upload at a time. */
const PIECE_BYTES = 256 * 1024;

/**
 * Newline-delimited JSON objects keyed by the columns' names: the keys' bytes made once, text
 * between quotes as it is unless JSON needs to escape it.
 */
class NdjsonEncoder implements RowTextEncoder {
  /** `{"first":`, then `,"next":` for each other column. */
  private readonly keys: Buffer[];
  private readonly types: ColumnType[];
  readonly nullValue = NULL_VALUE;
  readonly trueValue = TRUE_VALUE;
  readonly falseValue = FALSE_VALUE;

  constructor(columns: readonly WarehouseColumn[]) {
    this.keys = columns.map((c, i) => Buffer.from(`${i ? "," : "{"}${JSON.stringify(c.name)}:`));
    this.types = columns.map((c) => c.type);
  }

  before(out: PieceOut, column: number): void {
    out.bytes(this.keys[column]);
  }

  text(out: PieceOut, value: string, column: number): void {
    const type = this.types[column];
    if ((type === "integer" || type === "number") && JSON_NUMBER.test(value)) { out.text(value); return; }
    // DATETIME takes microseconds at most.
    const text = type === "timestamp" ? value.replace(/(\.\d{6})\d+$/, "$1") : value;
    if (JSON_SPECIAL.test(text)) { out.text(JSON.stringify(text)); return; }
    out.byte(QUOTE);
    out.text(text);
    out.byte(QUOTE);
  }

  end(out: PieceOut): void {
    // A delivery has one column at least (warehouseColumns), so the first key opened the object.
    out.bytes(CLOSE);
  }
}

/**
 * Rows as newline-delimited JSON (NdjsonEncoder) written into pieces. The upload copies each
 * piece into its chunk before asking for the next (uploadResumable), so each is given back and
 * filled again: no batch's text or buffer is kept or made (issue 29: a million rows' peak).
 */
export class NdjsonWriter extends RowTextWriter {
  constructor(columns: readonly WarehouseColumn[], pieceBytes = PIECE_BYTES) {
    super(new NdjsonEncoder(columns), pieceBytes);
  }
}

/** The rows' pieces for the upload, each given back to be filled again once the upload took it. */
async function* ndjson(rows: WarehouseRows): AsyncGenerator<Buffer> {
  const writer = new NdjsonWriter(rows.columns);
  for await (const batch of rows.batches) {
    for (const piece of writer.rows(batch)) {
      yield piece;
      writer.reuse(piece);
    }
  }
  const rest = writer.end();
  if (rest.length) { yield rest; }
}

export interface LoadTarget {
  dataset: string;
  table: string;
  mode: WriteMode;
}

/** The load job resource for jobs.insert. */
export function loadJob(project: string, target: LoadTarget, columns: WarehouseColumn[]): unknown {
  const schema = { fields: columns.map((c) => ({ name: c.name, type: BIGQUERY_TYPES[c.type], mode: "NULLABLE" })) };
  return {
    jobReference: { projectId: project, jobId: `looker_${crypto.randomUUID().replace(/-/g, "_")}` },
    configuration: { load: {
      destinationTable: { projectId: project, datasetId: target.dataset, tableId: target.table },
      sourceFormat: "NEWLINE_DELIMITED_JSON", maxBadRecords: 0,
      writeDisposition: target.mode === "replace" ? "WRITE_TRUNCATE" : "WRITE_APPEND",
      createDisposition: target.mode === "append" ? "CREATE_NEVER" : "CREATE_IF_NEEDED",
      // Append writes into the table as it is, with its own types; create and replace make it from the fields.
      ...(target.mode === "append" ? {} : { schema }),
    } },
  };
}

export interface LoadSettings {
  /** How long the job is followed (BIGQUERY_JOB_WAIT_SECONDS). */
  waitMs: number;
  /** The longest pause between two looks (BIGQUERY_POLL_SECONDS). */
  pollMs: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  signal?: AbortSignal;
}

/** The error a finished job reports, with BigQuery's own reason; the log gets it without BigQuery's words. */
function jobFailure(status: any, where: string): Error {
  const errors: Array<{ reason?: string; message?: string }> = Array.isArray(status.errors) ? status.errors : [];
  const result = status.errorResult ?? errors[0] ?? {};
  const reason = String(result.reason ?? "unknown");
  // The most telling of BigQuery's errors: the one that names the row or the field, else the result's.
  const detail = errors.find((e) => /position \d+|No such field|Could not convert|Provided Schema|Not found/i
    .test(String(e.message))) ?? result;
  const words = String(detail.message ?? "").replace(/\s+/g, " ").slice(0, 400);
  const nothing = "Nothing was written: the table is as it was.";
  const fix = reason === "notFound" ? " Check the dataset and table, or pick \"Create if missing\" or \"Replace\"."
    : reason === "accessDenied" ? " The service account needs BigQuery Data Editor on the dataset." : "";
  return new RowError(`BigQuery's load job into ${where} failed (${reason}): ${words} ${nothing}${fix}`,
    `BigQuery's load job into ${where} failed (${reason}; BigQuery's words went to Looker only). ${nothing}`);
}

/** Loads the rows; answers the rows BigQuery wrote. */
export async function loadRows(s: BigQuerySession, target: LoadTarget, rows: WarehouseRows, settings: LoadSettings):
    Promise<number> {
  const where = `${s.project}.${target.dataset}.${target.table}`;
  const sessionUrl = await openLoadSession(s, loadJob(s.project, target, rows.columns));
  const { last } = await uploadResumable({
    http: s.http, logger: s.logger, who: WHO, sessionUrl, body: ndjson(rows),
    chunkSize: BIGQUERY_CHUNK_BYTES,
    maxAttempts: settings.maxAttempts, retryBaseDelayMs: settings.retryBaseDelayMs,
    refused: (res) => bigqueryFailure(res, `load into ${where}`),
  });
  let job: any;
  try { job = last.json(); } catch { job = {}; }
  const jobId = job?.jobReference?.jobId;
  if (typeof jobId !== "string") {
    throw new UserError("BigQuery took the rows but answered without the load job's id, so whether they were " +
      `written is unknown. Look at ${where} before sending again.`);
  }
  const until = Date.now() + settings.waitMs;
  let pause = Math.min(250, settings.pollMs);
  while (job?.status?.state !== "DONE") {
    if (Date.now() + pause > until) {
      throw new UserError(`BigQuery's load job ${jobId} into ${where} was still running after ` +
        `${Math.round(settings.waitMs / 1000)} s. It goes on by itself: see it in the BigQuery console (Job history) ` +
        "before sending again, so the rows are not loaded twice.");
    }
    await abortableSleep(pause, settings.signal);
    pause = Math.min(pause * 2, settings.pollMs);
    job = await getJob(s, jobId, job?.jobReference?.location);
  }
  if (job.status.errorResult) { throw jobFailure(job.status, where); }
  const written = Number(job.statistics?.load?.outputRows);
  return Number.isFinite(written) ? written : rows.count;
}
