// The delivery as one file, for the file destinations (buckets, containers, SFTP): the name its
// destination gives it (file_naming.ts), its content type and its bytes as a stream, or a clear
// refusal when Looker sent nothing to write.
import { Readable } from "stream";
import type { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";
import { requestContentType } from "./file_naming";

export interface DeliveryFile {
  name: string;
  contentType: string;
  /** The delivery's bytes; read once. */
  stream: Readable;
}

/** The delivery's file under `name` (see file_naming.ts for how each destination names it), its bytes opened. */
export async function openDeliveryFile(request: ActionRequest, name: string): Promise<DeliveryFile> {
  if (!request.delivery) {
    throw new UserError("Looker sent no data to write (no attachment and no download URL), so nothing was written. " +
      "If the query had no results, turn off \"send even if there are no results\" or check its filters.");
  }
  return { name, contentType: requestContentType(request), stream: await request.delivery.stream() };
}

/** `name` with `_<suffix>` before its extension: `report.csv` -> `report_1717171717171.csv`. */
export function withSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf(".");
  const slash = name.lastIndexOf("/");
  return dot > slash + 1 ? `${name.slice(0, dot)}_${suffix}${name.slice(dot)}` : `${name}_${suffix}`;
}
