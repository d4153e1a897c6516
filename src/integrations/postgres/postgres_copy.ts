// Rows into PostgreSQL with COPY ... FROM STDIN in its text format (copy_text.ts: one line a row
// whatever the values hold, so the line PostgreSQL names in an error is the row), streamed: one
// piece of lines written at a time, the next made only when the server took the last
// (backpressure), so any row count passes in constant memory. A failure on either side ends the COPY: the server's
// error is thrown as it came; a failure reading the rows sends CopyFail first, so the server
// drops what it took and the connection stays usable for ROLLBACK.
import { once } from "events";
import type { Client } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { WarehouseValue } from "../../families/warehouse/warehouse_values";
import { CopyTextWriter } from "./copy_text";

/** Streams `batches` into the COPY statement `sql`; answers the rows the server took. */
export async function copyRows(client: Client, sql: string, batches: AsyncIterable<WarehouseValue[][]>):
    Promise<number> {
  const copy = client.query(copyFrom(sql));
  let serverError: Error | undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    copy.on("error", (err: Error) => { serverError ??= err; reject(err); });
  });
  failed.catch(() => undefined);
  /** Settles when the server took `piece` or failed; a late failure of the write itself is the server's. */
  const write = (piece: Buffer) => {
    const written = new Promise<void>((resolve, reject) => {
      copy.write(piece, (err) => (err ? reject(err) : resolve()));
    });
    written.catch(() => undefined);
    return Promise.race([written, failed]);
  };
  const text = new CopyTextWriter();
  try {
    for await (const batch of batches) {
      // One piece in flight at a time: nothing waits in the stream's buffer when the server fails.
      for (const piece of text.rows(batch)) { await write(piece); }
    }
    const rest = text.end();
    if (rest.length) { await write(rest); }
    const done = once(copy, "finish");
    done.catch(() => undefined);
    copy.end();
    await Promise.race([done, failed]);
    return copy.rowCount;
  } catch (err) {
    if (serverError) { throw serverError; }
    // The rows failed (a value that does not fit, the delivery cut): abandon the COPY.
    const abandoned = new Promise((resolve) => { copy.once("close", resolve); });
    copy.destroy(new Error("the delivery to the hub failed"));
    await abandoned;
    throw err;
  }
}
