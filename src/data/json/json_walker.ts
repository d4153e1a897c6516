// A push-driven JSON walker over byte chunks. The handler says, key by key, how to read
// each value: walk into it, parse it whole (small values), stream its bytes (the big ones),
// or skip it. Only small values are ever held in memory, so documents of any size pass
// in constant memory; the work per call is bounded by the chunk, so the event loop stays free.
import { JsonStringDecoder, JsonSyntaxError } from "./json_string_decoder";
import { Collector, isSpace, ValueEnd, where } from "./json_value_end";
import { RowRuns } from "./row_runs";
import { rawRows } from "./raw_rows";
import { RawRun } from "./raw_run";

export { JsonSyntaxError } from "./json_string_decoder";

/**
 * - `object`: walk into an object, asking for each key's mode (not an object: `collect`).
 * - `elements`: walk into an array, parse each element whole (not an array: `collect`).
 * - `elementBytes`: like `elements`, but `element` gets each element's JSON bytes, unparsed (a
 *   reader that parses them only when they are used holds small buffers, not object graphs).
 *   With an `elements` handler, the rows lying whole in a chunk may come parsed to it at once
 *   instead (row_runs.ts), in order with the others.
 * - `count`: like `elements` without parsing: `element` gets undefined.
 * - `collect`: parse the value whole and hand it to `value`.
 * - `string`: a string's decoded bytes (an object's or array's raw JSON bytes) go to
 *   `bytes`; a bare literal (null, a number) goes to `value`.
 * - `raw`: the value's raw JSON bytes go to `bytes`.
 * - `skip`: ignore the value.
 */
export type ValueMode = "object" | "elements" | "elementBytes" | "count" | "collect" | "string" | "raw" | "skip";
export type JsonPath = readonly string[];

export interface WalkHandler {
  modeFor(path: JsonPath): ValueMode;
  value?(path: JsonPath, value: unknown): void;
  element?(path: JsonPath, value: unknown): void;
  /** `elementBytes` only: several elements at once, parsed. */
  elements?(path: JsonPath, values: unknown[]): void;
  /**
   * `elementBytes` only: several elements at once (json_detail rows), as byte ranges (raw_rows.ts);
   * with it, rows lying whole in a chunk come so, the others as `element` or `elements`.
   */
  rawElements?(path: JsonPath, run: RawRun): void;
  /** A `string`/`raw` value begins; `decoded` is true for a string's decoded bytes. */
  start?(path: JsonPath, decoded: boolean): void;
  bytes?(path: JsonPath, chunk: Buffer): void;
  end?(path: JsonPath): void;
}

const QUOTE = 0x22;


interface Frame {
  kind: "object" | "array";
  path: JsonPath;
  /**
   * object: 0 first key or }, 1 key, 2 colon, 3 value, 4 comma or };
   * array: 0 first value or ], 3 value, 4 comma or ].
   */
  state: number;
  key: string;
  elements: "element" | "elementBytes" | "count";
}

type LeafKind = "collect" | "skip" | "raw" | "element" | "elementBytes" | "count" | "key";
type Leaf =
  | { kind: LeafKind; path: JsonPath; end: ValueEnd; collector?: Collector }
  | { kind: "string"; path: JsonPath; decoder: JsonStringDecoder };

export interface WalkerOptions {
  /** Largest value parsed whole (`collect`, each element, each key). */
  maxValueBytes?: number;
  /** The chunks fed are the walker's to write over once read: a `string`'s decoded bytes then take their place. */
  overwrite?: boolean;
}

export class JsonWalker {
  private readonly frames: Frame[] = [];
  private leaf: Leaf | undefined;
  private rootDone = false;
  private started = false;
  private readonly maxValueBytes: number;
  private readonly overwrite: boolean;
  private readonly sharedEnd = new ValueEnd();
  private readonly runs: RowRuns | undefined;
  /** Bytes fed before the current buffer. */
  private offset = 0;

  constructor(private readonly handler: WalkHandler, options: WalkerOptions = {}) {
    this.maxValueBytes = options.maxValueBytes ?? 16 * 1024 * 1024;
    this.runs = handler.elements ? new RowRuns(this.maxValueBytes) : undefined;
    this.overwrite = options.overwrite === true;
  }

  /** True once the top-level value is complete. */
  get done(): boolean { return this.rootDone; }
  /** True once any non-space byte arrived. */
  get sawValue(): boolean { return this.started; }

  feed(buf: Buffer): void {
    const at = { i: 0 };
    try {
      this.feedFrom(buf, at);
    } catch (err) {
      // Positions, never content: the byte where the document stopped making sense.
      if (err instanceof JsonSyntaxError) { err.message = `${err.message} (at byte ${this.offset + at.i + 1})`; }
      throw err;
    } finally {
      this.offset += buf.length;
    }
  }

