// Deliveries and integrations for tests of the data path.
import { MeteredDelivery } from "../../src/data/delivery/delivery_meter";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { ActionRequest, ActionType } from "../../src/hub/action_request";
import { ActionResponse } from "../../src/hub/action_response";
import { Delivery } from "../../src/hub/delivery";
import { StreamDelivery } from "../../src/data/delivery/read_once";
import { ALL_FORMATS, DownloadSetting, Format, Integration, Param } from "../../src/hub/integration";

/** A push delivery whose bytes arrive in chunks of the given size. */
export function chunkedDelivery(data: Buffer | string, format: string, chunkSize = 7): Delivery {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return new StreamDelivery("push", format, undefined, () => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += chunkSize) { chunks.push(bytes.subarray(i, i + chunkSize)); }
    return Readable.from(chunks, { objectMode: false });
  });
}

export async function readAll(readable: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of readable) { chunks.push(chunk as Buffer); }
  return Buffer.concat(chunks);
}

export interface Recorded {
  params?: Record<string, string>;
  formParams?: Record<string, string>;
  planTitle?: string;
  format?: string;
  mimetype?: string;
  deliveryKind?: string;
  data?: Buffer;
  error?: Error;
}

/** Records what it was given, and the data as it read it; `failAfterBytes` throws midway. */
export class RecordingIntegration extends Integration {
  readonly name = "recorder";
  readonly label = "Recorder";
  readonly description = "Records what it receives, for tests.";
  readonly icon = path.join(__dirname, "../../src/integrations/debug/debug.svg");
  readonly params: Param[] = [];
  readonly supportedActionTypes: ActionType[] = ["query", "dashboard"];
  readonly supportedFormats: Format[] = [...ALL_FORMATS];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  readonly records: Recorded[] = [];
  failAfterBytes?: number;

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const record: Recorded = {
      params: { ...request.params },
      formParams: { ...request.formParams },
      planTitle: request.scheduledPlan?.title,
      format: request.format,
      mimetype: request.delivery?.mimetype,
      // The hub wraps every delivery in a byte meter; the kind is the delivery inside it.
      deliveryKind: (request.delivery instanceof MeteredDelivery ? request.delivery.inner : request.delivery)
        ?.constructor.name,
    };
    this.records.push(record);
    if (!request.delivery) { return ActionResponse.ok("no data"); }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of await request.delivery.stream()) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (this.failAfterBytes !== undefined && size > this.failAfterBytes) {
          throw new Error("integration failed on purpose");
        }
      }
    } catch (err) {
      record.error = err as Error;
      throw err;
    }
    record.data = Buffer.concat(chunks);
    return ActionResponse.ok(`got ${record.data.length} bytes`);
  }
}

/** A fresh, empty spool directory for one test. */
export function tempSpoolDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "lis-test-spool-"));
}

/** Descriptors of this process still open on files in `dir` (unlinked spools included). */
export function openFilesIn(dir: string): string[] {
  const open: string[] = [];
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir + path.sep)) { open.push(target); }
    } catch { /* closed meanwhile */ }
  }
  return open;
}

/** Waits until `check` holds (descriptors close asynchronously), or fails after `ms`. */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) { throw new Error("condition not met in time"); }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
