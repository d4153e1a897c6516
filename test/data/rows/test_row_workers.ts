// The row worker pool (src/data/rows/row_workers.ts): a delivery's rows parsed, mapped and
// serialised on a worker thread give the vendor the same requests, byte for byte, as on the main
// thread; a worker that dies fails its delivery and the hub goes on; the delivery is read only as
// far ahead as the vendor takes it; Looker hanging up ends the worker's job.
import { expect } from "chai";
import { Readable } from "stream";
import { defaultRowWorkerThreads } from "../../../src/config/capacity";
import { StreamDelivery } from "../../../src/data/delivery/read_once";
import { deliverRows, NumberedRecord, RowDestination } from "../../../src/data/rows/row_pipeline";
import { closeRowWorkers, configureRowWorkers, rowWorkers } from "../../../src/data/rows/row_workers";
import { recordsJson, SerializedRecord } from "../../../src/data/rows/serialized_record";
import { ActionRequest } from "../../../src/hub/action_request";
import { Integration } from "../../../src/hub/integration";
import { HubspotContactsIntegration } from "../../../src/integrations/hubspot/hubspot";
import { MparticleIntegration } from "../../../src/integrations/mparticle/mparticle";
import { segmentIntegrations } from "../../../src/integrations/segment/segment";
import { ClientGoneError } from "../../../src/lib/abort_scope";
import { UserError } from "../../../src/lib/errors";
import { HttpClient } from "../../../src/lib/http_client";
import { createLogger } from "../../../src/lib/logger";
import { FakeHubspot, HUBSPOT_TOKEN } from "../../fakes/hubspot_api";
import { buildTestApp, testConfig } from "../../helpers/app";
import { chunkedDelivery } from "../../helpers/deliveries";
import { testHttpClient } from "../../helpers/http";
import { cells, crmTestSettings, detail, execute, executeBody, servedDetail } from "../../integrations/crm/helpers";
import { TEST_MAPPING_MODULE } from "./row_test_mapping";

const logger = createLogger({ level: "error", format: "json" });
const WORDING = { vendor: "Acme", noun: "contact", accepted: (n: string) => `Updated ${n} in Acme` };

/** An HTTP client that records each request's body and answers 200. */
function recordingHttp(bodies: string[]): HttpClient {
  return {
    request: async (options: { body?: string | Buffer }) => {
      bodies.push(Buffer.from(options.body ?? "").toString("utf8"));
      return { status: 200, json: () => ({}), text: () => "{}" };
    },
  } as unknown as HttpClient;
}

const FIELDS = {
  dimensions: [
    { name: "u.id", tags: ["hubspot_contact_id", "mp_customer_id", "user_id"] },
    { name: "u.email", tags: ["email"] }, { name: "u.city" }, { name: "u.note" },
  ],
  measures: [{ name: "u.count" }],
};

/** `n` rows, every 7th without an id, values with escapes and non-ASCII text. */
function detailDocument(n: number): string {
  const data = Array.from({ length: n }, (_, i) => ({
    "u.id": { value: i % 7 === 3 ? null : `id-${i}` },
    "u.email": { value: `user${i}@example.com` },
    "u.city": { value: ["Zürich", "Oslo \"fjord\"", "東京", "São\nPaulo"][i % 4] },
    "u.note": { value: i % 5 === 0 ? { nested: [i, true, null] } : `note ${i}` },
    "u.count": { value: i * 1.5 },
  }));
  return JSON.stringify({ fields: FIELDS, ran_at: "2026-12-07T05:00:00Z", data });
}

/** The document's bytes a chunk at a time, each chunk its own memory (so it is transferred). */
function ownedChunks(doc: string, size: number): StreamDelivery {
  const bytes = Buffer.from(doc);
  return new StreamDelivery("push", "json_detail", undefined, () => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) {
      chunks.push(Buffer.from(new Uint8Array(bytes.subarray(i, i + size)).buffer));
    }
    return Readable.from(chunks, { objectMode: false });
  });
}

