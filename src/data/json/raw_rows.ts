// Rows of json_detail's `data` read as byte ranges, not parsed: for each row, each cell's key and,
// for a cell `{"value": v, ...}`, where v lies and what kind of value it is. A destination that
// builds its records from those bytes (Segment, HubSpot, mParticle: *_raw_writer.ts) copies them
// instead of JSON.parse of the row, its objects and JSON.stringify of the record: a third of the
// CPU. The scan is strict JSON (what JSON.parse refuses, it refuses, and the walker then reads
// the row its usual way, to the same error); a value copied as it is must print as
// JSON.stringify prints it, else it is marked OTHER and the row goes the parsed way.
import { isSpace } from "./json_value_end";
import { ESCAPED_KEY, RawKind, RawRun } from "./raw_run";

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a;
const OPEN = 0x7b, CLOSE = 0x7d, OPEN_LIST = 0x5b, CLOSE_LIST = 0x5d;
const ZERO = 0x30, NINE = 0x39, MINUS = 0x2d, DOT = 0x2e;
/** Containers nested deeper are left to the walker (and to JSON.parse). */
const MAX_DEPTH = 32;
const VALUE = Buffer.from("value");
const VALUE_KEY = Buffer.from('"value":');
const TRUE = Buffer.from("true"), FALSE = Buffer.from("false"), NULL = Buffer.from("null");

/** A strict JSON scan of one buffer: each method answers the index past what it read, or -1. */
class Scan {
  /** Set by string() and number(): whether the value prints as it is written. */
  copyable = true;
  /** Set by string(): whether it had an escape (a key's bytes are then not its name). */
  escape = false;

  constructor(private readonly b: Buffer) {}

  space(i: number): number {
    const b = this.b;
    while (i < b.length && isSpace(b[i])) { i++; }
    return i;
  }

  /**
   * Past the string at `i` (its opening quote), or -1. Sets `copyable`: no escape JSON.stringify
   * writes otherwise, valid UTF-8.
   */
  string(i: number): number {
    const b = this.b, n = b.length;
    this.escape = false;
    let copyable = true;
    i++;
    while (i < n) {
      const c = b[i];
      if (c === QUOTE) { this.copyable = copyable; return i + 1; }
      if (c < 0x20) { return -1; }
      if (c === BACKSLASH) {
        this.escape = true;
        if (i + 1 >= n) { return -1; }
        const e = b[i + 1];
        if (e === 0x75) { // \uXXXX: valid JSON, but JSON.stringify writes most of them as the character
          if (i + 5 >= n || !hex(b[i + 2]) || !hex(b[i + 3]) || !hex(b[i + 4]) || !hex(b[i + 5])) { return -1; }
          copyable = false;
          i += 6;
          continue;
        }
        if (e === 0x2f) { copyable = false; } else if (e !== QUOTE && e !== BACKSLASH && e !== 0x62 && e !== 0x66 &&
          e !== 0x6e && e !== 0x72 && e !== 0x74) { return -1; }
        i += 2;
        continue;
      }
      if (c >= 0x80) {
        const next = utf8End(b, i);
        if (next < 0) { copyable = false; i++; } else { i = next; }
        continue;
      }
      i++;
    }
    return -1;
  }

