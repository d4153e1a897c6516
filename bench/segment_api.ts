// Segment's /v1/batch for the bench, in a helper process (plain_stand_in.ts): checks
// every message it gets and tells the tallies over IPC when asked. It shares the machine's two
// cores with the hub, so it checks without parsing every byte as JSON (JSON.parse of every
// body cost it 2-2.7 CPU seconds a million messages, a third of the hub's own): each body is
// `{"batch":[{` ... `],"sentAt":"<ISO time>"}`; every message's messageId is found in it
// (`looker-<delivery>-<row>`: one delivery's prefix, each row once, counted in a bitmap); and
// every PARSE_EVERY-th body, the first included, is parsed whole, its messages counted again and
// each checked for type, context, timestamp and a messageId. What the hub writes is otherwise
// checked by its tests (test/integrations/segment/), not here.
import * as http from "http";

/** One body in this many is parsed whole as JSON. */
const PARSE_EVERY = 16;
const HEAD = Buffer.from('{"batch":[{');
const TAIL = /^\],"sentAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"\}$/;
const TAIL_BYTES = '],"sentAt":"2024-01-01T00:00:00.000Z"}'.length;
const ID_KEY = Buffer.from('"messageId":"');
const QUOTE = 0x22;
const DASH = 0x2d;

export interface SegmentTally {
  /** Messages counted (one messageId each). */
  messages: number;
  batches: number;
  /** Rows whose message came (row numbers 1..n, each counted once). */
  distinct: number;
  /** Messages whose row had come before or whose id was not the delivery's, bodies refused or miscounted. */
  faults: number;
  /** Bodies parsed whole. */
  parsed: number;
}

export class SegmentChecker {
  readonly tally: SegmentTally = { messages: 0, batches: 0, distinct: 0, faults: 0, parsed: 0 };
  private seen = new Uint8Array(1 << 20);
  private prefix?: string;
  private prefixBytes?: Buffer;

  /**
   * Checks one body (throws when it is not JSON). A body of another shape (analytics-node's, with
   * SEGMENT_SENDER=analytics-node) is parsed whole and its messages' ids noted the same way.
   */
  check(body: Buffer): void {
    const framed = body.length >= HEAD.length + TAIL_BYTES &&
      body.compare(HEAD, 0, HEAD.length, 0, HEAD.length) === 0 && TAIL.test(body.toString("latin1", body.length - TAIL_BYTES));
    const sampled = this.tally.batches++ % PARSE_EVERY === 0;
    const parsed = !framed || sampled ? messagesOf(body) : undefined;
    if (!framed) {
      for (const m of parsed!) { this.noteId(String(m.messageId)); }
      this.tally.messages += parsed!.length;
      return;
    }
    let count = 0;
    for (let at = body.indexOf(ID_KEY); at >= 0; at = body.indexOf(ID_KEY, at)) {
      at += ID_KEY.length;
      const row = this.knownRow(body, at);
      if (row > 0) {
        this.note(this.prefix!, row);
      } else {
        this.noteAt(body, at);
      }
      count++;
    }
    this.tally.messages += count;
    if (parsed) {
      this.tally.parsed++;
      const whole = parsed.filter((m) => typeof m.type === "string" && typeof m.context === "object" &&
        typeof m.timestamp === "string" && typeof m.messageId === "string");
      if (whole.length !== count || parsed.length !== count) { this.tally.faults++; }
    }
  }

  /**
   * The row of the messageId at `at` when it is the delivery's prefix and digits up to its quote,
   * read byte by byte (three Buffer calls a message cost more than the bytes); else 0.
   */
  private knownRow(body: Buffer, at: number): number {
    const known = this.prefixBytes;
    if (!known || at + known.length >= body.length) { return 0; }
    for (let k = 0; k < known.length; k++) { if (body[at + k] !== known[k]) { return 0; } }
    let row = 0;
    let i = at + known.length;
    for (; i < body.length; i++) {
      const digit = body[i] - 0x30;
      if (digit < 0 || digit > 9) { break; }
      row = row * 10 + digit;
    }
    return i < body.length && body[i] === QUOTE && i > at + known.length ? row : 0;
  }

  /** Any messageId at `at`: its prefix (up to its last dash) and the row after it, noted. */
  private noteAt(body: Buffer, at: number): void {
    const end = body.indexOf(QUOTE, at);
    if (end < 0) { throw new Error("a messageId without its end"); }
    const dash = body.lastIndexOf(DASH, end);
    // The row's number, read from the digits (no string made for it).
    let row = dash + 1 < end ? 0 : NaN;
    for (let i = dash + 1; i < end; i++) {
      const digit = body[i] - 0x30;
      row = digit >= 0 && digit <= 9 ? row * 10 + digit : NaN;
    }
    this.note(this.samePrefix(body, at, dash + 1), row);
  }

  /** The delivery's prefix when body[from, to) is it (one string made for the first only), else that text. */
  private samePrefix(body: Buffer, from: number, to: number): string {
    const known = this.prefixBytes;
    if (known && known.length === to - from && body.compare(known, 0, known.length, from, to) === 0) {
      return this.prefix!;
    }
    const text = body.toString("latin1", from, to);
    if (!known) { this.prefixBytes = Buffer.from(text, "latin1"); }
    return text;
  }

  private noteId(id: string): void {
    const dash = id.lastIndexOf("-");
    this.note(id.slice(0, dash + 1), Number(id.slice(dash + 1)));
  }

  private note(prefix: string, row: number): void {
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

function messagesOf(body: Buffer): Array<Record<string, unknown>> {
  const batch = (JSON.parse(body.toString("utf8")) as { batch?: unknown }).batch;
  if (!Array.isArray(batch)) { throw new Error("no batch"); }
  return batch as Array<Record<string, unknown>>;
}

/** The endpoint (any write key accepted); tells the tally over IPC when asked, starts it again on "reset". */
export function segmentApi(): void {
  let checker = new SegmentChecker();
  // A body's bytes go into a buffer of its own, taken back when it has been checked (the hub sends
  // a few requests at once, bodies of at most 500 KB): no new memory for each request.
  const spare: Buffer[] = [];
  const server = http.createServer((req, res) => {
    let body = spare.pop() ?? Buffer.allocUnsafeSlow(1024 * 1024);
    let length = 0;
    req.on("data", (c: Buffer) => {
      if (length + c.length > body.length) {
        const bigger = Buffer.allocUnsafeSlow(2 * (length + c.length));
        body.copy(bigger, 0, 0, length);
        body = bigger;
      }
      length += c.copy(body, length);
    });
    req.on("end", () => {
      let ok = true;
      try {
        checker.check(body.subarray(0, length));
      } catch {
        ok = false;
        checker.tally.faults++;
      }
      spare.push(body);
      res.writeHead(ok ? 200 : 400, { "content-type": "application/json" });
      res.end(ok ? '{"success":true}' : '{"success":false,"message":"Invalid JSON"}');
    });
  });
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on("message", (m) => {
    if (m === "reset") { checker = new SegmentChecker(); process.send!("reset"); return; }
    process.send!(checker.tally);
  });
}