  private feedFrom(buf: Buffer, at: { i: number }): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      at.i = i;
      if (this.leaf) {
        i = this.feedLeaf(buf, i);
        continue;
      }
      const c = buf[i];
      if (isSpace(c)) { i++; continue; }
      const frame = this.frames[this.frames.length - 1];
      if (!frame) {
        if (this.rootDone) { throw new JsonSyntaxError("There is more after the end of the JSON document."); }
        this.started = true;
        i = this.startValue([], this.handler.modeFor([]), buf, i);
        continue;
      }
      i = frame.kind === "object" ? this.objectStep(frame, buf, i, c) : this.arrayStep(frame, buf, i, c);
    }
  }

  /** Called at the end of input: throws unless the document was complete. */
  end(): void {
    if (this.leaf && this.frames.length === 0 && this.leaf.kind !== "string" && this.leaf.end.inLiteral) {
      this.finishLeaf(this.leaf);
    }
    if (!this.rootDone) {
      throw new JsonSyntaxError(
        this.started ? "The JSON document ends before it is complete." : "The JSON document is empty.",
      );
    }
  }

  private objectStep(frame: Frame, buf: Buffer, i: number, c: number): number {
    switch (frame.state) {
      case 0: case 1:
        if (c === 0x7d && frame.state === 0) { this.closeFrame(); return i + 1; }
        if (c !== QUOTE) { throw new JsonSyntaxError(`Expected a key inside ${where(frame.path)}.`); }
        this.leaf = this.valueLeaf("key", frame.path);
        return i;
      case 2:
        if (c !== 0x3a) { throw new JsonSyntaxError(`Expected ":" after a key inside ${where(frame.path)}.`); }
        frame.state = 3;
        return i + 1;
      case 3: {
        const path = [...frame.path, frame.key];
        frame.state = 4;
        return this.startValue(path, this.handler.modeFor(path), buf, i);
      }
      default:
        if (c === 0x2c) { frame.state = 1; return i + 1; }
        if (c === 0x7d) { this.closeFrame(); return i + 1; }
        throw new JsonSyntaxError(`Expected "," or "}" inside ${where(frame.path)}.`);
    }
  }

  private arrayStep(frame: Frame, buf: Buffer, i: number, c: number): number {
    if (frame.state === 4) {
      if (c === 0x2c) { frame.state = 3; return i + 1; }
      if (c === 0x5d) { this.closeFrame(); return i + 1; }
      throw new JsonSyntaxError(`Expected "," or "]" inside ${where(frame.path)}.`);
    }
    if (c === 0x5d && frame.state === 0) { this.closeFrame(); return i + 1; }
    frame.state = 4;
    if (frame.elements === "elementBytes" && this.handler.rawElements) {
      const raw = rawRows(buf, i);
      if (raw) {
        this.handler.rawElements(frame.path, raw.run);
        return raw.end;
      }
    }
    if (frame.elements === "elementBytes" && this.runs) {
      const run = this.runs.take(buf, i, this.offset);
      if (run) {
        this.handler.elements!(frame.path, run.values);
        return run.end;
      }
    }
    this.leaf = this.valueLeaf(frame.elements, frame.path);
    return i;
  }

  private valueLeaf(kind: LeafKind, path: JsonPath): Leaf {
    const collects = kind !== "skip" && kind !== "raw" && kind !== "count";
    // One leaf is read at a time, so all share one scanner: rows and keys allocate less.
    const end = this.sharedEnd;
    end.reset();
    return { kind, path, end, collector: collects ? new Collector(this.maxValueBytes, path) : undefined };
  }

  private startValue(path: JsonPath, mode: ValueMode, buf: Buffer, i: number): number {
    const c = buf[i];
    switch (mode) {
      case "object":
        if (c !== 0x7b) { break; }
        this.frames.push({ kind: "object", path, state: 0, key: "", elements: "count" });
        return i + 1;
      case "elements": case "elementBytes": case "count":
        if (c !== 0x5b) { break; }
        this.frames.push({ kind: "array", path, state: 0, key: "",
          elements: mode === "elements" ? "element" : mode });
        return i + 1;
      case "string":
        // Containers stream raw; a bare literal (null, a number) is small and collected.
        if (c === 0x7b || c === 0x5b) { return this.startValue(path, "raw", buf, i); }
        if (c !== QUOTE) { break; }
        this.handler.start?.(path, true);
        const decoder = new JsonStringDecoder((bytes) => this.handler.bytes?.(path, bytes),
          { overwrite: this.overwrite });
        this.leaf = { kind: "string", path, decoder };
        return i + 1;
      case "raw":
        this.handler.start?.(path, false);
        this.leaf = this.valueLeaf("raw", path);
        return i;
      case "skip":
        this.leaf = this.valueLeaf("skip", path);
        return i;
      default:
        break;
    }
    this.leaf = this.valueLeaf("collect", path);
    return i;
  }

  private feedLeaf(buf: Buffer, i: number): number {
    const leaf = this.leaf as Leaf;
    if (leaf.kind === "string") {
      const next = leaf.decoder.feed(buf, i);
      if (next < 0) { return buf.length; }
      this.finishLeaf(leaf);
      return next;
    }
    const after = leaf.end.find(buf, i);
    const to = after < 0 ? buf.length : after;
    if (leaf.collector) { leaf.collector.add(buf, i, to); }
    if (leaf.kind === "raw" && to > i) { this.handler.bytes?.(leaf.path, buf.subarray(i, to)); }
    if (after >= 0) { this.finishLeaf(leaf); }
    return to;
  }

  private finishLeaf(leaf: Leaf): void {
    this.leaf = undefined;
    const frame = this.frames[this.frames.length - 1];
    switch (leaf.kind) {
      case "key": {
        const key = leaf.collector!.parse();
        if (typeof key !== "string") { throw new JsonSyntaxError(`A key inside ${where(leaf.path)} is not a string.`); }
        frame.key = key;
        frame.state = 2;
        return;
      }
      case "element":
        this.handler.element?.(leaf.path, leaf.collector!.parse());
        break;
      case "elementBytes":
        this.handler.element?.(leaf.path, leaf.collector!.take());
        break;
      case "count":
        this.handler.element?.(leaf.path, undefined);
        break;
      case "collect":
        this.handler.value?.(leaf.path, leaf.collector!.parse());
        break;
      case "string": case "raw":
        this.handler.end?.(leaf.path);
        break;
      default:
        break;
    }
    if (!frame) { this.rootDone = true; }
  }

  private closeFrame(): void {
    this.frames.pop();
    if (this.frames.length === 0) { this.rootDone = true; }
  }
}
