// Reads an execute body as it arrives. Everything but `attachment.data` is small and parsed
// whole; the data is decoded on the fly (JSON string escapes, then base64 when the mimetype
// says so) and handed to the integration as a stream with the body's backpressure.
// The integration runs only once the params, form values and scheduled plan are known: when
// the data comes first, it goes to a spool file until the rest of the body has arrived.
import { Readable } from "stream";
import { ActionRequest, applyPayloadFields, parseAttachment, RequestContext } from "../../hub/action_request";
import { Base64Decoder, isBase64Mimetype } from "./base64_decoder";
import { decodedSource, INFLATE_SLACK_BYTES, MAX_INFLATE_RATIO, tooInflated, tooLarge } from "./body_encoding";
import { DEFAULT_DELIVERY_LIMITS, DeliveryLimits, InlineDelivery } from "../delivery/read_once";
import { BadRequestError } from "../../lib/errors";
import { JsonPath, JsonSyntaxError, JsonWalker, ValueMode, WalkHandler } from "../json/json_walker";
import { LivePushDelivery, SpooledPushDelivery } from "../delivery/push_delivery";
import { Spool } from "../delivery/spool";
import { nextTurn, turnSpent } from "../../lib/loop_turns";
import { spentBytes } from "../../lib/young_garbage";
import { UrlDelivery } from "../delivery/url_delivery";
import { BodySource, cutOffError, DISCARD_BYTES, ExecuteBody, FIELD_KEYS, NEEDED_BEFORE_DATA } from "./execute_body";

export type { BodySource, ExecuteBody } from "./execute_body";

const LIVE_HIGH_WATER_MARK = 256 * 1024;

class ExecuteBodyReader implements WalkHandler {
  readonly request: ActionRequest;
  private readonly walker = new JsonWalker(this, { overwrite: true });
  private readonly input: Readable;
  private readonly seen = new Set<string>();
  private readonly fields = new Map<string, unknown>();
  private readonly attachmentFields: Record<string, unknown> = {};
  private attachmentPresent = false;
  private inlineData: unknown;
  private live: Readable | undefined;
  private base64: Base64Decoder | undefined;
  private spool: Spool | undefined;
  private spoolBase64 = false;
  private spooled: SpooledPushDelivery | undefined;
  private resolved = false;
  private finished = false;
  private discarding = false;
  private bytesRead = 0;
  /** Bytes as they came, before decompression. */
  private compressedBytes = 0;
  private discardFrom = 0;
  /** Chunks that came once this turn of the loop was spent: worked on at the next turn, in order. */
  private deferred: Buffer[] = [];
  private endDeferred = false;
  private waitingTurn = false;
  /** The input is paused for the consumer (backpressure) or the spool: a turn must not resume it. */
  private held = false;
  private readonly compressed: string | undefined;
  private readonly raw: Readable;
  private resolveBody!: (body: ExecuteBody) => void;
  private rejectBody!: (err: Error) => void;
  readonly body: Promise<ExecuteBody>;

  constructor(source: BodySource, context: RequestContext, private readonly limits: DeliveryLimits) {
    this.request = new ActionRequest(context);
    this.body = new Promise((resolve, reject) => { this.resolveBody = resolve; this.rejectBody = reject; });
    this.raw = source.readable;
    const decoded = decodedSource(source);
    this.input = decoded.input;
    this.compressed = decoded.compressed;
    source.readable.on("data", (chunk: Buffer) => {
      this.compressedBytes += chunk.length;
      if (this.discarding && this.compressedBytes - this.discardFrom > DISCARD_BYTES) { source.readable.destroy(); }
    });
    this.input.on("data", (chunk: Buffer) => this.onData(chunk));
    this.input.once("end", () => { this.onEnd().catch((err) => this.fail(err)); });
    this.input.once("error", (err) => this.fail(this.cutOff(err)));
    source.readable.once("close", () => {
      if (!source.readable.readableEnded) { this.fail(this.cutOff()); }
    });
  }

