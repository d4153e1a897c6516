// A Segment message as /v1/batch takes it: its call as `type`, `context.library` naming this hub.
// What a delivery's rows share (the call, the context, the timestamp) is serialised once; each
// row costs only its own values. Used by the batch sender and by a row worker (segment_mapping.ts).
import { SegmentCall, SegmentMessage } from "./segment_mapper";

export class SegmentMessageJson {
  /** `{"type":"<call>","context":{...}` for the call and context of the last message. */
  private messageHead = "";
  private headOf?: { call: SegmentCall; context: object };
  /** The last message's timestamp and its JSON (rows of a delivery share one Date). */
  private timeOf?: Date;
  private timeJson = "null";

  constructor(private readonly library: { name: string; version: string }) {}

  /** `{"type":"<call>","context":{...}` (segment_raw_writer.ts writes the rest of a message itself). */
  head(call: SegmentCall, context: object): string {
    if (this.headOf?.call !== call || this.headOf.context !== context) {
      this.headOf = { call, context };
      this.messageHead = `{"type":${JSON.stringify(call)},"context":${JSON.stringify({ ...context, library: this.library })}`;
    }
    return this.messageHead;
  }

  /** The timestamp's JSON. */
  time(timestamp: Date): string {
    if (timestamp !== this.timeOf) {
      this.timeOf = timestamp;
      this.timeJson = JSON.stringify(timestamp) ?? "null";
    }
    return this.timeJson;
  }

  /** Same JSON as JSON.stringify of the message with `type` and `context.library` added. */
  serialize(call: SegmentCall, message: SegmentMessage): string {
    this.head(call, message.context);
    this.time(message.timestamp);
    // The row's own keys in one JSON.stringify (a call a key cost a third more), in the order
    // rowToMessage sets them; undefined ones are left out, as JSON.stringify leaves them out.
    // Its type lists every key of SegmentMessage but context and timestamp: a new key fails to compile here.
    const keys: { [K in Exclude<keyof SegmentMessage, "context" | "timestamp">]-?: SegmentMessage[K] | undefined } = {
      userId: message.userId, anonymousId: message.anonymousId, messageId: message.messageId,
      groupId: message.groupId, event: message.event, properties: message.properties, traits: message.traits,
    };
    return `${this.messageHead},${JSON.stringify(keys).slice(1, -1)},"timestamp":${this.timeJson}}`;
  }
}
