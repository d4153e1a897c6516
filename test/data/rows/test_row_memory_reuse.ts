// Memory a row delivery writes again instead of allocating anew (bench/RESULTS.md, issue 30 part
// 2): a row worker's outputs go back to it at once, their records copied into the pipeline's pieces
// (record_copies.ts), which are written again once the records in them moved into a request's body
// or were released; a destination's request bodies are reused once their requests are over and
// their records released (record_bodies.ts). Either way every request carries the bytes it would have.
import { expect } from "chai";
import { deliverRows, NumberedRecord, RowDestination } from "../../../src/data/rows/row_pipeline";
import { RecordBodies } from "../../../src/data/rows/record_bodies";
import { PIECE_BYTES, RecordCopies } from "../../../src/data/rows/record_copies";
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

  it("hands each of a worker's outputs back at once, every request the main thread's", async () => {
    const doc = detailDocument(6_000);
    configureRowWorkers(0);
    const inThread: string[] = [];
    const answer = await deliverRows(request(doc), destination(inThread), 20);
    configureRowWorkers(1);
    const pool = rowWorkers()!;
    let acks = 0;
    let handedBack = 0;
    const open = pool.open.bind(pool);
    pool.open = (listener) => {
      const line = open(listener);
      return { ...line, post: (message: ToWorker, transfer?: ArrayBuffer[]) => {
        if (message.type === "ack") {
          acks++;
          if (message.spare) { handedBack++; }
        }
        line.post(message, transfer);
      } };
    };
    const onWorker: string[] = [];
    expect(await deliverRows(request(doc), destination(onWorker), 20)).to.equal(answer);
    expect(inThread.length).to.be.greaterThan(400);
    expect(onWorker).to.deep.equal(inThread);
    expect(acks).to.be.at.least(4);
    expect(handedBack).to.equal(acks);
    expect(answer).to.match(/^Updated 5,143 contacts in Acme; 857 rejected: 857 no id/);
  });

  it("RecordCopies writes a piece again only once every record in it moved on or was released", () => {
    const copies = new RecordCopies();
    const json = (i: number) => Buffer.from(JSON.stringify({ id: `id-${i}`, pad: "x".repeat(1000) }));
    const records = Array.from({ length: 600 }, (_, i) => {
      const bytes = json(i);
      return copies.copy(new SerializedRecord<{ id: string }>(i + 1, bytes, 0, bytes.length));
    });
    // The originals' memory is written over: the copies read their own.
    expect(records.map((r) => r.record.id)).to.deep.equal(records.map((_, i) => `id-${i}`));
    const big = Buffer.from(JSON.stringify({ id: "big", pad: "y".repeat(PIECE_BYTES) }));
    expect(copies.copy(new SerializedRecord<{ id: string }>(601, big, 0, big.length)).record.id).to.equal("big");
    const pieceOf = (r: SerializedRecord<unknown>) => (r as unknown as { bytes: Buffer }).bytes.buffer;
    const first = pieceOf(records[0]);
    // All but one record of the first piece released: the next piece is new memory.
    const inFirst = records.filter((r) => pieceOf(r) === first);
    inFirst.slice(1).forEach((r) => r.release());
    const later = records.slice(inFirst.length).filter((r) => pieceOf(r) !== pieceOf(records[599]));
    later.forEach((r) => r.release());
    const fill = (n: number) => Array.from({ length: n }, (_, i) => {
      const bytes = json(1000 + i);
      return copies.copy(new SerializedRecord<{ id: string }>(1000 + i, bytes, 0, bytes.length));
    });
    const more = fill(600);
    expect(more.map(pieceOf)).to.not.include(first);
    // Once the last one goes (here by moving into a body), the first piece is written again.
    const bodies = new RecordBodies();
    void bodies.post([inFirst[0]], "[", "]", async () => undefined);
    expect(more.map((r) => r.record.id)).to.deep.equal(more.map((_, i) => `id-${1000 + i}`));
    expect(fill(600).map(pieceOf)).to.include(first);
  });

  it("RecordBodies writes a body again only once its request is over and its records released", async () => {
    const fresh = () => ["a", "bb", "ccc"].map((id, i) => {
      const json = Buffer.from(JSON.stringify({ id }));
      return new SerializedRecord<{ id: string }>(i + 1, json, 0, json.length);
    });
    let records = fresh();
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
    // The pipeline releases a batch's records once its request is over, and reads them no more.
    const done = () => records.forEach((r) => r.release());
    await Promise.all([bodies.post(one, "[", "]", posting(wanted(one))), bodies.post(two, "[", "]", posting(wanted(two)))]);
    expect(seen[0].buffer).to.not.equal(seen[1].buffer);
    const held = Buffer.from(JSON.stringify({ id: "held" }));
    const unreleased = new SerializedRecord<{ id: string }>(9, held, 0, held.length);
    await bodies.post([unreleased], "[", "]", async (body) => { seen.push(body as Buffer); });
    done();
    records = fresh();
    await bodies.post(records, "[", "]", posting(wanted(records)));
    expect([seen[0].buffer, seen[1].buffer]).to.include(seen[3].buffer);
    // A body is not written again while a record in it is still read (here the one never released).
    expect(seen[3].buffer).to.not.equal(seen[2].buffer);
    expect(unreleased.record.id).to.equal("held");
    done();
    records = fresh();
    // Records of the main thread (a string body, nothing lent), and a failed request gives its body back too.
    expect(await bodies.post([{ row: 1, record: { id: "x" } }], "[", "]", async (body) => body)).to.equal('[{"id":"x"}]');
    const failed = await bodies.post(records, "[", "]", async (body) => { seen.push(body as Buffer); throw new Error("refused"); })
      .catch((err: Error) => err.message);
    expect(failed).to.equal("refused");
    done();
    records = fresh();
    await bodies.post(records, "[", "]", posting(wanted(records)));
    expect(seen[5].buffer).to.equal(seen[4].buffer);
    // The records moved into the body, read from it until released.
    expect(records.map((r) => r.record.id)).to.deep.equal(["a", "bb", "ccc"]);
  });

  it("a record tells its hold once, however often it is released", () => {
    let released = 0;
    const record = new SerializedRecord(1, Buffer.from("{}"), 0, 2, { release: () => { released++; } });
    record.release();
    record.release();
    expect(released).to.equal(1);
  });
});
