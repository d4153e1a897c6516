// The row-to-batch pipeline of the row destinations (the CRMs and marketing tools; Segment
// shares its reader): json_detail rows stream from the delivery (push or download_url) through
// the destination's mapping into the vendor's batches, at most `concurrency` batches in flight
// (backpressure: a million-row audience never sits in memory). Every row is accounted for:
// accepted, rejected by the mapping (no id) or rejected by the vendor (a partial batch), and
// the answer says so in numbers; too many rejections fail the delivery (row_tally.ts).
import type { ActionRequest } from "../../hub/action_request";
import { HubError, UserError } from "../../lib/errors";
import { BatchWindow } from "./batch_window";
import { hiddenFields } from "./detail_fields";
import { labelRowItems } from "./label_rows";
import { jsonDetailChunks, JsonDetailFields, JsonDetailItem, JsonDetailRow } from "./rows";
import { formatCount, RowRejection, RowTally, TallyWording } from "./row_tally";

/** One row as the vendor's record, or why it cannot become one. */
export type Mapped<R> = { record: R } | { rejected: string; example?: string };

export interface RowMapper<R> {
  map(row: JsonDetailRow, rowNumber: number): Mapped<R>;
}

/** A record with the number of the row it came from, so a rejection can name the row. */
export interface NumberedRecord<R> {
  row: number;
  record: R;
}

/** What the vendor said about one batch. */
export interface BatchOutcome {
  accepted: number;
  rejected: RowRejection[];
}

export interface RowDestination<R> {
  wording: TallyWording;
  /** Records per vendor request at most. */
  batchSize: number;
  /** Vendor requests in flight at once. */
  concurrency: number;
  /** Reads the fields; throws a UserError naming the tag to add when one is missing (before any call). */
  prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<R>;
  /**
   * Sends one batch; throws (a UserError saying why) for a failure that must stop the delivery.
   * `last` is true for the last batch when the destination `marksLastBatch`, else always false.
   */
  send(batch: Array<NumberedRecord<R>>, last: boolean): Promise<BatchOutcome>;
  /**
   * The vendor must be told which batch is the last (a session that swaps an audience at once):
   * a full batch is then sent when the next record arrives, or as the last one when the rows end.
   */
  marksLastBatch?: boolean;
  /**
   * After the last batch: what the destination still had to do (the session's last batch, a
   * job to run), with its outcome and a sentence for the answer. Not called after a failure.
   */
  finish?(): Promise<Partial<BatchOutcome> & { note?: string }>;
  /** Also reads rows keyed by label (json_label: the official ad actions' format), see labelRowItems. */
  labelRows?: boolean;
}

const DETAIL_FORMATS = ["json_detail", "json_detail_lite_stream"];

/**
 * The json_detail parts of the request's delivery, a chunk at a time (see jsonDetailChunks: read
 * each chunk whole before asking for the next); refuses a missing delivery or another format.
 * With `labelRows`, json_label rows come as json_detail parts whose fields are the first row's keys.
 */
export async function* detailChunks(request: ActionRequest, vendor: string, labelRows = false):
  AsyncGenerator<Iterable<JsonDetailItem>> {
  if (!request.delivery) {
    throw new UserError(`Looker sent no query results to deliver to ${vendor}. If the schedule sends even when ` +
      `there are no results, there is nothing for ${vendor} to receive; otherwise send it again.`);
  }
  if (labelRows && request.format === "json_label") {
    for await (const item of labelRowItems(request.delivery)) { yield [item]; }
    return;
  }
  if (request.format && !DETAIL_FORMATS.includes(request.format)) {
    throw new UserError(`${vendor} deliveries need the json_detail format; this one came as "${request.format}". ` +
      `Edit the schedule and pick the format Looker offers for ${vendor}.`);
  }
  try {
    yield* jsonDetailChunks(request.delivery);
  } catch (err) {
    if (err instanceof HubError) { throw err; }
    throw new UserError("The data Looker sent could not be read as json_detail. Send the query again; " +
      "if it keeps failing, ask your Looker admin to check the schedule's format.");
  }
}

/** The failure that stopped a delivery, with what had been done before it. */
function stopped(err: unknown, tally: RowTally, wording: TallyWording): unknown {
  if (!(err instanceof UserError)) { return err; }
  const before = tally.accepted === 0 && tally.rejected === 0
    ? `${wording.vendor} had accepted no ${wording.plural ?? `${wording.noun}s`} before the delivery stopped.`
    : `Before the delivery stopped: ${tally.progress(wording, false)}.`;
  // The same error, told more: its kind stays (a login to redo clears the user's state).
  err.message = `${err.message.replace(/\s*$/, "")} ${before}`;
  return err;
}

