// Segment's dry run (docs/dry_run.md): every row becomes its message as in a delivery, and each
// message is checked as the batch sender checks it before sending (Segment's 32 KB limit); the
// messages are counted and the first kept, and nothing goes to Segment.
import { MessageRefused, SegmentSender } from "./segment_sender";
import { SegmentCall, SegmentMessage } from "./segment_mapper";
import { UserError } from "../../lib/errors";

/** Segment takes at most 32 KB per message; a larger one gets HTTP 400 there. */
const MAX_MESSAGE_BYTES = 32 * 1024;

export const SEGMENT_DRY_RUN_CHECKS = "the write key's presence, the form's values and the tags that make the ids; " +
  "every row becomes its Segment message as in a delivery (rows without an id skipped, as they would be), " +
  "each under Segment's 32 KB limit; nothing is sent, so the write key is not tried";

export class DryRunSender implements SegmentSender {
  sent = 0;
  readonly failed = false;
  first?: SegmentMessage;

  send(_call: SegmentCall, message: SegmentMessage): void {
    const size = Buffer.byteLength(JSON.stringify(message));
    if (size > MAX_MESSAGE_BYTES) {
      throw new MessageRefused(`it makes a message of ${Math.ceil(size / 1024)} KB, and Segment takes at most 32 KB.`);
    }
    this.first = this.first ?? message;
    this.sent++;
  }

  async finish(): Promise<void> { return undefined; }
  async abandon(): Promise<void> { return undefined; }
  failure(): UserError { return new UserError("The dry run cannot fail to send."); }
}
