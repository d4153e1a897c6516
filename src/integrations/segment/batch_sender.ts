// The default Segment sender (SEGMENT_SENDER=batch): posts to Segment's documented HTTP Tracking
// API, `POST /v1/batch`, through the hub's HTTP client (timeouts, retries with backoff that
// honour Retry-After). Each message is serialized once and its bytes counted as it joins the
// batch, so building a batch costs what its bytes cost (analytics-node re-serializes its whole
// queue on every call). At most `maxPendingBatches` requests are in flight; `send` waits for
// room, which is what slows the row reader down to Segment's pace.
import { BatchWindow } from "../../data/rows/batch_window";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { HttpStatusError, HttpUnavailableError } from "../../lib/http_errors";
import { Logger } from "../../lib/logger";
import { SpareBuffers } from "../../lib/spare_buffers";
import { SegmentCall, SegmentMessage } from "./segment_mapper";
import { SerializedRecord } from "../../data/rows/serialized_record";
import { SegmentMessageJson } from "./segment_message_json";
import { describeFailure, MessageRefused, SegmentSender, SegmentSenderOptions, SendFailure } from "./segment_sender";

/** Segment's limits: 500 KB per /v1/batch request, 32 KB per message (larger ones get HTTP 400). */
export const MAX_BATCH_BYTES = 500_000;
export const MAX_MESSAGE_BYTES = 32 * 1024;

export interface BatchSenderOptions extends SegmentSenderOptions {
  http: HttpClient;
  /** `context.library` of every message: who made the call. */
  library: { name: string; version: string };
  logger?: Logger;
  /** Bytes per request at most, the envelope included; Segment's 500 KB by default. */
  maxBatchBytes?: number;
}

/** A request is `{"batch":[` + messages joined by commas + `],"sentAt":"<24-character ISO time>"}`. */
const HEAD = '{"batch":[';
const TAIL_BYTES = Buffer.byteLength(`],"sentAt":"${new Date(0).toISOString()}"}`);
const ENVELOPE_BYTES = HEAD.length + TAIL_BYTES;
const COMMA = 0x2c;

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export class BatchSender implements SegmentSender {
  sent = 0;
  private readonly url: string;
  private readonly authorization: string;
  private readonly maxMessages: number;
  private readonly maxBytes: number;
  private readonly window: BatchWindow;
  private readonly maxAttempts?: number;
  /**
   * The request being built, written in place: `{"batch":[` and the messages so far; `length`
   * bytes, `count` messages. Its tail is written when it is sent, in the room kept for it.
   */
  private body?: Buffer;
  /**
   * Bodies whose requests are over, written again for later batches: a new 500 KB body per batch
   * (a gigabyte of memory a million rows) made V8 collect its whole heap every few dozen batches,
   * more CPU than the sending (bench/RESULTS.md). At most the window's requests and the one being
   * built exist, so this holds no more than they did. A request is over when the HTTP client
   * answers or fails: its body is then written or, by a connection it destroyed, never sent again.
   */
  private readonly spare: SpareBuffers;
  private length = 0;
  private count = 0;
  private readonly json: SegmentMessageJson;

  constructor(private readonly options: BatchSenderOptions) {
    this.url = `${options.host.replace(/\/+$/, "")}/v1/batch`;
    // Segment's Basic auth: the write key is the user name, the password is empty.
    this.authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString("base64")}`;
    this.maxMessages = options.batchSize ?? Number.MAX_SAFE_INTEGER;
    this.maxBytes = options.maxBatchBytes ?? MAX_BATCH_BYTES;
    const pending = Math.max(1, options.maxPendingBatches ?? 4);
    this.window = new BatchWindow(pending);
    this.spare = new SpareBuffers(pending + 1);
    this.maxAttempts = options.retryCount === undefined ? undefined : options.retryCount + 1;
    this.json = new SegmentMessageJson(options.library);
  }

  get failed(): boolean { return this.window.failed; }

  /** Answers a promise only when it has to wait (a batch is handed over); else nothing, at no cost. */
  send(call: SegmentCall, message: SegmentMessage): Promise<void> | void {
    const json = this.json.serialize(call, message);
    return this.add(json, Buffer.byteLength(json));
  }

  /** The same for a message a row worker serialised (segment_mapping.ts): its bytes are copied. */
  sendSerialized(message: SerializedRecord<SegmentMessage>): Promise<void> | void {
    return this.add(message, message.length);
  }

  private add(json: string | SerializedRecord<SegmentMessage>, size: number): Promise<void> | void {
    if (size > MAX_MESSAGE_BYTES || ENVELOPE_BYTES + size > this.maxBytes) {
      throw new MessageRefused(`it makes a message of ${kilobytes(size)}, and Segment takes at most ` +
        `${kilobytes(MAX_MESSAGE_BYTES)} per call. Leave out long text fields (hide them in the visualization).`);
    }
    if (this.count > 0 && this.length + 1 + size + TAIL_BYTES > this.maxBytes) {
      return this.dispatch().then(() => this.append(json));
    }
    return this.append(json);
  }

  private append(json: string | SerializedRecord<SegmentMessage>): Promise<void> | void {
    if (!this.body) {
      this.body = this.spare.take(this.maxBytes);
      this.length = this.body.write(HEAD, 0, "latin1");
    }
    if (this.count > 0) { this.body[this.length++] = COMMA; }
    this.length += typeof json === "string" ? this.body.write(json, this.length, "utf8")
      : json.copyTo(this.body, this.length);
    this.count++;
    if (this.count >= this.maxMessages) { return this.dispatch(); }
  }

  async finish(): Promise<void> {
    if (this.count > 0) { await this.dispatch(); }
    await this.window.drain();
  }

  async abandon(): Promise<void> {
    this.body = undefined;
    this.count = 0;
    await this.window.drain();
  }

  failure(): UserError {
    return describeFailure(this.window.failed ? failureOf(this.window.failure) : { attempts: 1 }, this.sent);
  }

  /** Hands the batch being built to a request, once the window has room. */
  private async dispatch(): Promise<void> {
    const buffer = this.body!;
    const count = this.count;
    let length = this.length;
    this.body = undefined;
    this.count = 0;
    // sentAt lets Segment correct the clock of the sender; a retry resends the same bytes.
    await this.window.submit(async () => {
      length += buffer.write(`],"sentAt":"${new Date().toISOString()}"}`, length, "latin1");
      try {
        await this.post(buffer.subarray(0, length));
      } finally {
        this.spare.giveBack(buffer);
      }
      this.sent += count;
    });
  }

  private async post(body: Buffer): Promise<void> {
    await this.options.http.request({
      url: this.url,
      method: "POST",
      headers: { "content-type": "application/json", "authorization": this.authorization },
      body,
      trusted: true,
      who: "Segment",
      logger: this.options.logger,
      maxAttempts: this.maxAttempts,
      maxResponseBytes: 64 * 1024,
    });
  }
}

/** The facts of a failed request, from the HTTP client's errors (or a network error it did not retry). */
function failureOf(err: unknown): SendFailure {
  if (err instanceof HttpStatusError || err instanceof HttpUnavailableError) {
    const f = err.failure;
    return { status: f.status, said: f.excerpt || undefined, code: f.code, attempts: f.attempts };
  }
  return { code: (err as { code?: string })?.code, attempts: 1 };
}