  modeFor(path: JsonPath): ValueMode {
    if (path.length === 0) { return "object"; }
    if (path.length === 1) {
      if (path[0] === "attachment") { return "object"; }
      return FIELD_KEYS.includes(path[0]) ? "collect" : "skip";
    }
    if (path.length === 2 && path[0] === "attachment") { return path[1] === "data" ? "string" : "collect"; }
    return "skip";
  }

  value(path: JsonPath, value: unknown): void {
    if (path.length === 0) { throw new BadRequestError("The request body must be a JSON object."); }
    const key = path.length === 1 ? path[0] : `${path[0]}.${path[1]}`;
    this.seen.add(key);
    if (path.length === 1 && key === "attachment") {
      parseAttachment(value);
    } else if (path.length === 1) {
      if (this.resolved) { applyPayloadFields(this.request, key, value); } else { this.fields.set(key, value); }
    } else if (path[1] === "data") {
      this.attachmentPresent = true;
      this.inlineData = value;
    } else {
      this.attachmentPresent = true;
      this.attachmentFields[path[1]] = value;
    }
  }

  start(_path: JsonPath, decoded: boolean): void {
    this.attachmentPresent = true;
    const base64 = decoded && isBase64Mimetype(this.attachmentFields.mimetype as string | undefined);
    if (NEEDED_BEFORE_DATA.every((key) => this.seen.has(key))) {
      this.base64 = base64 ? new Base64Decoder(true) : undefined;
      this.live = new Readable({ highWaterMark: LIVE_HIGH_WATER_MARK, read: () => this.release() });
      this.resolve();
    } else {
      // The mimetype may still come after the data: decide on base64 when reading the spool.
      this.spoolBase64 = decoded;
      this.spool = Spool.create();
    }
  }

  bytes(_path: JsonPath, chunk: Buffer): void {
    if (this.discarding) { return; }
    if (this.live) {
      const out = this.base64 ? this.base64.write(chunk) : chunk;
      if (out.length && !this.live.push(out)) { this.hold(); }
    } else if (this.spool && !this.spool.write(chunk)) {
      this.hold();
      this.spool.drained().then(() => { if (!this.discarding) { this.release(); } }, (err) => this.fail(err));
    }
  }

  end(): void {
    const rest = this.base64?.end();
    if (this.live && rest?.length) { this.live.push(rest); }
  }

  /** Stops delivering and reads the rest of the body into nothing. */
  dispose(): void {
    this.spool?.dispose();
    this.spooled?.dispose();
    if (this.live && !this.live.readableEnded) { this.live.destroy(); }
    this.discard();
  }

  private hold(): void {
    this.held = true;
    this.input.pause();
  }

  private release(): void {
    this.held = false;
    if (this.deferred.length) { this.later(); } else { this.input.resume(); }
  }

  /**
   * A chunk is worked on now, or at a later turn of the event loop once this one has done its
   * share of delivery work (src/lib/loop_turns.ts): the input waits meanwhile, order is kept.
   */
  private onData(chunk: Buffer): void {
    if (this.discarding) { this.bytesRead += chunk.length; return; }
    if (this.deferred.length || this.held || turnSpent()) {
      this.deferred.push(chunk);
      this.input.pause();
      if (!this.held) { this.later(); }
      return;
    }
    this.work(chunk);
  }

  private later(): void {
    if (this.waitingTurn) { return; }
    this.waitingTurn = true;
    nextTurn(() => { this.waitingTurn = false; this.workDeferred(); });
  }

  private workDeferred(): void {
    while (this.deferred.length && !this.discarding && !this.held) {
      if (turnSpent()) { return this.later(); }
      this.work(this.deferred.shift()!);
    }
    if (this.discarding) { this.deferred = []; return; }
    // Held with chunks left: release() comes back here.
    if (this.deferred.length) { return; }
    if (this.endDeferred) {
      this.endDeferred = false;
      this.onEnd().catch((err) => this.fail(err));
    } else if (!this.held) {
      this.input.resume();
    }
  }

