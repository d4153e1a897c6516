// The shared row pipeline's parts on their own: the tally's wording and threshold, the batch
// window's backpressure, and deliverRows with a destination that records what it got.
import { expect } from "chai";
import { BatchWindow } from "../../../src/data/rows/batch_window";
import { deliverRows, NumberedRecord, RowDestination } from "../../../src/data/rows/row_pipeline";
import { RowTally } from "../../../src/data/rows/row_tally";
import { ActionRequest } from "../../../src/hub/action_request";
import { UserError } from "../../../src/lib/errors";
import { createLogger } from "../../../src/lib/logger";
import { chunkedDelivery } from "../../helpers/deliveries";

const WORDING = { vendor: "Acme", noun: "contact", accepted: (n: string) => `Updated ${n} in Acme` };

describe("row pipeline", () => {
  it("words the outcome in a marketer's numbers, examples per reason", () => {
    const tally = new RowTally();
    tally.rows = 100_000;
    tally.accepted = 98_412;
    for (let i = 0; i < 1200; i++) { tally.reject({ row: 3 + i, reason: "unknown id", example: "9999" }); }
    for (let i = 0; i < 388; i++) { tally.reject({ row: 17 + i * 2, reason: "invalid email", example: "bob@" }); }
    expect(tally.outcome(WORDING, 5)).to.equal("Updated 98,412 contacts in Acme; 1,588 rejected: " +
      "1,200 unknown id (first: row 3, \"9999\"), 388 invalid email (first: row 17, \"bob@\").");
    expect(() => tally.outcome(WORDING, 1)).to.throw(UserError, "1.6% of the rows were rejected, more than the 1%");
  });

  it("fails when nothing was accepted or there were no rows", () => {
    const none = new RowTally();
    expect(() => none.outcome(WORDING, 5)).to.throw(UserError, "The query returned no rows");
    none.rows = 2;
    none.reject({ row: 1, reason: "no id" });
    none.reject({ row: 2, reason: "no id" });
    expect(() => none.outcome(WORDING, 100)).to.throw(UserError, "Acme accepted none of the 2 rows");
  });

  it("keeps at most `size` batches in flight and starts none after a failure", async () => {
    const window = new BatchWindow(2);
    let running = 0;
    let peak = 0;
    let started = 0;
    const task = (fail = false) => async () => {
      started++;
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (fail) { throw new UserError("batch refused"); }
    };
    for (let i = 0; i < 6; i++) { await window.submit(task()); }
    await window.drain();
    expect(peak).to.equal(2);
    await window.submit(task(true));
    await window.drain();
    await window.submit(task());
    expect(started).to.equal(7);
    expect(window.failed).to.equal(true);
    expect((window.failure as Error).message).to.equal("batch refused");
  });

  it("streams rows into batches, counts vendor rejections, and names the progress when a batch fails", async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ "u.id": { value: i === 2 ? null : `id${i}` } }));
    const doc = JSON.stringify({ fields: { dimensions: [{ name: "u.id", tags: ["x_id"] }] }, data: rows });
    const batches: Array<Array<NumberedRecord<string>>> = [];
    const destination = (failAt?: number): RowDestination<string> => ({
      wording: WORDING, batchSize: 10, concurrency: 1,
      prepare: (fields) => {
        if (!JSON.stringify(fields).includes("x_id")) { throw new UserError("tag x_id missing"); }
        return { map: (row) => {
          const id = (row["u.id"] as { value: unknown }).value;
          return id ? { record: String(id) } : { rejected: "no id" };
        } };
      },
      send: async (batch) => {
        batches.push(batch);
        if (batches.length === failAt) { throw new UserError("Acme is down."); }
        const first = batch[0];
        return { accepted: batch.length - 1, rejected: [{ row: first.row, reason: "bad", example: first.record }] };
      },
    });
    const request = () => {
      const r = new ActionRequest({ requestId: "r", lookerVersion: null, logger: createLogger({ level: "error", format: "json" }) });
      r.delivery = chunkedDelivery(doc, "json_detail", 50);
      return r;
    };
    expect(await deliverRows(request(), destination(), 100)).to.equal("Updated 21 contacts in Acme; 4 rejected: " +
      "3 bad (first: row 1, \"id0\"), 1 no id (first: row 3).");
    expect(batches.map((b) => b.length)).to.deep.equal([10, 10, 4]);
    batches.length = 0;
    let error: Error | undefined;
    await deliverRows(request(), destination(2), 100).catch((err) => { error = err; });
    expect(error?.message).to.equal("Acme is down. Before the delivery stopped: Updated 9 contacts in Acme; " +
      "2 rejected: 1 bad (first: row 1), 1 no id (first: row 3).");
  });

  it("tells a destination that marks the last batch which one it is; a full batch waits for one row", async () => {
    const sent: Array<{ size: number; last: boolean; rowsReadBefore: number }> = [];
    let rowsRead = 0;
    const destination: RowDestination<number> = {
      wording: WORDING, batchSize: 10, concurrency: 1, marksLastBatch: true,
      prepare: () => ({ map: (_row, n) => { rowsRead = n; return { record: n }; } }),
      send: async (batch, last) => {
        sent.push({ size: batch.length, last, rowsReadBefore: rowsRead });
        return { accepted: batch.length, rejected: [] };
      },
    };
    for (const count of [20, 25]) {
      sent.length = 0;
      const rows = Array.from({ length: count }, (_, i) => ({ "u.id": { value: i } }));
      const logger = createLogger({ level: "error", format: "json" });
      const r = new ActionRequest({ requestId: "r", lookerVersion: null, logger });
      r.delivery = chunkedDelivery(JSON.stringify({ fields: {}, data: rows }), "json_detail", 64);
      await deliverRows(r, destination, 0);
      const sizes = count === 20 ? [10, 10] : [10, 10, 5];
      expect(sent.map((b) => b.size)).to.deep.equal(sizes);
      expect(sent.map((b) => b.last)).to.deep.equal(sizes.map((_, i) => i === sizes.length - 1));
      // A full batch goes once the next row is read: one row ahead, never a whole batch.
      expect(sent[0].rowsReadBefore).to.equal(11);
    }
  });
});
