// Part "segment": a json_detail_lite_stream delivery of --rows rows (default 1,000,000) pushed
// to segment_event on the compiled hub (a child process, one worker), which sends it to a
// Segment /v1/batch endpoint in a third process (segment_api.ts, run as plain JavaScript)
// that checks every message (its row's messageId, each row once) and counts them. The body is
// generated here before the clock starts, so the hub's RSS is the hub's alone.
// SEGMENT_SENDER, when set in the bench's environment, is passed to the hub.
import { askStandIn, plainStandIn } from "./plain_stand_in";
import { procCpuSeconds, pushTo, startHub } from "./hub_process";
import { BenchContext, Part, verdict } from "./part";
import { fmt, MB, MiB } from "./results";
import type { SegmentTally } from "./segment_api";

const CHUNK_BYTES = 256 * 1024;
/** The pieces a delivery's body is made in before it is sent, and written to the socket in. */
const SENT_BYTES = 1024 * 1024;
/** Bytes the hub sends Segment per byte of the delivery's body (2.0 measured), with room to spare. */
const SENT_PER_BODY = 2.2;

/** The execute body, generated in chunks of about `chunkBytes` (256 KB unless told). */
export function* segmentBody(rows: number, chunkBytes = CHUNK_BYTES): Generator<Buffer> {
  const head = {
    type: "query", data: { segment_write_key: "bench-key" }, form_params: {},
    scheduled_plan: { title: "bench", query: { vis_config: { hidden_fields: [] } } },
  };
  const fields = { dimensions: [
    { name: "users.id", tags: ["user_id"] }, { name: "users.email", tags: ["email"] },
    { name: "users.city", tags: [] }, { name: "users.created_date", tags: [] },
  ], measures: [{ name: "orders.count", tags: [] }, { name: "orders.total", tags: [] }] };
  // As Looker sends it: extension `json`, and `ran_at` and `fields` before `data`.
  yield Buffer.from(JSON.stringify(head).slice(0, -1) + `,"attachment":{"mimetype":"application/json",` +
    `"extension":"json","data":{"ran_at":"2024-05-01T10:00:00+00:00","fields":${JSON.stringify(fields)},"data":[`);
  // The parts of a row that repeat with a period are made once: the bench process sends the body
  // on the same two cores the hub works on, so making it costs as little as it can (half of the
  // same rows built by one template each, measured: 0.24 against 0.47 CPU s a million rows).
  const cities = Array.from({ length: 500 }, (_, k) =>
    `"},"users.city":{"value":"City ${k}"},"users.created_date":{"value":"2020-01-`);
  const totals = Array.from({ length: 1000 }, (_, k) => `},"orders.total":{"value":${k / 10}}}`);
  let chunk = Buffer.allocUnsafeSlow(chunkBytes + 64 * 1024);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    at += chunk.write(`${i ? "," : ""}{"users.id":{"value":"user-${i}"},"users.email":{"value":"user${i}` +
      `@example.com${cities[i % 500]}${10 + (i % 20)}"},"orders.count":{"value":${i % 37}${totals[i % 1000]}`, at, "latin1");
    if (at > chunkBytes) {
      yield chunk.subarray(0, at);
      chunk = Buffer.allocUnsafeSlow(chunkBytes + 64 * 1024);
      at = 0;
    }
  }
  yield Buffer.concat([chunk.subarray(0, at), Buffer.from("]}}}")]);
}

export interface SegmentRun {
  rows: number;
  bytes: number;
  seconds: number;
  rate: number;
  peak: number;
  cpuSeconds: number;
  /** The counting Segment's CPU seconds in the measured window. */
  vendorCpuSeconds: number;
  answer: { status: number; body: string };
  received: SegmentTally;
  ok: boolean;
}

/**
 * One delivery of `rows` rows to segment_event on a fresh hub, to a counting Segment in a helper
 * process. With `warmRows`, a delivery of that many rows goes first, unmeasured (the counting
 * Segment then starts its tally again): a hub in production has run deliveries before, and its
 * first one pays for compiling the code it runs (0.3 CPU s of V8's compiler threads, perf).
 */
