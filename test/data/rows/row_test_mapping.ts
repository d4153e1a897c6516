// Row mappings for the row worker tests, loaded by name in the worker as a destination's would be.
import type { RowMapping } from "../../../src/data/rows/row_mapping";

interface TestArgs {
  /** Row number at which the worker thread dies (an uncaught error on its event loop). */
  crashAt?: number;
}

/** Each row's `u.id` value as the record; rows without one rejected. */
export function idMapping(args: TestArgs): RowMapping<{ id: string }> {
  return {
    prepare: () => ({
      map: (row, n) => {
        if (n === args.crashAt) { setImmediate(() => { throw new Error("worker crashed on purpose"); }); }
        const id = (row["u.id"] as { value?: unknown } | undefined)?.value;
        return id ? { record: { id: String(id) } } : { rejected: "no id", example: String(n) };
      },
    }),
  };
}

export const TEST_MAPPING_MODULE = __filename;
