// The row-to-batch pipeline of the row destinations (the CRMs and marketing tools; Segment
// shares its reader): json_detail rows stream from the delivery (push or download_url) through
// the destination's mapping into the vendor's batches, at most `concurrency` batches in flight
// (backpressure: a million-row audience never sits in memory). Every row is accounted for:
// accepted, rejected by the mapping (no id) or rejected by the vendor (a partial batch), and
// the answer says so in numbers; too many rejections fail the delivery (row_tally.ts).
import type { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";
import { BatchWindow } from "./batch_window";
import { feedRows, RowSink } from "./row_feed";
import type { MappingRecipe, RowMapper } from "./row_mapping";
import type { JsonDetailFields } from "./rows";
import { RecordCopies } from "./record_copies";
import { releaseRecords, SerializedRecord } from "./serialized_record";
import { formatCount, RowRejection, RowTally, TallyWording } from "./row_tally";

export type { Mapped, RowMapper } from "./row_mapping";
export { detailChunks } from "./detail_chunks";

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
   * The batch's records are read only until its promise settles: a row worker's records are then
   * released, and their memory (record_copies.ts, or the body RecordBodies moved them into)
   * written again with later rows, so keep none past it.
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
  /**
   * The mapping `prepare` uses, declared so a row worker can build it (row_mapping.ts); with it,
   * rows are parsed, mapped and serialised on a worker thread when the pool has one
   * (ROW_WORKER_THREADS), and `send` gets SerializedRecords (recordsJson makes its body).
   */
  recipe?: MappingRecipe;
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
  let batch: Array<NumberedRecord<R>> = [];
  const holdsFullBatch = destination.marksLastBatch === true;
  // A row worker's records, copied as they arrive: its outputs go straight back (record_copies.ts).
  const copies = new RecordCopies();
  const dispatch = async (last: boolean) => {
    const full = batch;
    batch = [];
    if (dryRun) {
      firstRecord = firstRecord ?? full[0]?.record;
      tally.accepted += full.length;
      return;
    }
    await window.submit(async () => {
      try {
        const outcome = await destination.send(full, last);
        tally.accepted += outcome.accepted;
        for (const rejection of outcome.rejected) { tally.reject(rejection); }
      } finally {
        releaseRecords(full);
      }
    });
  };
  const add = (numbered: NumberedRecord<R>): Promise<void> | void => {
    if (window.failed) { return; }
    batch.push(numbered instanceof SerializedRecord ? copies.copy(numbered) : numbered);
    if (!holdsFullBatch && batch.length >= destination.batchSize) { return dispatch(false); }
  };
  const sink: RowSink<R> = {
    record(numbered) {
      tally.rows = numbered.row;
      if (holdsFullBatch && batch.length >= destination.batchSize) { return dispatch(false).then(() => add(numbered)); }
      return add(numbered);
    },
    rejected(rejection) {
      tally.rows = rejection.row;
      tally.reject(rejection);
    },
    get stopped() { return window.failed; },
  };
  await feedRows(request, {
    vendor: wording().vendor, mapping: { prepare: (fields, hidden) => destination.prepare(fields, hidden) },
    recipe: destination.recipe, labelRows: destination.labelRows, copiesRecords: true,
  }, sink);
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