  /** Past the number at `i`, or -1. Sets `copyable`: written as JSON.stringify writes it. */
  number(i: number): number {
    const b = this.b, n = b.length;
    const negative = b[i] === MINUS;
    if (negative) { i++; }
    const intStart = i;
    if (i < n && b[i] === ZERO) { i++; } else {
      if (i >= n || b[i] < 0x31 || b[i] > NINE) { return -1; }
      while (i < n && b[i] >= ZERO && b[i] <= NINE) { i++; }
    }
    const intDigits = i - intStart;
    let fracDigits = 0, leadingZeros = 0, lastZero = false;
    if (i < n && b[i] === DOT) {
      i++;
      const fracStart = i;
      while (i < n && b[i] >= ZERO && b[i] <= NINE) { i++; }
      fracDigits = i - fracStart;
      if (fracDigits === 0) { return -1; }
      while (leadingZeros < fracDigits && b[fracStart + leadingZeros] === ZERO) { leadingZeros++; }
      lastZero = b[i - 1] === ZERO;
    }
    let exponent = false;
    if (i < n && (b[i] === 0x65 || b[i] === 0x45)) {
      exponent = true;
      i++;
      if (i < n && (b[i] === 0x2b || b[i] === MINUS)) { i++; }
      const expStart = i;
      while (i < n && b[i] >= ZERO && b[i] <= NINE) { i++; }
      if (i === expStart) { return -1; }
    }
    if (i >= n) { return -1; } // it may go on in the next chunk
    const zeroInt = b[intStart] === ZERO;
    // Up to 15 significant digits print back as written (no trailing zero, no exponent, not -0,
    // not below 1e-6, where JavaScript switches to exponents).
    this.copyable = !exponent && !lastZero && (zeroInt
      ? (fracDigits > 0 ? leadingZeros <= 5 && fracDigits - leadingZeros <= 15 : !negative)
      : intDigits + fracDigits <= 15);
    return i;
  }

  /** Past the literal `word` at `i`, or -1. */
  literal(i: number, word: Buffer): number {
    const b = this.b;
    if (i + word.length > b.length) { return -1; }
    for (let k = 0; k < word.length; k++) { if (b[i + k] !== word[k]) { return -1; } }
    return i + word.length;
  }

  /** Past any JSON value at `i`, or -1; `kind` gets its RawKind. */
  value(i: number, depth: number): number {
    const c = this.b[i];
    this.kind = RawKind.OTHER;
    if (c === QUOTE) { const e = this.string(i); if (this.copyable) { this.kind = RawKind.STRING; } return e; }
    if (c === OPEN || c === OPEN_LIST) {
      const e = c === OPEN ? this.object(i, depth + 1) : this.list(i, depth + 1);
      this.kind = RawKind.OTHER;
      return e;
    }
    if (c === 0x74) { this.kind = RawKind.TRUE; return this.literal(i, TRUE); }
    if (c === 0x66) { this.kind = RawKind.FALSE; return this.literal(i, FALSE); }
    if (c === 0x6e) { this.kind = RawKind.NULL; return this.literal(i, NULL); }
    const e = this.number(i);
    if (e >= 0 && this.copyable) { this.kind = RawKind.NUMBER; }
    return e;
  }

  kind: RawKind = RawKind.OTHER;

  private object(i: number, depth: number): number {
    if (depth > MAX_DEPTH) { return -1; }
    const b = this.b;
    i = this.space(i + 1);
    if (b[i] === CLOSE) { return i + 1; }
    for (;;) {
      if (b[i] !== QUOTE) { return -1; }
      i = this.string(i);
      if (i < 0) { return -1; }
      i = this.space(i);
      if (b[i] !== COLON) { return -1; }
      i = this.value(this.space(i + 1), depth);
      if (i < 0) { return -1; }
      i = this.space(i);
      if (b[i] === CLOSE) { return i + 1; }
      if (b[i] !== COMMA) { return -1; }
      i = this.space(i + 1);
    }
  }

  private list(i: number, depth: number): number {
    if (depth > MAX_DEPTH) { return -1; }
    const b = this.b;
    i = this.space(i + 1);
    if (b[i] === CLOSE_LIST) { return i + 1; }
    for (;;) {
      i = this.value(i, depth);
      if (i < 0) { return -1; }
      i = this.space(i);
      if (b[i] === CLOSE_LIST) { return i + 1; }
      if (b[i] !== COMMA) { return -1; }
      i = this.space(i + 1);
    }
  }