export async function segmentDelivery(ctx: BenchContext, rows: number, senderName?: string,
  warmRows = 0): Promise<SegmentRun> {
  const fake = plainStandIn("segment_api.ts", "segmentApi");
  const { port } = await fake.message;
  const env: Record<string, string> = { SEGMENT_API_HOST: `http://127.0.0.1:${port}` };
  if (senderName) { env.SEGMENT_SENDER = senderName; }
  const hub = await startHub(ctx.root, { env });
  const ask = <T>(message: string | object) => askStandIn<T>(fake.child, message);
  try {
    if (warmRows > 0) {
      const warm = await pushTo(hub, "segment_event", [...segmentBody(warmRows, SENT_BYTES)]);
      if (warm.status !== 200) { throw new Error(`the warm-up delivery failed: ${warm.body.slice(0, 120)}`); }
      await ask("reset");
    }
    // Made whole before the clock starts (about 175 MB a million rows, the bench's own memory): the
    // bench process shares the two cores with the hub, and making the rows while sending them cost
    // it 0.3-0.4 of its 0.5-0.6 CPU seconds a million rows, GC included.
    const body = [...segmentBody(rows, SENT_BYTES)];
    const bytes = body.reduce((n, piece) => n + piece.length, 0);
    // The counting Segment keeps what it gets, to check once the clock has stopped (kept_bodies.ts):
    // its memory is made ready first.
    await ask({ reserve: Math.ceil(bytes * SENT_PER_BODY) });
    const cpuBefore = hub.cpuSeconds();
    const vendorCpuBefore = procCpuSeconds(fake.child.pid!);
    const started = process.hrtime.bigint();
    const answer = await pushTo(hub, "segment_event", body);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuSeconds = hub.cpuSeconds() - cpuBefore;
    const vendorCpuSeconds = procCpuSeconds(fake.child.pid!) - vendorCpuBefore;
    const peak = hub.peakRss();
    const received = await ask<SegmentTally>("count");
    const ok = answer.status === 200 && /"success":true/.test(answer.body) && received.messages === rows &&
      received.distinct === rows && received.faults === 0;
    return { rows, bytes, seconds, rate: rows / seconds, peak, cpuSeconds, vendorCpuSeconds, answer, received, ok };
  } finally {
    fake.child.kill();
    await hub.stop();
  }
}

export const segmentPart: Part = {
  name: "segment", title: "Segment: 1M-row json_detail_lite_stream delivery to segment_event", needsBuild: true,
  async run(ctx) {
    const rows = Number(ctx.option("rows", "1000000"));
    const senderName = process.env.SEGMENT_SENDER;
    const { bytes, seconds, rate, peak, answer, received, ok } = await segmentDelivery(ctx, rows, senderName);
    const line = `| ${fmt(rows)} (${fmt(bytes / MiB, 1)} MiB) | ${senderName ?? "hub default"} | ` +
      `${ok ? "ok" : `**FAILED** ${answer.status} ${answer.body.slice(0, 120)}`} | ` +
      `${fmt(received.messages)} in ${fmt(received.batches)} batches (${fmt(received.bytes / MiB, 1)} MiB) | ` +
      `${fmt(seconds, 1)} s | ` +
      `${fmt(rate)} rows/s | ${fmt(peak / MB)} MB | ` +
      `${verdict(ctx, rate > 50_000, "segment: 50,000 rows/s")} / ${verdict(ctx, peak < 150 * MB, "segment: RSS")} |`;
    if (!ok) { ctx.fail(`segment: the delivery failed: ${answer.status} ${answer.body.slice(0, 120)}`); }
    ctx.say(line);
    return [
      "A generated json_detail_lite_stream body (6 fields a row: user_id and email tags, 4 traits) is",
      "streamed (chunked) to segment_event on the hub (one worker, production mode). Peak RSS is the hub's",
      "VmHWM. Target (issue 4): over 50,000 rows/s end to end, RSS under 150 MB.",
      "",
      "| rows | SEGMENT_SENDER | answer | Segment received | wall time | rows/s | hub peak RSS | rows/s / RSS target |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      line,
    ].join("\n");
  },
};
