// Row readers over a delivery, whichever way it came. Integrations iterate rows and never
// parse formats themselves. Every reader streams: memory stays flat whatever the size, and
// the next chunk is read only when the integration asks for more rows (backpressure).
import { parse as parseCsv } from "csv-parse";
import { pipeline, Readable } from "stream";
import { Delivery } from "../../hub/delivery";
import { HubError, UserError } from "../../lib/errors";
import { ParsedRun, parsedRows } from "../json/row_bytes";
import type { RawRun } from "../json/raw_run";
import { JsonPath, JsonSyntaxError, JsonWalker, ValueMode, WalkHandler } from "../json/json_walker";
import { Spool } from "../delivery/spool";

export interface JsonDetailField {
  name: string;
  label?: string;
  label_short?: string;
  tags?: string[];
  type?: string;
  hidden?: boolean;
  [key: string]: unknown;
}

export interface JsonDetailFields {
  dimensions?: JsonDetailField[];
  measures?: JsonDetailField[];
  table_calculations?: JsonDetailField[];
  pivots?: Array<{ key: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface JsonDetailCell {
  value: unknown;
  rendered?: string;
  html?: string;
  links?: unknown[];
  [key: string]: unknown;
}

/** A row: field name to a cell, or, for a pivoted measure, pivot key to a cell. */
export type JsonDetailRow = Record<string, JsonDetailCell | Record<string, JsonDetailCell>>;

/**
 * The parts of a json_detail or json_detail_lite_stream delivery, as `jsonDetailItems` yields
 * them: fields first, then ran_at when it is known before the first row, the rows, and
 * ran_at last when it came after them.
 */
export type JsonDetailItem =
  | { kind: "fields"; fields: JsonDetailFields }
  | { kind: "row"; row: JsonDetailRow }
  | { kind: "ran_at"; ranAt: string };

/** With jsonDetailRawChunks: rows lying whole in a chunk, as byte ranges (src/data/json/raw_rows.ts). */
export type JsonDetailPart = JsonDetailItem | { kind: "raw"; run: RawRun };

function invalid(what: string, err: unknown): unknown {
  if (err instanceof HubError) { return err; }
  const detail = err instanceof Error ? err.message : String(err);
  return new UserError(`The ${what} data from Looker could not be read: ${detail}`);
}

/**
 * Runs a JSON walker over `readable` and yields what its handler queued, one chunk's worth
 * at a time (a fresh array each time); `afterChunk` may wait (e.g. for a spool file to drain).
 */
export async function* walkJsonChunks<T>(
  readable: Readable, what: string, handler: (push: (item: T) => void) => WalkHandler,
  afterChunk?: () => Promise<void>,
): AsyncGenerator<T[]> {
  let queue: T[] = [];
  const walker = new JsonWalker(handler((item) => { queue.push(item); }));
  try {
    for await (const chunk of readable) {
      try {
        walker.feed(chunk as Buffer);
      } catch (err) {
        throw invalid(what, err);
      }
      if (afterChunk) { await afterChunk(); }
      if (queue.length) {
        const full = queue;
        queue = [];
        yield full;
      }
    }
    try {
      walker.end();
    } catch (err) {
      throw invalid(what, err instanceof JsonSyntaxError && !walker.sawValue ? new Error("it is empty") : err);
    }
    if (queue.length) { yield queue; }
  } finally {
    readable.destroy();
  }
}

/** What `walkJsonChunks` queued, one item at a time. */
export async function* walkJson<T>(
  readable: Readable, what: string, handler: (push: (item: T) => void) => WalkHandler,
  afterChunk?: () => Promise<void>,
): AsyncGenerator<T> {
  for await (const chunk of walkJsonChunks(readable, what, handler, afterChunk)) {
    for (const item of chunk) { yield item; }
  }
}

/** Tells the delivery of each row yielded, so the hub can count rows delivered. */
async function* counted<T>(
  delivery: Delivery, items: AsyncGenerator<T>, isRow: (item: T) => boolean,
): AsyncGenerator<T> {
  for await (const item of items) {
    if (isRow(item)) { delivery.noteRows?.(1); }
    yield item;
  }
}

/** CSV rows as objects keyed by the header row (csv format). */
export function csvRows(delivery: Delivery): AsyncGenerator<Record<string, string>> {
  return counted(delivery, csvRecords(delivery), () => true);
}

async function* csvRecords(delivery: Delivery): AsyncGenerator<Record<string, string>> {
  const parser = parseCsv({ columns: true, bom: true, relax_column_count: true, skip_empty_lines: true });
  const source = await delivery.stream();
  pipeline(source, parser, () => undefined);
  try {
    for await (const record of parser) { yield record as Record<string, string>; }
  } catch (err) {
    throw invalid("CSV", err);
  } finally {
    source.destroy();
  }
}

/** Array elements at the top level of a JSON document, parsed one by one. */
function arrayElements<T>(readable: Readable, what: string): AsyncGenerator<T> {
  return walkJson<T>(readable, what, (push) => ({
    modeFor: () => "elements",
    element: (_path, row) => { push(row as T); },
    value: (_path, value) => {
      if (value !== null) { throw new UserError(`The ${what} data from Looker is not a list of rows.`); }
    },
  }));
}

/** Rows of an array of objects (json, json_label, inline_json). */
export function jsonRows(delivery: Delivery): AsyncGenerator<Record<string, unknown>> {
  return counted(delivery, jsonObjects(delivery), () => true);
}

async function* jsonObjects(delivery: Delivery): AsyncGenerator<Record<string, unknown>> {
  yield* arrayElements<Record<string, unknown>>(await delivery.stream(), "JSON");
}

/**
 * The parts of a json_detail or json_detail_lite_stream delivery: `fields` always first, then
 * each row. `ran_at` comes right after the fields when it is known before the first row (the
 * document has it before `data`, as Looker writes it, or the rows waited in a spool file),
 * so integrations can use it as every row's time; otherwise after the last row.
 * Rows that come before the fields wait in a spool file until the fields are known.
 */
export async function* jsonDetailItems(delivery: Delivery): AsyncGenerator<JsonDetailItem> {
  for await (const chunk of jsonDetailChunks(delivery)) {
    for (const item of chunk) { yield item; }
  }
}

/**
 * The same parts, a chunk of the delivery at a time: each chunk is read in order (once, and
 * whole, before the next is asked for), and pays for one promise a chunk rather than one a row.
 * The rows lying whole in the chunk come parsed at once (row_runs.ts: at most a chunk, at most
 * 1 MiB of them); a row cut by the chunk's edge waits as its bytes and is parsed when taken.
 */
export function jsonDetailChunks(delivery: Delivery): AsyncGenerator<Iterable<JsonDetailItem>> {
  return detailParts(delivery, false) as AsyncGenerator<Iterable<JsonDetailItem>>;
}

/**
 * The same, with the rows lying whole in a chunk as byte ranges (`raw` parts) for a destination
 * that builds its records from their bytes; the others (cut by a chunk's edge, before the
 * fields, nested too deep) come parsed. Rows are counted (noteRows) as they are read.
 */
export function jsonDetailRawChunks(delivery: Delivery): AsyncGenerator<Iterable<JsonDetailPart>> {
  return detailParts(delivery, true);
}

async function* detailParts(delivery: Delivery, raw: boolean): AsyncGenerator<Iterable<JsonDetailPart>> {
  const what = delivery.format ?? "json_detail";
  for await (const queued of jsonDetailParts(delivery, what, raw)) { yield expandRows(delivery, queued, what); }
}

/** A part as queued: a row's JSON bytes until it is taken, or rows parsed at once. */
type QueuedPart = JsonDetailPart | Buffer | ParsedRun;

function* expandRows(delivery: Delivery, queued: QueuedPart[], what: string): Generator<JsonDetailPart> {
  try {
    yield* parsedRows<JsonDetailPart>(queued, (row) => {
      delivery.noteRows?.(1);
      return { kind: "row", row: row as JsonDetailRow };
    });
  } catch (err) {
    throw invalid(what, err);
  }
}

async function* jsonDetailParts(delivery: Delivery, what: string, raw: boolean): AsyncGenerator<QueuedPart[]> {
  let fieldsSeen = false;
  let ranAt: string | undefined;
  let ranAtQueued = false;
  let liveRows = 0;
  let spool: Spool | undefined;
  /** Queues ran_at after the fields, as long as no row has gone before it. */
  const queueRanAt = (push: (item: QueuedPart) => void) => {
    if (fieldsSeen && ranAt !== undefined && !ranAtQueued && liveRows === 0) {
      ranAtQueued = true;
      push({ kind: "ran_at", ranAt });
    }
  };
  const handler = (push: (item: QueuedPart) => void): WalkHandler => ({
    modeFor(path: JsonPath): ValueMode {
      if (path.length === 0) { return "object"; }
      if (path.length > 1) { return "skip"; }
      if (path[0] === "fields" || path[0] === "ran_at") { return "collect"; }
      if (path[0] === "data") { return fieldsSeen ? "elementBytes" : "raw"; }
      return "skip";
    },
    value(path, value) {
      if (path.length === 0) { throw new UserError(`The ${what} data from Looker is not a JSON object.`); }
      if (path[0] === "fields" && !fieldsSeen) {
        fieldsSeen = true;
        const fields = value && typeof value === "object" && !Array.isArray(value) ? value as JsonDetailFields : {};
        push({ kind: "fields", fields });
        queueRanAt(push);
      } else if (path[0] === "ran_at" && value !== null && value !== undefined && ranAt === undefined) {
        ranAt = String(value);
        queueRanAt(push);
      }
    },
    element(_path, bytes) {
      liveRows++;
      push(bytes as Buffer);
    },
    elements(_path, rows) {
      liveRows += rows.length;
      push(new ParsedRun(rows));
    },
    rawElements: raw ? (_path, run) => {
      liveRows += run.count;
      delivery.noteRows?.(run.count);
      push({ kind: "raw", run });
    } : undefined,
    start() { spool = spool ?? Spool.create(); },
    bytes(_path, chunk) { spool!.write(chunk); },
  });
  try {
    yield* walkJsonChunks(await delivery.stream(), what, handler, () => spool ? spool.drained() : Promise.resolve());
    const after: QueuedPart[] = [];
    if (!fieldsSeen) { after.push({ kind: "fields", fields: {} }); }
    // Spooled rows come after the whole document was read: ran_at is known by then wherever it was.
    if (ranAt !== undefined && !ranAtQueued && spool) {
      ranAtQueued = true;
      after.push({ kind: "ran_at", ranAt });
    }
    if (after.length) { yield after; }
    if (spool) {
      await spool.finish();
      yield* walkJsonChunks<QueuedPart>(spool.reader(), what, (push) => ({
        modeFor: () => "elementBytes",
        element: (_path, bytes) => { push(bytes as Buffer); },
        elements: (_path, rows) => { push(new ParsedRun(rows)); },
        value: (_path, value) => {
          if (value !== null) { throw new UserError(`The ${what} data from Looker is not a list of rows.`); }
        },
      }));
    }
    if (ranAt !== undefined && !ranAtQueued) { yield [{ kind: "ran_at", ranAt }]; }
  } finally {
    spool?.dispose();
  }
}