function request(delivery: ActionRequest["delivery"], params: Record<string, string>, form: Record<string, string> = {},
  signal?: AbortSignal): ActionRequest {
  const r = new ActionRequest({ requestId: "r", lookerVersion: null, logger, webhookId: "wh-1", signal });
  r.params = params;
  r.formParams = form;
  r.delivery = delivery;
  return r;
}

interface Case {
  name: string;
  build: (http: HttpClient) => Integration;
  params: Record<string, string>;
  form?: Record<string, string>;
}

const CASES: Case[] = [
  { name: "hubspot_contacts", params: { hubspot_access_token: "t" },
    build: (http) => new HubspotContactsIntegration(http, { hubspotApiUrl: "http://127.0.0.1:9" } as never) },
  { name: "mparticle", params: { apiKey: "k", apiSecret: "s" }, form: { data_type: "user_data", environment: "production" },
    build: (http) => new MparticleIntegration(http, { mparticleApiUrl: "http://127.0.0.1:9" } as never) },
  { name: "segment_track", params: { segment_write_key: "w" }, form: { event: "Seen" },
    build: (http) => segmentIntegrations({ apiHost: "http://127.0.0.1:9", appName: "hub", appVersion: "1", http,
      sender: { batchSize: 100 } }).find((i) => i.name === "segment_track")! },
];

/** What the vendor got and what Looker was answered, with the pool at `threads`. */
async function deliver(threads: number, c: Case, delivery: ActionRequest["delivery"], http = recordingHttp) {
  configureRowWorkers(threads);
  const bodies: string[] = [];
  const integration = c.build(http(bodies));
  const answer = await integration.execute(request(delivery, c.params, c.form)).catch((err: Error) => err.message);
  // Segment's sentAt is the clock at sending.
  return { answer, bodies: bodies.map((b) => b.replace(/"sentAt":"[^"]*"/, '"sentAt":""')
    .replace(/"anonymousId":"[0-9a-f-]{36}"/g, '"anonymousId":"uuid"')) };
}

