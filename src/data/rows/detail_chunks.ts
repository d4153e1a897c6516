// The json_detail rows of a delivery as the row destinations read them, with the refusals they
// share: no delivery, another format than json_detail, data that does not read as json_detail.
import type { ActionRequest } from "../../hub/action_request";
import type { Delivery } from "../../hub/delivery";
import { HubError, UserError } from "../../lib/errors";
import { labelRowItems } from "./label_rows";
import { jsonDetailChunks, JsonDetailItem, JsonDetailPart, jsonDetailRawChunks } from "./rows";

const DETAIL_FORMATS = ["json_detail", "json_detail_lite_stream"];

/**
 * Refuses a missing delivery or another format than json_detail (json_label too with
 * `labelRows`), before anything is read; answers true when the rows come as json_label.
 */
export function checkDetailDelivery(request: ActionRequest, vendor: string, labelRows = false): boolean {
  if (!request.delivery) {
    throw new UserError(`Looker sent no query results to deliver to ${vendor}. If the schedule sends even when ` +
      `there are no results, there is nothing for ${vendor} to receive; otherwise send it again.`);
  }
  if (labelRows && request.format === "json_label") { return true; }
  if (request.format && !DETAIL_FORMATS.includes(request.format)) {
    throw new UserError(`${vendor} deliveries need the json_detail format; this one came as "${request.format}". ` +
      `Edit the schedule and pick the format Looker offers for ${vendor}.`);
  }
  return false;
}

/** A failure reading json_detail, as the Looker user is told it: the hub's own errors as they are. */
export function unreadableDetail(err: unknown): unknown {
  if (err instanceof HubError) { return err; }
  return new UserError("The data Looker sent could not be read as json_detail. Send the query again; " +
    "if it keeps failing, ask your Looker admin to check the schedule's format.");
}

/** jsonDetailChunks with its failures as unreadableDetail words them (the delivery checked first). */
export async function* readDetailChunks(delivery: Delivery): AsyncGenerator<Iterable<JsonDetailItem>> {
  try {
    yield* jsonDetailChunks(delivery);
  } catch (err) {
    throw unreadableDetail(err);
  }
}

/** The same with rows as byte ranges where they lie whole in a chunk (jsonDetailRawChunks). */
export async function* readDetailRawChunks(delivery: Delivery): AsyncGenerator<Iterable<JsonDetailPart>> {
  try {
    yield* jsonDetailRawChunks(delivery);
  } catch (err) {
    throw unreadableDetail(err);
  }
}

/**
 * The json_detail parts of the request's delivery, a chunk at a time (see jsonDetailChunks: read
 * each chunk whole before asking for the next); refuses a missing delivery or another format.
 * With `labelRows`, json_label rows come as json_detail parts whose fields are the first row's keys.
 */
export async function* detailChunks(request: ActionRequest, vendor: string, labelRows = false):
  AsyncGenerator<Iterable<JsonDetailItem>> {
  if (checkDetailDelivery(request, vendor, labelRows)) {
    for await (const item of labelRowItems(request.delivery!)) { yield [item]; }
    return;
  }
  yield* readDetailChunks(request.delivery!);
}
