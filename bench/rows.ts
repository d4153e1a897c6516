// Part "rows": rows/s of the json_detail and json_detail_lite_stream row readers on generated
// data, in the bench process itself (no hub, no HTTP).
import { Readable } from "stream";
import { Delivery } from "../src/hub/delivery";
import { StreamDelivery } from "../src/data/delivery/read_once";
import { jsonDetailItems } from "../src/data/rows/rows";
import { Part } from "./part";
import { detailRow } from "./payloads";
import { fmt, MB, MiB } from "./results";

function detailDelivery(format: string, rows: number): Delivery {
  const lite = format === "json_detail_lite_stream";
  const perBlock = 1000;
  const block = Buffer.from(Array.from({ length: perBlock }, (_, i) => detailRow(i, lite)).join(",") + ",");
  const last = Buffer.from(detailRow(rows, lite));
  const fields = { dimensions: [{ name: "users.id" }], measures: [] };
  const head = Buffer.from(JSON.stringify({ fields }).slice(0, -1) + ',"data":[');
  const tail = Buffer.from('],"ran_at":"2024-01-01T00:00:00Z"}');
  const blocks = Math.floor((rows - 1) / perBlock);
  const rest = rows - 1 - blocks * perBlock;
  const extra = Buffer.from(Array.from({ length: rest }, (_, i) => detailRow(i, lite) + ",").join(""));
  function* chunks() {
    yield head;
    for (let k = 0; k < blocks; k++) { yield block; }
    yield extra; yield last; yield tail;
  }
  return new StreamDelivery("push", format, undefined, () => Readable.from(chunks(), { objectMode: false }));
}

/** Rows/s of the json_detail reader over `rowCount` generated rows of `format`, in this process. */
export async function readerRate(format: string, rowCount: number): Promise<{ rows: number; seconds: number }> {
  const started = process.hrtime.bigint();
  let rows = 0;
  for await (const item of jsonDetailItems(detailDelivery(format, rowCount))) {
    if (item.kind === "row") { rows++; }
  }
  return { rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export const rowsPart: Part = {
  name: "rows", title: "Row readers (json_detail, json_detail_lite_stream)", needsBuild: false,
  async run(ctx) {
    const rowCount = Number(ctx.option("rows", "1000000"));
    const lines = ["| row reader | time | rows/s | memory | target (issue 3) |", "| --- | --- | --- | --- | --- |"];
    for (const format of ["json_detail", "json_detail_lite_stream"]) {
      const before = process.memoryUsage().rss;
      const { rows, seconds } = await readerRate(format, rowCount);
      const bytes = rowCount * detailRow(rowCount / 2, format !== "json_detail").length;
      const rate = rows / seconds;
      const target = format === "json_detail_lite_stream"
        ? `≥ 200,000 rows/s: ${rate >= 200_000 ? "met" : "**not met**"}` : "none";
      const growth = Math.max(0, process.memoryUsage().rss - before) / MB;
      const line = `| ${format}, ${fmt(rows)} rows (~${fmt(bytes / MiB)} MiB) | ${fmt(seconds, 2)} s | ` +
        `${fmt(rate)} rows/s | RSS growth ${fmt(growth)} MB | ${target} |`;
      ctx.say(line);
      lines.push(line);
    }
    return "Measured in the bench process (reader only, no HTTP).\n\n" + lines.join("\n");
  },
};
