// Segment's /v1/batch for the bench, in a helper process (plain_stand_in.ts). It answers each body
// at once, as Segment does once it has taken a batch, and keeps its bytes (kept_bodies.ts: checking
// as the bodies came cost 1.0 CPU s a million messages on the hub's two cores inside the measured
// window). Asked for the tally, it checks every body kept since the last "reset": each is parsed
// whole, `{"batch":[...],"sentAt":"<ISO time>"}` (the hub's sender sends nothing else; analytics-node's,
// SEGMENT_SENDER=analytics-node, may add fields), each message with a type,
// context, timestamp and a messageId `looker-<delivery>-<row>`: one delivery's prefix, each row
// 1..n once (a bitmap). What the hub writes is otherwise checked by its tests
// (test/integrations/segment/), not here.
import * as http from "http";
import { KeptBodies } from "./kept_bodies";

const SENT_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export interface SegmentTally {
  /** Messages counted (one messageId each). */
  messages: number;
  batches: number;
  /** The bodies' bytes. */
  bytes: number;
  /** Rows whose message came (row numbers 1..n, each counted once). */
  distinct: number;
  /** Messages whose row had come before, whose id was not the delivery's or that lacked a part; bodies refused. */
  faults: number;
}

export class SegmentChecker {
  readonly tally: SegmentTally = { messages: 0, batches: 0, bytes: 0, distinct: 0, faults: 0 };
  private seen = new Uint8Array(1 << 20);
  private prefix?: string;

  /** Checks one body: a fault for it when it is not a batch as Segment takes it, one for each bad message. */
  check(body: Buffer): void {
    this.tally.batches++;
    this.tally.bytes += body.length;
    let parsed: { batch?: unknown; sentAt?: unknown };
    try {
      parsed = JSON.parse(body.toString("utf8")) as typeof parsed;
    } catch {
      this.tally.faults++;
      return;
    }
    const framed = Array.isArray(parsed.batch) && typeof parsed.sentAt === "string" && SENT_AT.test(parsed.sentAt);
    if (!framed) {
      this.tally.faults++;
      return;
    }
    for (const m of parsed.batch as Array<Record<string, unknown>>) {
      this.tally.messages++;
      const whole = typeof m.type === "string" && typeof m.context === "object" && typeof m.timestamp === "string" &&
        typeof m.messageId === "string";
      if (!whole) {
        this.tally.faults++;
      } else {
        this.note(m.messageId as string);
      }
    }
  }

  /** Notes the row of a messageId (`<prefix>-<row>`, one prefix a delivery). */
  private note(id: string): void {
    const dash = id.lastIndexOf("-");
    const prefix = id.slice(0, dash + 1);
    const row = /^\d+$/.test(id.slice(dash + 1)) ? Number(id.slice(dash + 1)) : NaN;
    this.prefix ??= prefix;
    if (prefix !== this.prefix || !Number.isInteger(row) || row < 1) {
      this.tally.faults++;
      return;
    }
    while (row >= this.seen.length) {
      const bigger = new Uint8Array(this.seen.length * 2);
      bigger.set(this.seen);
      this.seen = bigger;
    }
    if (this.seen[row]) {
      this.tally.faults++;
    } else {
      this.seen[row] = 1;
      this.tally.distinct++;
    }
  }
}

/**
 * The endpoint (any write key accepted); tells the tally of the bodies kept over IPC when asked,
 * forgets them on "reset"; `{ reserve: bytes }` readies that much memory for them.
 */
export function segmentApi(): void {
  const kept = new KeptBodies<undefined>();
  const server = http.createServer((req, res) => {
    kept.take(req, undefined, () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"success":true}');
    });
  });
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on("message", (m: unknown) => {
    if (m === "reset") {
      kept.clear();
      process.send!("reset");
    } else if (typeof m === "object" && m && "reserve" in m) {
      kept.reserve(Number(m.reserve));
      process.send!("reserved");
    } else {
      const checker = new SegmentChecker();
      for (const { body } of kept.bodies) { checker.check(body); }
      process.send!(checker.tally);
    }
  });
}
