// The rows of a write-back delivery, read once as a stream: the columns from the fields (known
// before the first row), then each row as the columns' values, numbered from 1. A warehouse
// pulls the rows a chunk of the delivery at a time, so memory stays flat at any row count.
import { cellValue } from "../../data/rows/detail_fields";
import { jsonDetailChunks, JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import type { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";
import { ColumnNaming, WarehouseColumn, warehouseColumns } from "./warehouse_columns";
import { columnValue, WarehouseValue } from "./warehouse_values";

export interface WarehouseRows {
  columns: WarehouseColumn[];
  /** Each row's values in the columns' order, a batch at a time; read once. */
  batches: AsyncGenerator<WarehouseValue[][]>;
  /** Rows yielded so far (the number of the last one). */
  readonly count: number;
  /** Stops reading the delivery (when the warehouse failed before taking every row). */
  close(): Promise<void>;
}

function rowValues(row: JsonDetailRow, columns: WarehouseColumn[], number: number): WarehouseValue[] {
  const values: WarehouseValue[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    values[i] = columnValue(cellValue(row[columns[i].field]), columns[i], number);
  }
  return values;
}

/**
 * Opens the delivery and reads up to its fields (rows that come before them wait in a spool
 * file, see jsonDetailItems); refuses a delivery that is not json_detail.
 */
export async function warehouseRows(request: ActionRequest, naming: ColumnNaming): Promise<WarehouseRows> {
  if (!request.delivery) {
    throw new UserError(`Looker sent no data to write to ${naming.warehouse}. Send a query's results.`);
  }
  const chunks = jsonDetailChunks(request.delivery);
  let fields: JsonDetailFields | undefined;
  const early: JsonDetailRow[] = [];
  while (fields === undefined) {
    const next = await chunks.next();
    if (next.done) { break; }
    for (const item of next.value) {
      if (item.kind === "fields") { fields = item.fields; } else if (item.kind === "row") { early.push(item.row); }
    }
  }
  const close = async () => { await chunks.return(undefined); };
  let columns: WarehouseColumn[];
  try {
    columns = warehouseColumns(fields ?? {}, request, naming);
  } catch (err) {
    await close();
    throw err;
  }
  let count = 0;
  async function* batches(): AsyncGenerator<WarehouseValue[][]> {
    try {
      if (early.length) { yield early.splice(0).map((row) => rowValues(row, columns, ++count)); }
      for await (const chunk of chunks) {
        // The chunk's items taken in a plain loop: a generator around them here (one per chunk) had
        // a tenth of each scavenge promoted to the old space, and cost a third of the delivery's CPU
        // (bench/RESULTS.md, issue 29's 150 MB).
        const batch: WarehouseValue[][] = [];
        for (const item of chunk) {
          if (item.kind === "row") { batch.push(rowValues(item.row, columns, ++count)); }
        }
        if (batch.length) { yield batch; }
      }
    } finally {
      await close();
    }
  }
  return { columns, batches: batches(), get count() { return count; }, close };
}
