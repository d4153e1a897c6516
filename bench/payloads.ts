// Synthetic Looker data for the benchmarks, built from a repeated block so the client
// spends its time sending, not generating.
import { createHash } from "crypto";

/** About 1 MiB of CSV rows (text, not yet JSON-escaped), ending with a newline. */
export function csvBlock(): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 1024 * 1024; i++) {
    // Looker quotes only cells holding a comma or a quote, like the name here.
    const day = String(1 + (i % 28)).padStart(2, "0");
    const line = `${100000 + i},"Customer ${i}, Inc.",2024-01-${day},${(i * 1.37).toFixed(2)},West Coast Sales\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join("");
}

export const CSV_HEADER = "id,name,created_date,revenue,region\n";

let cachedBlock: string | undefined;

/** The CSV the senders deliver for `mib` MiB: CSV_HEADER, then `blocks` copies of csvBlock(). */
export function csvPlan(mib: number): { blocks: number; blockBytes: number; totalBytes: number } {
  cachedBlock = cachedBlock ?? csvBlock();
  const blockBytes = Buffer.byteLength(cachedBlock);
  const blocks = Math.max(1, Math.round((mib * 1024 * 1024) / blockBytes));
  return { blocks, blockBytes, totalBytes: CSV_HEADER.length + blocks * blockBytes };
}

/** One json_detail row; `lite` leaves out what json_detail_lite_stream leaves out. */
export function detailRow(i: number, lite: boolean): string {
  const cell = (value: unknown) => lite
    ? { value }
    : { value, rendered: String(value), links: [{ label: "Drill", url: `/explore/x?f=${i}`, type: "drill" }] };
  return JSON.stringify({
    "users.id": cell(i), "users.name": cell(`User ${i}`), "users.state": cell("California"),
    "orders.count": cell(i % 97), "orders.total": cell(i * 1.5),
  });
}

/** SHA-256 of the CSV the senders deliver for `mib` MiB (bench/sender.ts), to check what arrived. */
export function csvSha256(mib: number): string {
  const hash = createHash("sha256").update(CSV_HEADER);
  const block = csvBlock();
  for (let i = 0; i < csvPlan(mib).blocks; i++) { hash.update(block); }
  return hash.digest("hex");
}