/** What a delivery of rows did (or, in a dry run, would have done). */
export interface RowsOutcome {
  message: string;
  rows: number;
  accepted: number;
  rejected: number;
  /** A dry run's first record as the vendor would have received it. */
  firstRecord?: unknown;
}

/** Delivers the request's rows to `destination`; answers the summary or throws a UserError. */
export async function deliverRows<R>(
  request: ActionRequest, destination: RowDestination<R>, maxRejectedPercent: number,
): Promise<string> {
  return (await rowsOutcome(request, destination, maxRejectedPercent)).message;
}

/**
 * The same, with its figures. In a dry run (request.dryRun) every row is read and mapped, the
 * records are counted and the first kept, and no batch is sent (src/lib/dry_run.ts).
 */
export async function rowsOutcome<R>(
  request: ActionRequest, destination: RowDestination<R>, maxRejectedPercent: number,
): Promise<RowsOutcome> {
  // Read when used: a destination may name its target only once it has found it.
  const wording = () => destination.wording;
  const dryRun = request.dryRun;
  let firstRecord: R | undefined;
  const tally = new RowTally();
  const window = new BatchWindow(destination.concurrency);
  const hidden = hiddenFields(request);
  let mapper: RowMapper<R> | undefined;
  let batch: Array<NumberedRecord<R>> = [];
  const holdsFullBatch = destination.marksLastBatch === true;
  const dispatch = async (last: boolean) => {
    const full = batch;
    batch = [];
    if (dryRun) {
      firstRecord = firstRecord ?? full[0]?.record;
      tally.accepted += full.length;
      return;
    }
    await window.submit(async () => {
      const outcome = await destination.send(full, last);
      tally.accepted += outcome.accepted;
      for (const rejection of outcome.rejected) { tally.reject(rejection); }
    });
  };
  reading: for await (const chunk of detailChunks(request, wording().vendor, destination.labelRows)) {
    for (const item of chunk) {
      if (item.kind === "fields") {
        mapper = destination.prepare(item.fields, hidden);
      } else if (item.kind === "row") {
        mapper = mapper ?? destination.prepare({}, hidden);
        const row = ++tally.rows;
        const mapped = mapper.map(item.row, row);
        if ("rejected" in mapped) {
          tally.reject({ row, reason: mapped.rejected, example: mapped.example });
          continue;
        }
        if (holdsFullBatch && batch.length >= destination.batchSize) { await dispatch(false); }
        if (window.failed) { break reading; }
        batch.push({ row, record: mapped.record });
        if (!holdsFullBatch && batch.length >= destination.batchSize) { await dispatch(false); }
        if (window.failed) { break reading; }
      }
    }
  }
  if (!mapper) { destination.prepare({}, hidden); }
  if (batch.length > 0 && !window.failed) { await dispatch(holdsFullBatch); }
  await window.drain();
  if (window.failed) { throw stopped(window.failure, tally, wording()); }
  if (dryRun) {
    const would = `${formatCount(tally.accepted)} would be sent to ${wording().vendor} as ` +
      `${tally.accepted === 1 ? wording().noun : wording().plural ?? `${wording().noun}s`}`;
    const rejected = tally.rejected ? `; ${tally.rejections(true, wording().rejectedWord)}` : "";
    return { message: `${formatCount(tally.rows)} rows read; ${would}${rejected}.`, rows: tally.rows,
      accepted: tally.accepted, rejected: tally.rejected, firstRecord };
  }
  let note: string | undefined;
  if (destination.finish && tally.rows > 0) {
    try {
      const last = await destination.finish();
      tally.accepted += last.accepted ?? 0;
      for (const rejection of last.rejected ?? []) { tally.reject(rejection); }
      note = last.note;
    } catch (err) {
      throw stopped(err, tally, wording());
    }
  }
  request.logger.info("row delivery sent", { rows: tally.rows, accepted: tally.accepted, rejected: tally.rejected });
  const summary = tally.outcome(wording(), maxRejectedPercent);
  return { message: note ? `${summary} ${note}` : summary, rows: tally.rows, accepted: tally.accepted,
    rejected: tally.rejected };
}
