// The messages between the main thread and a row worker (row_worker.ts), one delivery a job.
// Main: start, then the delivery's bytes a chunk at a time (each chunk's memory transferred when
// the chunk owns it), end; ack for each output taken (with its bytes handed back, when the consumer
// copied every record, for the worker's next outputs); abort to drop the job. Worker: one output
// per chunk of rows read (its records' JSON in one transferred buffer), more after each chunk it
// took, then done, or an error. Both sides keep what is in flight bounded (row_workers.ts).
import type { MappingRecipe } from "./row_mapping";
import type { JsonDetailFields } from "./rows";
import type { RowRejection } from "./row_tally";

/** Chunks of the delivery sent ahead of what the worker has taken. */
export const CHUNKS_AHEAD = 4;
/** Outputs the worker sends ahead of what the main thread has taken. */
export const OUTPUTS_AHEAD = 4;

export type ToWorker =
  | { type: "start"; job: number; recipe: MappingRecipe; format?: string; hidden: string[] }
  | { type: "chunk"; job: number; data: ArrayBuffer; offset: number; length: number }
  | { type: "end"; job: number }
  | { type: "ack"; job: number; spare?: ArrayBuffer }
  | { type: "abort"; job: number };

/** Something that happened before record `at` of an output: the fields came, or a row was rejected. */
export interface OutputEvent {
  at: number;
  fields?: JsonDetailFields;
  rejected?: RowRejection;
}

/** An error as it crosses threads: its class by name, its message, a UserError's form errors. */
export interface CrossedError {
  name: string;
  message: string;
  validationErrors?: Record<string, string>;
}

/**
 * A chunk's worth of mapped rows: record i (below `count`; the lists may be longer) is
 * bytes[ends[i - 1] ?? 0, ends[i]), from row rows[i].
 */
export interface WorkerOutput {
  type: "output";
  job: number;
  bytes: ArrayBuffer;
  count: number;
  rows: Uint32Array;
  ends: Uint32Array;
  events: OutputEvent[];
  /** Rows read, for the delivery's metrics. */
  noted: number;
  /** What stopped the job after this output's records and events. */
  error?: CrossedError;
}

export type FromWorker =
  | WorkerOutput
  | { type: "more"; job: number }
  | { type: "done"; job: number };
