// The Segment integrations' rows to messages as a row mapping (src/data/rows/row_mapping.ts): the
// same rules on the main thread and on a row worker, which builds it from the plain data below.
import { v4 as uuidv4 } from "uuid";
import type { RowMapper, RowMapping } from "../../data/rows/row_mapping";
import type { JsonDetailFields } from "../../data/rows/rows";
import { fieldRoles, MessageSettings, rowToMessage, SegmentCall, SegmentMessage } from "./segment_mapper";
import { SegmentMessageJson } from "./segment_message_json";
import { SegmentRawWriter } from "./segment_raw_writer";

export interface SegmentMappingArgs {
  call: SegmentCall;
  /** Track's event name. */
  event?: string;
  app: { name: string; version: string };
  /** Each message's id is this and its row number (Segment deduplicates on it). */
  idPrefix: string;
  /** Every message's time until Looker's ran_at comes: the delivery's start (epoch ms). */
  startedAt: number;
}

/** Builds the mapping of one delivery (called by name from a row worker). */
export function segmentMapping(args: SegmentMappingArgs): RowMapping<SegmentMessage> {
  const settings: MessageSettings = { call: args.call, event: args.event, context: { app: args.app } };
  const json = new SegmentMessageJson(args.app);
  // Rows carry ran_at as their time once Looker has sent it; until then, the delivery's start.
  let timestamp = new Date(args.startedAt);
  return {
    prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<SegmentMessage> {
      const roles = fieldRoles(fields, [...hidden], args.call);
      // On a row worker, rows lying whole in a chunk come as their bytes: messages written from them.
      const raw = SegmentRawWriter.for({
        call: args.call, event: args.event, roles, json, context: settings.context, idPrefix: args.idPrefix,
        timestamp: () => timestamp,
      });
      return {
        map(row, rowNumber) {
          const mapped = rowToMessage(row, roles, settings, timestamp, args.idPrefix + rowNumber, uuidv4);
          return "skipped" in mapped ? { rejected: mapped.skipped } : { record: mapped.message };
        },
        raw,
      };
    },
    rawRows: true,
    ranAt(ranAt: string) {
      const at = new Date(ranAt);
      if (!Number.isNaN(at.getTime())) { timestamp = at; }
    },
    serialize: (message) => json.serialize(args.call, message),
  };
}

/** The module a row worker loads the mapping from. */
export const SEGMENT_MAPPING_MODULE = __filename;
