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
  return columns.map((column) => columnValue(cellValue(row[column.field]), column, number));
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
    const values = (rows: Iterable<JsonDetailRow>) => {
      const batch: WarehouseValue[][] = [];
      for (const row of rows) { batch.push(rowValues(row, columns, ++count)); }
      return batch;
    };
    try {
      if (early.length) { yield values(early.splice(0)); }
      for await (const chunk of chunks) {
        const batch = values(function* () {
          for (const item of chunk) { if (item.kind === "row") { yield item.row; } }
        }());
        if (batch.length) { yield batch; }
      }
    } finally {
      await close();
    }
  }
  return { columns, batches: batches(), get count() { return count; }, close };
}
