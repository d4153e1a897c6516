// A Segment message written straight from a row's bytes (src/data/json/raw_rows.ts) into a row
// worker's output: the same bytes as rowToMessage and SegmentMessageJson.serialize give, without
// parsing the row, building the message or JSON.stringify (they cost the row thread two thirds of
// its CPU, bench/RESULTS.md). A value is copied only when its bytes are what JSON.stringify
// writes for it (raw_rows.ts says which); any other row (a value it cannot copy, no id, an
// escaped key, a pivot) is left to rowToMessage, so every message is what it was.
import { RawKind, RawRun } from "../../data/json/raw_run";
import { copyRange as copy, KIND, putBytes as put, RawFieldSlots, writeDigits } from "../../data/rows/raw_fields";
import type { RawOutput } from "../../data/rows/row_mapping";
import type { FieldRoles, SegmentCall } from "./segment_mapper";
import type { SegmentMessageJson } from "./segment_message_json";

const QUOTE = 0x22, COMMA = 0x2c, CLOSE = 0x7d;

export interface RawWriterArgs {
  call: SegmentCall;
  event?: string;
  roles: FieldRoles;
  json: SegmentMessageJson;
  context: object;
  idPrefix: string;
  /** The messages' time now (it changes when ran_at comes). */
  timestamp: () => Date;
}

export class SegmentRawWriter {
  /** The fields read, and the cells holding them in the row being written. */
  private readonly fields = new RawFieldSlots();
  private readonly values: number[];
  private readonly valueKeys: Buffer[];
  private readonly user: number;
  private readonly anonymous: number;
  private readonly group: number;
  private readonly email: number;
  private readonly head: Buffer;
  private readonly messageId: Buffer;
  private readonly afterIds: Buffer;
  private readonly fixedBytes: number;
  private timeOf?: Date;
  private tail = Buffer.alloc(0);

  private constructor(private readonly args: RawWriterArgs) {
    const { roles } = args;
    const field = (name: string | undefined) => this.fields.slotOf(name);
    this.values = roles.valueFields.map(field);
    this.valueKeys = roles.valueFields.map((name) => Buffer.from(`${JSON.stringify(name)}:`));
    this.user = field(roles.userIdField ?? roles.anonymousIdField);
    this.anonymous = field(roles.anonymousIdField);
    this.group = args.call === "group" ? field(roles.groupIdField) : -1;
    this.email = field(roles.emailField);
    this.head = Buffer.from(`${args.json.head(args.call, args.context)},"userId":`);
    this.messageId = Buffer.from(`,"anonymousId":`);
    const id = JSON.stringify(args.idPrefix);
    const event = args.call === "track" && args.event !== undefined ? `,"event":${JSON.stringify(args.event)}` : "";
    this.afterIds = Buffer.from(`,"messageId":${id.slice(0, -1)}`);
    this.groupKey = Buffer.from(`"${args.call === "group" ? ',"groupId":' : ""}`);
    this.valuesKey = Buffer.from(`${event},"${args.call === "track" ? "properties" : "traits"}":{`);
    this.fixedBytes = this.head.length + this.messageId.length + this.afterIds.length + this.groupKey.length +
      this.valuesKey.length + this.valueKeys.reduce((n, k) => n + k.length + 1, 0) + '"email":'.length + 192;
  }

  private readonly groupKey: Buffer;
  private readonly valuesKey: Buffer;

  /**
   * The writer for a delivery, or undefined when its messages' keys would not come out in the
   * fields' order (a traits key JavaScript orders first, "email" or one twice, "__proto__"): every
   * row is then mapped as before.
   */
  static for(args: RawWriterArgs): SegmentRawWriter | undefined {
    const names = args.roles.valueFields;
    if (new Set(names).size !== names.length ||
        names.some((n) => n === "email" || n === "__proto__" || /^\d+$/.test(n))) { return undefined; }
    return new SegmentRawWriter(args);
  }

  /** Writes row `k` of `run` as its message; false (nothing written) leaves the row to rowToMessage. */
  write(run: RawRun, k: number, rowNumber: number, out: RawOutput): boolean {
    const b = run.bytes;
    const fields = this.fields;
    if (!fields.read(run, k)) { return false; }
    const user = this.id(run, this.user), anonymous = this.id(run, this.anonymous);
    if (user === OTHER || anonymous === OTHER) { return false; }
    if (this.args.call === "group") {
      const group = this.id(run, this.group);
      if (group === OTHER || group === NONE || (user === NONE && anonymous === NONE)) { return false; }
    } else if (user === NONE && anonymous === NONE) {
      return false; // a new anonymous id: rowToMessage makes it
    }
    const dst = out.room(this.fixedBytes + 4 * (run.rowEnd(k) - run.rowStart(k)));
    let at = put(this.head, dst, out.end);
    at = this.writeId(run, b, user, dst, at);
    at = put(this.messageId, dst, at);
    at = this.writeId(run, b, anonymous, dst, at);
    at = put(this.afterIds, dst, at);
    at = writeDigits(rowNumber, dst, at);
    at = put(this.groupKey, dst, at);
    if (this.args.call === "group") { at = this.writeId(run, b, fields.cell(this.group), dst, at); }
    at = put(this.valuesKey, dst, at);
    let written = 0;
    for (let v = 0; v < this.values.length; v++) {
      const c = fields.cell(this.values[v]);
      if (c < 0) { continue; }
      if ((run.kind(c) & KIND) === RawKind.OTHER) { return false; }
      if (written++ > 0) { dst[at++] = COMMA; }
      at = put(this.valueKeys[v], dst, at);
      at = copy(b, run.valueStart(c), run.valueEnd(c), dst, at);
    }
    const email = fields.cell(this.email);
    if (email >= 0) {
      if ((run.kind(email) & KIND) === RawKind.OTHER) { return false; }
      if (written > 0) { dst[at++] = COMMA; }
      at = put(EMAIL, dst, at);
      at = copy(b, run.valueStart(email), run.valueEnd(email), dst, at);
    }
    dst[at++] = CLOSE;
    at = put(this.timeTail(), dst, at);
    out.commit(rowNumber, at);
    return true;
  }

  /** The cell of field `f` as an id: the cell, NONE (Segment's null), or OTHER (left to rowToMessage). */
  private id(run: RawRun, f: number): number {
    const c = this.fields.cell(f);
    if (c < 0) { return NONE; }
    const kind = run.kind(c) & KIND;
    if (kind === RawKind.OTHER) { return OTHER; }
    const empty = kind === RawKind.STRING && run.valueEnd(c) - run.valueStart(c) === 2;
    if (kind === RawKind.NULL || empty) { return NONE; }
    return c;
  }

  /** An id as idValue makes it: null, the string, or a number or boolean as a string. */
  private writeId(run: RawRun, b: Buffer, c: number, dst: Buffer, at: number): number {
    if (c < 0) { return put(NULL, dst, at); }
    const quoted = (run.kind(c) & KIND) !== RawKind.STRING;
    if (quoted) { dst[at++] = QUOTE; }
    at = copy(b, run.valueStart(c), run.valueEnd(c), dst, at);
    if (quoted) { dst[at++] = QUOTE; }
    return at;
  }

  private timeTail(): Buffer {
    const now = this.args.timestamp();
    if (now !== this.timeOf) {
      this.timeOf = now;
      this.tail = Buffer.from(`,"timestamp":${this.args.json.time(now)}}`);
    }
    return this.tail;
  }
}

const NONE = -1;
const OTHER = -2;
const NULL = Buffer.from("null");
const EMAIL = Buffer.from('"email":');
