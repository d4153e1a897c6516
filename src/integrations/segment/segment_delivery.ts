// The delivery all three Segment integrations share: read the json_detail rows as they
// stream in, map each to a message, hand it to the sender, and answer with what happened.
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { UserError } from "../../lib/errors";
import { feedRows, RowSink } from "../../data/rows/row_feed";
import { SerializedRecord } from "../../data/rows/serialized_record";
import { countOf } from "../../data/rows/row_tally";
import { HttpClient } from "../../lib/http_client";
import { Logger } from "../../lib/logger";
import { BatchSender } from "./batch_sender";
import { SegmentCall, SegmentMessage } from "./segment_mapper";
import { SEGMENT_MAPPING_MODULE, segmentMapping, SegmentMappingArgs } from "./segment_mapping";
import { MessageRefused, SegmentSender, SegmentSenderKind, SegmentSenderOptions } from "./segment_sender";
import { v4 as uuidv4 } from "uuid";
import { masked } from "../../lib/dry_run";
import { DryRunSender, SEGMENT_DRY_RUN_CHECKS } from "./segment_dry_run";
import { groupDigits } from "../../lib/digits";

/** What the hub gives a Segment integration: where Segment is, who we are, how to send. */
export interface SegmentSettings {
  apiHost: string;
  appName: string;
  appVersion: string;
  /** SEGMENT_SENDER: our /v1/batch sender (default) or analytics-node. */
  senderKind?: SegmentSenderKind;
  /** The hub's outbound client, for the batch sender (`segmentIntegrations` supplies one when absent). */
  http?: HttpClient;
  /** Sender tuning (batch size, retries); tests and benchmarks change it. */
  sender?: Partial<SegmentSenderOptions>;
}

const count = (n: number, what: string) => countOf(n, what);

async function createSender(settings: SegmentSettings, writeKey: string, logger: Logger): Promise<SegmentSender> {
  const options = { ...settings.sender, writeKey, host: settings.apiHost };
  if (settings.senderKind === "analytics-node") {
    // Loaded only for SEGMENT_SENDER=analytics-node: Segment's SDK is not needed otherwise.
    const { AnalyticsNodeSender } = await import("./analytics_node_sender");
    return new AnalyticsNodeSender(options);
  }
  return new BatchSender({
    ...options, http: settings.http!, logger, library: { name: settings.appName, version: settings.appVersion },
  });
}

/** Delivers a json_detail query to Segment as one `call` per row. */
export async function deliverToSegment(
  request: ActionRequest, call: SegmentCall, settings: SegmentSettings,
): Promise<ActionResponse> {
  const dry = request.dryRun ? new DryRunSender() : undefined;
  const sender = dry ?? await createSender(settings, request.params.segment_write_key.trim(), request.logger);
  const args: SegmentMappingArgs = {
    call, event: request.formParams.event?.trim() || undefined,
    app: { name: settings.appName, version: settings.appVersion },
    // Segment deduplicates on messageId: the same Looker webhook sent twice does not count twice.
    idPrefix: `looker-${request.webhookId ?? uuidv4()}-`,
    startedAt: Date.now(),
  };
  let rows = 0;
  const skipped: Record<string, number> = {};
  const sink: RowSink<SegmentMessage> = {
    record(numbered) {
      rows = numbered.row;
      return numbered instanceof SerializedRecord && sender instanceof BatchSender ? sender.sendSerialized(numbered)
        : sender.send(call, numbered.record);
    },
    rejected(rejection) {
      rows = rejection.row;
      skipped[rejection.reason] = (skipped[rejection.reason] ?? 0) + 1;
    },
    get stopped() { return sender.failed; },
  };

  try {
    await feedRows(request, {
      vendor: "Segment", mapping: segmentMapping(args),
      recipe: { module: SEGMENT_MAPPING_MODULE, factory: "segmentMapping", args },
      serialized: sender instanceof BatchSender,
      // The batch sender copies each message into its request before taking the next one.
      copiesRecords: true,
    }, sink);
    if (!sender.failed) { await sender.finish(); }
  } catch (err) {
    await sender.abandon();
    if (err instanceof MessageRefused) {
      throw new UserError(`Segment would not accept row ${groupDigits(rows)}: ${err.message} ` +
        `${count(sender.sent, "row")} had been sent before it; the delivery stopped there.`);
    }
    throw err;
  }
  if (sender.failed) {
    await sender.abandon();
    throw sender.failure();
  }
  const notes = Object.entries(skipped).map(([why, n]) => `${count(n, "row")} skipped (${why})`);
  if (dry) {
    const first = dry.first === undefined ? undefined : masked(dry.first);
    return ActionResponse.dryRun(`Dry run, nothing was sent to Segment: ${count(rows, "row")} read; ` +
      `${count(dry.sent, "row")} would be sent as ${call} calls${notes.length ? `; ${notes.join(", ")}` : ""}.` +
      `${first ? ` First message (values masked): ${JSON.stringify(first)}.` : ""} Checked: ${SEGMENT_DRY_RUN_CHECKS}.`,
    { integration: "segment", checked: SEGMENT_DRY_RUN_CHECKS, format: request.format, rows,
      would_send: dry.sent, would_reject: rows - dry.sent, first_record: first });
  }
  request.logger.info("segment delivery sent", { call, rows, sent: sender.sent, skipped: rows - sender.sent });
  return ActionResponse.ok(`Sent ${count(sender.sent, "row")} to Segment as ${call} calls` +
    `${notes.length ? `; ${notes.join(", ")}` : ""}.`);
}