describe("row workers", function () {
  // A worker under ts-node compiles what it loads on its first job.
  this.timeout(60_000);
  after(() => configureRowWorkers(0));

  for (const c of CASES) {
    it(`give ${c.name} the same requests byte for byte as the main thread`, async () => {
      const doc = detailDocument(1_234);
      const inThread = await deliver(0, c, chunkedDelivery(doc, "json_detail", 1000));
      expect(inThread.bodies.length).to.be.greaterThan(1);
      for (const delivery of [chunkedDelivery(doc, "json_detail", 1000), ownedChunks(doc, 4096)]) {
        const onWorkers = await deliver(2, c, delivery);
        expect(onWorkers.answer).to.deep.equal(inThread.answer);
        expect(onWorkers.bodies).to.deep.equal(inThread.bodies);
      }
      expect(rowWorkers()!.running).to.be.greaterThan(0);
    });
  }

  it("hand Segment's outputs back to the worker to be written again, every request still the main thread's", async () => {
    // Many outputs (a chunk of 4 KiB each) and a vendor slower than the worker: outputs are
    // written into memory handed back while later ones wait to be taken.
    const doc = detailDocument(6_000);
    const slowHttp = (bodies: string[]): HttpClient => ({
      request: async (options: { body?: string | Buffer }) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return recordingHttp(bodies).request(options as never);
      },
    }) as unknown as HttpClient;
    const inThread = await deliver(0, CASES[2], chunkedDelivery(doc, "json_detail", 4096), slowHttp);
    const onWorker = await deliver(1, CASES[2], ownedChunks(doc, 4096), slowHttp);
    expect(inThread.bodies.length).to.be.greaterThan(50);
    expect(onWorker).to.deep.equal(inThread);
  });

  /** A destination of the test mapping, recording its batches; `send` may wait for `gate`. */
  function destination(batches: string[], gate?: Promise<void>, crashAt?: number): RowDestination<{ id: string }> {
    return {
      wording: WORDING, batchSize: 10, concurrency: 2,
      recipe: { module: TEST_MAPPING_MODULE, factory: "idMapping", args: { crashAt } },
      prepare: () => ({ map: () => { throw new Error("mapped on the main thread"); } }),
      send: async (batch: Array<NumberedRecord<{ id: string }>>) => {
        expect(batch[0]).to.be.instanceOf(SerializedRecord);
        await gate;
        batches.push(Buffer.from(recordsJson(batch, "[", "]")).toString());
        return { accepted: batch.length, rejected: [] };
      },
    };
  }

  it("fails the delivery of a worker that dies, clearly, and the next delivery gets a new worker", async () => {
    configureRowWorkers(1);
    const doc = detailDocument(3_000);
    const batches: string[] = [];
    let error: unknown;
    await deliverRows(request(chunkedDelivery(doc, "json_detail", 2048), {}), destination(batches, undefined, 1_500), 10)
      .catch((err) => { error = err; });
    expect(error).to.be.instanceOf(UserError);
    expect((error as Error).message).to.match(/^The hub's row worker stopped while it read this delivery \(worker crashed on purpose\); the delivery stopped there\. Send it again/);
    batches.length = 0;
    const answer = await deliverRows(request(chunkedDelivery(doc, "json_detail", 2048), {}), destination(batches), 20);
    expect(answer).to.equal("Updated 2,571 contacts in Acme; 429 rejected: 429 no id (first: row 4, \"4\").");
    expect(batches.join(",")).to.contain('{"id":"id-2998"}');
  });

  it("reads the delivery only as far ahead as the vendor takes it, and Looker hanging up ends the job", async () => {
    configureRowWorkers(1);
    const doc = Buffer.from(detailDocument(60_000));
    let chunksRead = 0;
    const delivery = new StreamDelivery("push", "json_detail", undefined, () => {
      let at = 0;
      return new Readable({
        read() {
          chunksRead++;
          this.push(at < doc.length ? doc.subarray(at, at += 1024) : null);
        },
      });
    });
    const abort = new AbortController();
    // The vendor's requests wait until Looker hangs up, which ends them as it ends the HTTP client's.
    const gate = new Promise<void>((_resolve, reject) => {
      abort.signal.addEventListener("abort", () => reject(abort.signal.reason as Error));
    });
    gate.catch(() => undefined);
    const batches: string[] = [];
    const done = deliverRows(request(delivery, {}, {}, abort.signal), destination(batches, gate), 10)
      .then(() => undefined, (err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Two batches in flight, one being filled, the outputs and chunks ahead (a read of the stream
    // takes what it buffered, up to 16 KiB): under a megabyte of the 9 MB.
    const readWhileBlocked = chunksRead;
    expect(readWhileBlocked * 1024).to.be.within(4096, 1024 * 1024);
    expect(batches).to.have.length(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chunksRead).to.equal(readWhileBlocked);
    abort.abort(new ClientGoneError());
    const error = await done;
    expect(error).to.be.instanceOf(ClientGoneError);
    expect(batches).to.have.length(0);
    // The job is gone from its worker: nothing holds the process open.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rowWorkers()!.jobs).to.equal(0);
  });

  it("ends the job at once when Looker hangs up while the delivery is still arriving", async () => {
    configureRowWorkers(1);
    const head = Buffer.from(detailDocument(50).slice(0, -2));
    const source = new Readable({ read() { /* the rest never comes */ } });
    source.push(head);
    const abort = new AbortController();
    const batches: string[] = [];
    const done = deliverRows(request(new StreamDelivery("push", "json_detail", undefined, () => source), {}, {},
      abort.signal), destination(batches), 10).then(() => undefined, (err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 500));
    abort.abort(new ClientGoneError());
    expect(await done).to.be.instanceOf(ClientGoneError);
    expect(source.destroyed).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rowWorkers()!.jobs).to.equal(0);
  });

  it("give the vendor the same requests through the app, pushed as Looker pushes and at a download URL", async () => {
    const hubspot = await new FakeHubspot().start();
    const env = { HUBSPOT_API_URL: hubspot.url };
    const rows = Array.from({ length: 2_345 }, (_, i) => ({ "u.id": i % 30 === 4 ? null : `id-${i}`,
      "u.city": ["Zürich", "Oslo \"fjord\"", "東京", "São\nPaulo"][i % 4], "u.count": i * 1.5 }));
    const payload = detail({ dimensions: [{ name: "u.id", tags: ["hubspot_contact_id"] }, { name: "u.city" }],
      measures: [{ name: "u.count" }] }, cells(rows));
    const served = await servedDetail(payload);
    try {
      const runs: Array<{ answers: unknown[]; bodies: string[] }> = [];
      for (const threads of ["0", "2"]) {
        hubspot.requests.length = 0;
        const app = buildTestApp([new HubspotContactsIntegration(testHttpClient(env), crmTestSettings(env))],
          { ROW_WORKER_THREADS: threads });
        const params = { hubspot_access_token: HUBSPOT_TOKEN };
        const answers = [await execute(app, "hubspot_contacts", executeBody(payload, { params }))];
        // The download URL serves once per delivery: a fresh one each time.
        answers.push(await execute(app, "hubspot_contacts", executeBody(payload, { params, as: { url: served.url } })));
        runs.push({ answers, bodies: hubspot.requests.map((r) => r.raw) });
        if (threads === "2") { expect(rowWorkers()!.running).to.be.greaterThan(0); }
      }
      expect(runs[0].answers[0]).to.deep.include({ success: true });
      expect(runs[0].bodies).to.have.length(2 * 23);
      expect(runs[1]).to.deep.equal(runs[0]);
    } finally {
      await served.server.close();
      await hubspot.stop();
    }
  });

  it("start one worker ahead of the first delivery when the hub asks, once, and it takes that delivery", async () => {
    configureRowWorkers(0);
    configureRowWorkers(2);
    const pool = rowWorkers()!;
    pool.prestart();
    pool.prestart();
    expect(pool.running).to.equal(1);
    const batches: string[] = [];
    const answer = await deliverRows(request(chunkedDelivery(detailDocument(3_000), "json_detail", 2048), {}),
      destination(batches), 20);
    expect(answer).to.equal("Updated 2,571 contacts in Acme; 429 rejected: 429 no id (first: row 4, \"4\").");
    expect(pool.running).to.equal(1);
  });

  it("shutdown terminates the pool, and a delivery still reading fails clearly", async () => {
    configureRowWorkers(1);
    const source = new Readable({ read() { /* the rest never comes */ } });
    source.push(Buffer.from(detailDocument(50).slice(0, -2)));
    const batches: string[] = [];
    const done = deliverRows(request(new StreamDelivery("push", "json_detail", undefined, () => source), {}),
      destination(batches), 10).then(() => undefined, (err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await closeRowWorkers();
    const error = await done;
    expect(error).to.be.instanceOf(UserError);
    expect((error as Error).message).to.match(/^The hub's row worker stopped while it read this delivery/);
    expect(rowWorkers()).to.equal(undefined);
  });
});
describe("ROW_WORKER_THREADS", () => {
  it("defaults to the cores the worker processes leave, none in tests, and takes a whole number from 0", () => {
    expect(defaultRowWorkerThreads(2, 1)).to.equal(1);
    expect(defaultRowWorkerThreads(2, 2)).to.equal(0);
    expect(defaultRowWorkerThreads(16, 4)).to.equal(3);
    expect(defaultRowWorkerThreads(1, 1)).to.equal(0);
    expect(testConfig().rowWorkerThreads).to.equal(0);
    expect(testConfig({ ROW_WORKER_THREADS: "3" }).rowWorkerThreads).to.equal(3);
    expect(() => testConfig({ ROW_WORKER_THREADS: "-1" })).to.throw(/ROW_WORKER_THREADS/);
  });
});