  private work(chunk: Buffer): void {
    this.bytesRead += chunk.length;
    if (this.discarding) { return; }
    if (this.limits.maxBytes && this.bytesRead > this.limits.maxBytes) {
      return this.fail(tooLarge(this.limits.maxBytes));
    }
    if (this.compressed && !this.limits.maxBytes &&
        this.bytesRead > this.compressedBytes * MAX_INFLATE_RATIO + INFLATE_SLACK_BYTES) {
      return this.fail(tooInflated());
    }
    try {
      this.walker.feed(chunk);
      spentBytes(chunk.length);
    } catch (err) {
      this.fail(err);
    }
  }

  private async onEnd(): Promise<void> {
    if (this.discarding) { return; }
    if (this.deferred.length) { this.endDeferred = true; return; }
    if (this.walker.sawValue) { this.walker.end(); }
    this.finished = true;
    if (this.spool) { await this.spool.finish(); }
    if (this.live) { this.live.push(null); }
    this.resolve();
  }

  private resolve(): void {
    if (this.resolved) { return; }
    try {
      this.buildRequest();
    } catch (err) {
      // Not yet resolved, so fail() rejects the body promise and the answer names the problem.
      return this.fail(err);
    }
    this.resolved = true;
    this.resolveBody({ request: this.request, dispose: () => this.dispose() });
  }

  /** Applies the fields in a fixed order (the body's order is not promised) and picks the delivery. */
  private buildRequest(): void {
    const request = this.request;
    for (const key of FIELD_KEYS) {
      if (this.fields.has(key)) { applyPayloadFields(request, key, this.fields.get(key)); }
    }
    if (this.attachmentPresent) { request.attachment = parseAttachment(this.attachmentFields); }
    const mimetype = request.attachment?.mimetype;
    if (this.live) {
      request.delivery = new LivePushDelivery(this.live, mimetype, request.format);
    } else if (this.spool) {
      const base64 = this.spoolBase64 && isBase64Mimetype(mimetype);
      this.spooled = new SpooledPushDelivery(this.spool, mimetype, request.format, base64);
      request.delivery = this.spooled;
    } else if (this.inlineData !== undefined && this.inlineData !== null) {
      request.delivery = new InlineDelivery(this.inlineData, mimetype, request.format);
    } else if (request.scheduledPlan?.downloadUrl) {
      request.delivery = new UrlDelivery(
        request.scheduledPlan.downloadUrl, request.format, this.limits, request.signal);
    }
  }

  private cutOff(err?: Error): Error {
    return cutOffError(err, this.compressed, this.bytesRead);
  }

  private fail(err: unknown): void {
    const error = err instanceof JsonSyntaxError
      ? new BadRequestError(`The request body is not valid JSON: ${err.message}`)
      : err instanceof Error ? err : new Error(String(err));
    if (!this.resolved) {
      this.resolved = true;
      this.rejectBody(error);
    }
    if (this.live && !this.live.destroyed) { this.live.destroy(error); }
    this.spool?.dispose();
    this.discard();
  }

  private discard(): void {
    if (this.discarding) { return; }
    this.discarding = true;
    this.discardFrom = this.compressedBytes;
    if (this.finished) { return; }
    if (this.compressed) {
      // The rest is discarded as it came, without inflating it.
      this.raw.unpipe();
      this.input.destroy();
      this.raw.resume();
    } else {
      this.input.resume();
    }
  }
}

/**
 * Starts reading an execute body. Resolves with the request once the integration may
 * run: when the attachment's data begins after everything else, or at the end of the body.
 */
export function readExecuteBody(
  source: BodySource, context: RequestContext, limits: DeliveryLimits = DEFAULT_DELIVERY_LIMITS,
): Promise<ExecuteBody> {
  if (limits.maxBytes && source.declaredLength !== undefined && source.declaredLength > limits.maxBytes) {
    source.abandon?.();
    return Promise.reject(tooLarge(limits.maxBytes));
  }
  try {
    return new ExecuteBodyReader(source, context, limits).body;
  } catch (err) {
    source.abandon?.();
    return Promise.reject(err);
  }
}
