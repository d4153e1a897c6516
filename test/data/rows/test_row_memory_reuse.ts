// Memory a row delivery writes again instead of allocating anew (bench/RESULTS.md, issue 30 part
// 2): a row worker's outputs go back to it once the row pipeline's requests holding their records
// are over (row_feed.ts, "spare"), and a destination's request bodies are reused once their
// requests are over (record_bodies.ts). Either way every request carries the bytes it would have.
import { expect } from "chai";
import { deliverRows, NumberedRecord, RowDestination } from "../../../src/data/rows/row_pipeline";
import { RecordBodies } from "../../../src/data/rows/record_bodies";
import { configureRowWorkers, rowWorkers } from "../../../src/data/rows/row_workers";
import type { ToWorker } from "../../../src/data/rows/row_worker_protocol";
import { recordsJson, SerializedRecord } from "../../../src/data/rows/serialized_record";
import { ActionRequest } from "../../../src/hub/action_request";
import { createLogger } from "../../../src/lib/logger";
import { chunkedDelivery } from "../../helpers/deliveries";
import { idMapping, TEST_MAPPING_MODULE } from "./row_test_mapping";

const logger = createLogger({ level: "error", format: "json" });
const WORDING = { vendor: "Acme", noun: "contact", accepted: (n: string) => `Updated ${n} in Acme` };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `n` rows, every 7th without an id, ids with escapes and non-ASCII text. */
function detailDocument(n: number): string {
  const data = Array.from({ length: n }, (_, i) => ({
    "u.id": { value: i % 7 === 3 ? null : `id-${i}-${["Zürich", "Oslo \"fjord\"", "東京", "São\nPaulo"][i % 4]}` },
  }));
  return JSON.stringify({ fields: { dimensions: [{ name: "u.id" }] }, data });
}

function request(doc: string): ActionRequest {
  const r = new ActionRequest({ requestId: "r", lookerVersion: null, logger, webhookId: "wh-1" });
  r.delivery = chunkedDelivery(doc, "json_detail", 4096);
  return r;
}

/**
 * A destination of the test mapping posting its bodies through RecordBodies to a vendor slower
 * than the worker, which reads a record of each batch after its request (as a 207 would).
 */
function destination(bodies: string[]): RowDestination<{ id: string }> {
  const posts = new RecordBodies();
  return {
    wording: WORDING, batchSize: 10, concurrency: 3,
    recipe: { module: TEST_MAPPING_MODULE, factory: "idMapping", args: {} },
    prepare: () => idMapping({}).prepare({}, new Set()),
    send: async (batch: Array<NumberedRecord<{ id: string }>>) => {
      await posts.post(batch, '{"inputs":[', "]}", async (body) => {
        await sleep(1);
        bodies.push(Buffer.from(body).toString());
      });
      const last = batch[batch.length - 1];
      return last.record.id.startsWith("id-") ? { accepted: batch.length, rejected: [] }
        : { accepted: 0, rejected: [{ row: last.row, reason: "not an id" }] };
    },
  };
}

describe("row memory written again", function () {
  this.timeout(60_000);
  after(() => configureRowWorkers(0));

  it("hands a worker's outputs back once the requests holding their records are over, every request the main thread's", async () => {
    const doc = detailDocument(6_000);
    configureRowWorkers(0);
    const inThread: string[] = [];
    const answer = await deliverRows(request(doc), destination(inThread), 20);
    configureRowWorkers(1);
    const pool = rowWorkers()!;
    const spares: number[] = [];
    let acks = 0;
    const open = pool.open.bind(pool);
    pool.open = (listener) => {
      const line = open(listener);
      return { ...line, post: (message: ToWorker, transfer?: ArrayBuffer[]) => {
        if (message.type === "spare") { spares.push(message.spare.byteLength); }
        if (message.type === "ack") { acks++; }
        line.post(message, transfer);
      } };
    };
    const onWorker: string[] = [];
    expect(await deliverRows(request(doc), destination(onWorker), 20)).to.equal(answer);
    expect(inThread.length).to.be.greaterThan(400);
    expect(onWorker).to.deep.equal(inThread);
    // Every output but the last one or two (their requests end after the job) handed back.
    expect(acks).to.be.at.least(4);
    expect(spares.length).to.be.within(acks - 2, acks);
    expect(answer).to.match(/^Updated 5,143 contacts in Acme; 857 rejected: 857 no id/);
  });

  it("RecordBodies writes a body again only once its request is over", async () => {
    const records = ["a", "bb", "ccc"].map((id, i) => {
      const json = Buffer.from(JSON.stringify({ id }));
      return new SerializedRecord<{ id: string }>(i + 1, json, 0, json.length);
    });
    const bodies = new RecordBodies();
    const seen: Buffer[] = [];
    const posting = (expected: string) => async (body: string | Buffer) => {
      expect(Buffer.isBuffer(body)).to.equal(true);
      seen.push(body as Buffer);
      await sleep(5);
      // Another request built meanwhile did not write over this one.
      expect(body.toString()).to.equal(expected);
    };
    const one = records.slice(0, 2);
    const two = records.slice(1);
    const wanted = (batch: typeof records) => String(recordsJson(batch, "[", "]"));
    await Promise.all([bodies.post(one, "[", "]", posting(wanted(one))), bodies.post(two, "[", "]", posting(wanted(two)))]);
    expect(seen[0].buffer).to.not.equal(seen[1].buffer);
    await bodies.post(records, "[", "]", posting(wanted(records)));
    expect([seen[0].buffer, seen[1].buffer]).to.include(seen[2].buffer);
    // Records of the main thread (a string body, nothing lent), and a failed request gives its body back too.
    expect(await bodies.post([{ row: 1, record: { id: "x" } }], "[", "]", async (body) => body)).to.equal('[{"id":"x"}]');
    const failed = await bodies.post(records, "[", "]", async (body) => { seen.push(body as Buffer); throw new Error("refused"); })
      .catch((err: Error) => err.message);
    expect(failed).to.equal("refused");
    await bodies.post(records, "[", "]", posting(wanted(records)));
    expect(seen[4].buffer).to.equal(seen[3].buffer);
  });

  it("a record tells its hold once, however often it is released", () => {
    let released = 0;
    const record = new SerializedRecord(1, Buffer.from("{}"), 0, 2, { release: () => { released++; } });
    record.release();
    record.release();
    expect(released).to.equal(1);
  });
});
