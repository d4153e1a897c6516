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

  /** Same JSON as JSON.stringify of the message with `type` and `context.library` added. */
  serialize(call: SegmentCall, message: SegmentMessage): string {
    if (this.headOf?.call !== call || this.headOf.context !== message.context) {
      this.headOf = { call, context: message.context };
      const context = { ...message.context, library: this.library };
      this.messageHead = `{"type":${JSON.stringify(call)},"context":${JSON.stringify(context)}`;
    }
    if (message.timestamp !== this.timeOf) {
      this.timeOf = message.timestamp;
      this.timeJson = JSON.stringify(message.timestamp) ?? "null";
    }
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
