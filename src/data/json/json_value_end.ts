// The two scans the JSON walker runs over a value it does not walk into: finding where the
// value ends (string-aware, across chunks, backslashes found once per chunk), and gathering
// a small value's bytes to parse it whole.
import { JsonSyntaxError } from "./json_string_decoder";
import { STRUCTURE_PIECE_BYTES, StructureScanner, StructureState, structureScanner } from "./json_structure_simd";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Bytes of a string looked at one by one before indexOf looks for its end. */
const SHORT_STRING = 32;
/** Inside a container, this many bytes or more left in a chunk go to the WebAssembly scanner. */
const SIMD_MIN_BYTES = 64;

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** A path for messages: `"data"`, `"attachment.data"`, or the top level. */
/**
 * Where in the document, for error messages (which are logged): keys of the Action API by
 * name, any other key only as "a key", so no text of the body ever reaches a message or a log.
 */
export function where(path: readonly string[]): string {
  if (!path.length) { return "the top level"; }
  return `"${path.map((key) => ACTION_API_KEYS.has(key) ? key : "<key>").join(".")}"`;
}

const ACTION_API_KEYS = new Set(["type", "data", "form_params", "scheduled_plan", "attachment", "state",
  "mimetype", "extension", "query", "download_url", "fields", "measures", "dimensions", "rows", "ran_at"]);

/** Finds where one JSON value ends, across chunks, without decoding it. */
export class ValueEnd {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private literal = false;
  /** Cached position of the next backslash in `bsBuf`, so strings never rescan a chunk. */
  private bsBuf: Buffer | undefined;
  private bsAt = -1;
  private readonly simdState: StructureState = { depth: 0, inString: false, escaped: false };

  reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.literal = false;
  }

  /** True while a bare literal (number, true, ...) may still continue. */
  get inLiteral(): boolean { return this.literal; }

  private nextBackslash(buf: Buffer, from: number): number {
    if (this.bsBuf !== buf || (this.bsAt !== -1 && this.bsAt < from)) {
      this.bsBuf = buf;
      this.bsAt = buf.indexOf(BACKSLASH, from);
    }
    return this.bsAt;
  }

  /** The index just past the value's end in `buf`, or -1 when it goes on past `buf`. */
  find(buf: Buffer, start: number): number {
    const n = buf.length;
    let i = start;
    while (i < n) {
      const scanner = this.depth > 0 && n - i >= SIMD_MIN_BYTES && !this.literal ? structureScanner() : undefined;
      if (scanner) {
        const at = this.simd(scanner, buf, i);
        if (at < 0) { return -at - 1; }
        i = at;
        continue;
      }
      if (this.inString) {
        if (this.escaped) { this.escaped = false; i++; continue; }
        // A short string's bytes one by one: a call to indexOf costs more than they do (rows'
        // values are mostly short); a longer one goes on below, through indexOf.
        const near = Math.min(n, i + SHORT_STRING);
        while (i < near) {
          const c = buf[i];
          if (c === QUOTE) { break; }
          i += c === BACKSLASH ? 2 : 1;
        }
        if (i > n) { this.escaped = true; return -1; }
        if (i < n && buf[i] === QUOTE) {
          i++;
          this.inString = false;
          if (this.depth === 0) { return i; }
          continue;
        }
        if (i === n) { return -1; }
        let q = buf.indexOf(QUOTE, i);
        for (;;) {
          const b = this.nextBackslash(buf, i);
          if (b === -1 || (q !== -1 && q < b)) { break; }
          i = b + 2;
          if (i > n) { this.escaped = true; return -1; }
          if (q !== -1 && q < i) { q = buf.indexOf(QUOTE, i); }
        }
        if (q === -1) { return -1; }
        i = q + 1;
        this.inString = false;
        if (this.depth === 0) { return i; }
        continue;
      }
      if (this.literal) {
        const c = buf[i];
        if (c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) { return i; }
        i++;
        continue;
      }
      i = this.structure(buf, i);
      if (i < 0) { return -i - 1; }
    }
    return -1;
  }

  /**
   * Inside a container: the rest of `buf` through the WebAssembly scanner (json_structure_simd.ts),
   * a piece at a time; answers -(the value's end) - 1, or the end of `buf`.
   */
  private simd(scanner: StructureScanner, buf: Buffer, i: number): number {
    const state = this.simdState;
    state.depth = this.depth;
    state.inString = this.inString;
    state.escaped = this.escaped;
    const n = buf.length;
    while (i < n && state.depth > 0) { i = scanner.scan(buf, i, Math.min(n, i + STRUCTURE_PIECE_BYTES), state); }
    this.depth = state.depth;
    this.inString = state.inString;
    this.escaped = state.escaped;
    return state.depth === 0 ? -i - 1 : i;
  }

  /**
   * Reads brackets from `i` with the depth in a local (the main thread's scan of a pushed body
   * spent a third of its time on this object's fields), short strings without escapes at once:
   * answers where the string or literal path above takes over, or -(the value's end) - 1.
   */
  private structure(buf: Buffer, i: number): number {
    const n = buf.length;
    let depth = this.depth;
    while (i < n) {
      const c = buf[i];
      if (c === QUOTE) {
        const near = Math.min(n, i + 1 + SHORT_STRING);
        let k = i + 1;
        while (k < near && buf[k] !== QUOTE && buf[k] !== BACKSLASH) { k++; }
        if (k < near && buf[k] === QUOTE) {
          i = k + 1;
          if (depth === 0) { return -i - 1; }
          continue;
        }
        this.inString = true;
        i++;
        break;
      }
      if (c === 0x7b || c === 0x5b) {
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth <= 0) {
          this.depth = depth;
          return -(i + 1) - 1;
        }
      } else if (depth === 0 && !isSpace(c)) {
        this.literal = true;
        i++;
        break;
      }
      i++;
    }
    this.depth = depth;
    return i;
  }
}

/** Gathers a value's bytes (up to a limit) and parses them. */
export class Collector {
  private pieces: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number, private readonly path: readonly string[]) {}

  add(buf: Buffer, from: number, to: number): void {
    this.size += to - from;
    if (this.size > this.limit) {
      throw new JsonSyntaxError(`The JSON value at ${where(this.path)} is larger than ${this.limit} bytes.`);
    }
    this.pieces.push(buf.subarray(from, to));
  }

  /** The value's bytes (a view of the chunk when it lay in one), unparsed; the collector empties. */
  take(): Buffer {
    const bytes = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.size);
    this.pieces = [];
    this.size = 0;
    return bytes;
  }

  parse(): unknown {
    return parseJsonBytes(this.take(), this.path);
  }
}

/** Parses one JSON value's bytes; a syntax error names where the value was, never its text. */
export function parseJsonBytes(bytes: Buffer, path: readonly string[]): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new JsonSyntaxError(`The JSON value at ${where(path)} is not valid JSON.`);
  }
}