  /** Past the cell at `i` (a row's value), or -1; adds it to `run`. */
  cell(i: number, run: RawRun, keyStart: number, keyEnd: number, keyFlag: number): number {
    const b = this.b;
    if (b[i] !== OPEN) {
      const e = this.value(i, 1);
      if (e >= 0) { run.addCell(keyStart, keyEnd, i, e, RawKind.OTHER | keyFlag); }
      return e;
    }
    // `{"value": v, ...}`: v's place and kind; any other key is read past.
    let valueStart = -1, valueEnd = -1, kind: RawKind = RawKind.OTHER, escapedKey = false;
    i = this.space(i + 1);
    if (b[i] !== CLOSE) {
      for (;;) {
        if (b[i] !== QUOTE) { return -1; }
        let isValue = this.literal(i, VALUE_KEY) > 0; // as Looker writes it: at once
        if (isValue) {
          i += VALUE_KEY.length;
        } else {
          const ks = i + 1;
          i = this.string(i);
          if (i < 0) { return -1; }
          // An escaped key may be "value" too: JSON.parse would take it, so the cell is left to it.
          escapedKey ||= this.escape || !this.copyable;
          isValue = i - 1 - ks === VALUE.length && b[ks] === 0x76 && this.literal(ks, VALUE) > 0;
          i = this.space(i);
          if (b[i] !== COLON) { return -1; }
          i++;
        }
        const vs = this.space(i);
        i = this.value(vs, 2);
        if (i < 0) { return -1; }
        if (isValue) { valueStart = vs; valueEnd = i; kind = this.kind; }
        i = this.space(i);
        if (b[i] === CLOSE) { break; }
        if (b[i] !== COMMA) { return -1; }
        i = this.space(i + 1);
      }
    }
    const copyable = valueStart >= 0 && !escapedKey;
    run.addCell(keyStart, keyEnd, valueStart, valueEnd, (copyable ? kind : RawKind.OTHER) | keyFlag);
    return i + 1;
  }

  /** Past the row (an object) at `i`, its cells added to `run`, or -1. */
  row(i: number, run: RawRun): number {
    const b = this.b;
    if (b[i] !== OPEN) { return -1; }
    i = this.space(i + 1);
    if (b[i] === CLOSE) { return i + 1; }
    for (;;) {
      if (b[i] !== QUOTE) { return -1; }
      const ks = i + 1;
      i = this.string(i);
      if (i < 0) { return -1; }
      const keyFlag = this.copyable && !this.escape ? 0 : ESCAPED_KEY;
      const ke = i - 1;
      i = this.space(i);
      if (b[i] !== COLON) { return -1; }
      i = this.cell(this.space(i + 1), run, ks, ke, keyFlag);
      if (i < 0) { return -1; }
      i = this.space(i);
      if (b[i] === CLOSE) { return i + 1; }
      if (b[i] !== COMMA) { return -1; }
      i = this.space(i + 1);
    }
  }
}

function hex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Past the UTF-8 sequence at `i` when it is one Node decodes as it is (no U+FFFD), else -1. */
function utf8End(b: Buffer, i: number): number {
  const c = b[i];
  const cont = (k: number, lo = 0x80, hi = 0xbf) => k < b.length && b[k] >= lo && b[k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) { return cont(i + 1) ? i + 2 : -1; }
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80, hi = c === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? i + 3 : -1;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80, hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? i + 4 : -1;
  }
  return -1;
}

/**
 * The rows lying whole in `buf` from `from` (a row's start), one after another, read as byte
 * ranges, and the index just past the last one's "}", or undefined when not even the first row
 * could be read so (it goes on past the buffer, is not JSON, or nests deeper than MAX_DEPTH).
 */
export function rawRows(buf: Buffer, from: number): { run: RawRun; end: number } | undefined {
  const scan = new Scan(buf);
  const run = new RawRun(buf);
  let i = from, end = -1;
  for (;;) {
    const first = run.cellsSoFar;
    const e = scan.row(i, run);
    if (e < 0) {
      run.dropCells(first);
      break;
    }
    run.addRow(i, e, first);
    end = e;
    const next = scan.space(e);
    if (next >= buf.length || buf[next] !== COMMA) { break; }
    i = scan.space(next + 1);
    if (i >= buf.length || buf[i] !== OPEN) { break; }
  }
  if (run.count === 0) {
    run.release();
    return undefined;
  }
  run.noteSize();
  return { run, end };
}
