// How a row destination turns json_detail rows into its vendor's records, declared so that a
// worker thread can build the same mapping (row_workers.ts): closures cannot cross threads, so
// a destination names a module and a factory in it, with plain-data arguments, and the worker
// loads that module and calls the factory. The in-thread pipeline calls the same factory, so
// both ways map and serialise alike, byte for byte.
import type { JsonDetailFields, JsonDetailRow } from "./rows";
import type { RawRun } from "../json/raw_run";

/** One row as the vendor's record, or why it cannot become one. */
export type Mapped<R> = { record: R } | { rejected: string; example?: string };

export interface RowMapper<R> {
  map(row: JsonDetailRow, rowNumber: number): Mapped<R>;
  /** On a row worker, writes the records of rows lying whole in a chunk from their bytes where it can. */
  readonly raw?: RawRecordWriter;
}

/** A mapper's records written from rows' bytes (each integration's …_raw_writer.ts). */
export interface RawRecordWriter {
  /**
   * Writes row `index` of `run` (its bytes unparsed, raw_rows.ts) as the record's JSON into `out`,
   * the same bytes serialize(map(row)) would give; answers false, having committed nothing, for a
   * row it leaves to map (a value it cannot copy, a row that is rejected or needs more).
   */
  write(run: RawRun, index: number, rowNumber: number, out: RawOutput): boolean;
}

/** Where a RawRecordWriter writes: room for `bytes` more at `end`, then commit(row, new end). */
export interface RawOutput {
  room(bytes: number): Buffer;
  readonly end: number;
  commit(row: number, end: number): void;
}

/** What a destination's factory builds for one delivery. */
export interface RowMapping<R> {
  /** Reads the fields; throws a UserError naming the tag to add when one is missing. */
  prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<R>;
  /** Told Looker's ran_at when it comes (Segment stamps every message with it). */
  ranAt?(ranAt: string): void;
  /** The record's JSON as it goes into the vendor's request: JSON.stringify unless said. */
  serialize?(record: R): string;
  /** True when its mappers may have a raw writer: a row worker then reads rows as byte ranges where it can. */
  rawRows?: boolean;
}

/**
 * A mapping as a worker can build it: `module` (an absolute path: `require.resolve` of the
 * mapping's own file, which must not need the hub's services), the name of a factory it exports,
 * and the factory's arguments, plain data copied to the worker (no functions, no secrets needed).
 */
export interface MappingRecipe {
  module: string;
  factory: string;
  args: unknown;
}

type Factory = (args: unknown) => RowMapping<unknown>;

/** Loads the recipe's module and builds its mapping (in a worker; the main thread calls the factory itself). */
export function mappingOf(recipe: MappingRecipe): RowMapping<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = (require(recipe.module) as Record<string, unknown>)[recipe.factory];
  if (typeof factory !== "function") {
    throw new Error(`${recipe.module} exports no row mapping named ${recipe.factory}`);
  }
  return (factory as Factory)(recipe.args);
}
