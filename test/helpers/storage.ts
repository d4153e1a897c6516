// The storage integrations through the real app, built from the configuration as the hub
// builds them (src/integrations/index.ts), with Looker's own request shapes.
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { allIntegrations } from "../../src/integrations";
import { buildTestApp, TestApp, testConfig } from "./app";
import { FAST_HTTP_ENV, testHttpClient } from "./http";
import { Payload } from "./execute";

/** The storage family: buckets, containers and SFTP. */
const STORAGE = ["amazon_s3", "azure_storage", "digitalocean_object_storage", "google_cloud_storage", "sftp"];

export function storageApp(env: Record<string, string> = {}): TestApp {
  const all = { ...FAST_HTTP_ENV, ...env };
  const storage = allIntegrations(testConfig(all), testHttpClient(all)).filter((i) => STORAGE.includes(i.name));
  return buildTestApp(storage, all);
}

/** A request of test/fixtures/looker_requests/ (copied from the shared fixtures), with params and form values. */
export function lookerRequest(
  name: string, data: Record<string, string>, formParams: Record<string, string> = {},
): Payload {
  const file = path.join(__dirname, "..", "fixtures", "looker_requests", `${name}.json`);
  const body = JSON.parse(fs.readFileSync(file, "utf8")).body;
  return { ...body, data, form_params: { ...(body.form_params?.format ? { format: body.form_params.format } : {}),
    ...formParams } };
}

/** The CSV of query_csv_push.json. */
export const FIXTURE_CSV = "Orders Created Date,Orders Total\n2024-03-01,1204.50\n2024-03-02,980.00\n";

/** `size` bytes of CSV-looking rows, made as they are read (nothing whole in memory). */
export function csvBytes(size: number, rowSeed = 0): Readable {
  let sent = 0;
  let row = rowSeed;
  return new Readable({
    read() {
      if (sent >= size) { this.push(null); return; }
      const lines: string[] = [];
      let length = 0;
      while (length < 64 * 1024) {
        const line = `2024-01-${String(row % 28 + 1).padStart(2, "0")},${row},${(row * 7919) % 100000}\n`;
        lines.push(line);
        length += line.length;
        row++;
      }
      const chunk = Buffer.from(lines.join("")).subarray(0, Math.min(length, size - sent));
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

/** The same bytes `csvBytes(size)` produces, in memory (for comparing small uploads). */
export async function csvBuffer(size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of csvBytes(size)) { chunks.push(chunk as Buffer); }
  return Buffer.concat(chunks);
}
