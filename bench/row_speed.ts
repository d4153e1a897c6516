// Part "rowspeed" (issue 19): Segment end to end against the json_detail_lite_stream reader's own
// rate, in one run, quiet and beside a busy process (`--busy no,yes`). The reader runs in the
// bench process on generated rows (no HTTP), before and after the Segment delivery; the faster of
// the two is the reference. The delivery is the
// segment part's (bench/segment.ts): a fresh hub, a counting Segment in a helper process.
import { BUSY_SAID, busyConditions, maybeBusy } from "./busy";
import { Part, verdict } from "./part";
import { fmt, MB } from "./results";
import { rowThreadsSaid } from "./hub_process";
import { readerRate } from "./rows";
import { segmentDelivery } from "./segment";

/** Issue 30 (issue 19 asked 0.6 of the one thread that did everything). */
const TARGET = 0.5;

export const rowSpeedPart: Part = {
  name: "rowspeed", title: "Rows near reader speed: Segment end to end against the reader (issue 19)",
  needsBuild: true,
  async run(ctx) {
    const rows = Number(ctx.option("rows", "1000000"));
    const warm = Number(ctx.option("warm", "100000"));
    const reader = async (condition: string) => {
      const r = await readerRate("json_detail_lite_stream", rows);
      ctx.say(`${condition} reader: ${fmt(r.rows / r.seconds)} rows/s`);
      return r.rows / r.seconds;
    };
    const table: string[] = [];
    for (const busy of busyConditions(ctx, "no,yes")) {
      const condition = busy ? "busy" : "quiet";
      const { before, segment, after } = await maybeBusy(busy, async () => {
        const first = await reader(condition);
        const delivered = await segmentDelivery(ctx, rows, undefined, warm);
        ctx.say(`${condition} segment: ${fmt(delivered.rate)} rows/s, hub CPU ${fmt(delivered.cpuSeconds, 1)} s, ` +
          `counting Segment's CPU ${fmt(delivered.vendorCpuSeconds, 1)} s, ` +
          `peak RSS ${fmt(delivered.peak / MB)} MB` +
          `${delivered.ok ? "" : `, FAILED: ${delivered.answer.body.slice(0, 160)}`}`);
        return { before: first, segment: delivered, after: await reader(condition) };
      });
      if (!segment.ok) { ctx.fail(`rowspeed: the Segment delivery failed: ${segment.answer.body.slice(0, 120)}`); }
      const ratio = segment.rate / Math.max(before, after);
      table.push(`| ${condition} | ${fmt(before)}, ${fmt(after)} | ${fmt(segment.rate)} | ` +
        `${fmt(segment.cpuSeconds / (rows / 1e6), 1)} s | ${fmt(segment.peak / MB)} MB | ` +
        `${fmt(segment.received.messages)} in ${fmt(segment.received.batches)} batches | ${fmt(ratio, 2)} | ` +
        `${verdict(ctx, ratio >= TARGET, `rowspeed, ${condition}: ${fmt(ratio * 100)}% of the reader ` +
          `(target ${TARGET * 100}%)`)} |`);
      ctx.say(table[table.length - 1]);
    }
    return [
      `${fmt(rows)} json_detail_lite_stream rows. Reader: jsonDetailItems over generated rows in the bench process,`,
      "before and after the delivery, the faster counts (the second runs on code V8 has compiled). Segment: the",
      `whole hub (one worker), warmed by one delivery of ${fmt(warm)} rows first (\`--warm\`: a hub in production has`,
      "run deliveries before; the first after a start compiles the code the rows run through), the body made before",
      "the clock starts and pushed to segment_event, sent to a counting /v1/batch endpoint in a helper process",
      "(bench/segment_api.ts, plain JavaScript, nice 10). It answers each body at once and keeps it; once the",
      "clock has stopped it parses every body whole (`{\"batch\":[...],\"sentAt\":\"<ISO time>\"}`), each message",
      "with a type, context, timestamp and a messageId of the delivery's prefix, each row 1..n exactly once (a",
      "bitmap). The run fails unless every row came once.",
      `Target (issue 30): Segment end to end at ≥ ${TARGET * 100}% of the reader's rate in the same run, quiet and`,
      `with ${BUSY_SAID} (\`--busy no,yes\`, the default; the readers then run beside it too). The hub ran`,
      `with ${rowThreadsSaid()}.`,
      "",
      "| machine | reader rows/s (before, after) | Segment rows/s | hub CPU per 1M rows | hub peak RSS | " +
        "Segment received | ratio | target |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      ...table,
    ].join("\n");
  },
};
