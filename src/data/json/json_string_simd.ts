// The fastest path of JsonStringDecoder: the inside of a JSON string is unescaped by a small
// WebAssembly function that looks at 16 bytes at a time (SIMD compares for `"` and `\`), copies
// the runs between escapes as whole vectors, and decodes the one-character escapes (\n \" \\
// \/ \b \f \r \t) as it goes. A pushed CSV holds an escape every 20-odd bytes: JSON.parse on each
// slice (json_string_bulk.ts), with its string conversions and buffers, cost 2.5-3 s of CPU per
// GiB decoded; this, copies in and out included, 0.8-0.9 s. It stops at what it leaves to the
// decoder: the closing quote, a \u escape, an invalid escape, an escape cut by the input's end.
// The module is assembled here from its instructions (below, in WebAssembly text order), so
// there is no binary to trust and no build step; without WebAssembly SIMD it is not used.

/** Bytes of input copied into the module's memory at a time (and unescaped out of it). */
export const SIMD_PIECE_BYTES = 64 * 1024;

/** Memory layout: the output length at 0, the escape table at 256, input, then output. */
const OUT_SLOT = 0;
const TABLE = 256;
const IN = 1024;
const OUT = IN + SIMD_PIECE_BYTES + 64;
const PAGES = Math.ceil((OUT + SIMD_PIECE_BYTES + 64) / 65536);

/** Byte after a backslash to the byte it stands for (0: not a one-character escape). */
const ESCAPES: Array<[string, number]> = [
  ['"', 0x22], ["\\", 0x5c], ["/", 0x2f], ["b", 0x08], ["f", 0x0c], ["n", 0x0a], ["r", 0x0d], ["t", 0x09],
];

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, void: 0x40,
  get: 0x20, set: 0x21, tee: 0x22, load8: 0x2d, store: 0x36, store8: 0x3a, const: 0x41,
  eqz: 0x45, eq: 0x46, ne: 0x47, geU: 0x4f, ctz: 0x68, add: 0x6a, sub: 0x6b, and: 0x71,
};
/** SIMD instructions (prefix 0xfd). */
const simd = { load: [0xfd, 0x00], store: [0xfd, 0x0b], splat: [0xfd, 0x0f], eq: [0xfd, 0x23],
  or: [0xfd, 0x50], bitmask: [0xfd, 0x64] };

function leb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) { return out; }
  }
}
function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v ? byte | 0x80 : byte);
  } while (v);
  return out;
}
const i32 = (value: number) => [op.const, ...leb(value)];
/** A memory access: alignment (log2) then offset. */
const mem = (align: number, offset = 0) => [align, ...uleb(offset)];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (text: string) => [...uleb(text.length), ...Buffer.from(text, "latin1")];

// Locals: 0 i (input position), 1 end, 2 o (output position), 3 mask, 4 byte; v128: 5 all `\`,
// 6 all `"`, 7 the 16 bytes at i.
const [I, END, O, MASK, BYTE, BACKSLASHES, QUOTES, V] = [0, 1, 2, 3, 4, 5, 6, 7];
const advance = (local: number, by: number[]) => [op.get, local, ...by, op.add, op.set, local];

/** u(in, end, out) -> where it stopped in the input; the output's end is stored at OUT_SLOT. */
const BODY = [
  ...i32(0x5c), ...simd.splat, op.set, BACKSLASHES,
  ...i32(0x22), ...simd.splat, op.set, QUOTES,
  op.block, op.void,
  op.loop, op.void,
  // 16 bytes or more left: store them whole, then skip to the first `"` or `\` among them.
  op.get, END, op.get, I, op.sub, ...i32(16), op.geU,
  op.if, op.void,
  op.get, I, ...simd.load, ...mem(0), op.set, V,
  op.get, O, op.get, V, ...simd.store, ...mem(0),
  op.get, V, op.get, BACKSLASHES, ...simd.eq, op.get, V, op.get, QUOTES, ...simd.eq, ...simd.or,
  ...simd.bitmask, op.tee, MASK, op.eqz,
  op.if, op.void,
  ...advance(I, i32(16)), ...advance(O, i32(16)), op.br, 2,
  op.end,
  op.get, MASK, op.ctz, op.set, MASK,
  ...advance(I, [op.get, MASK]), ...advance(O, [op.get, MASK]),
  op.else,
  // The last few bytes, one at a time.
  op.get, I, op.get, END, op.geU, op.brIf, 2,
  op.get, I, op.load8, ...mem(0), op.tee, BYTE, ...i32(0x5c), op.ne,
  op.get, BYTE, ...i32(0x22), op.ne, op.and,
  op.if, op.void,
  op.get, O, op.get, BYTE, op.store8, ...mem(0), ...advance(I, i32(1)), ...advance(O, i32(1)), op.br, 2,
  op.end,
  op.end,
  // At a `"` or `\`: stop at the quote, at a cut escape, and at one the table does not know.
  op.get, I, op.load8, ...mem(0), ...i32(0x22), op.eq, op.brIf, 1,
  op.get, I, ...i32(1), op.add, op.get, END, op.geU, op.brIf, 1,
  op.get, I, op.load8, ...mem(0, 1), op.load8, ...mem(0, TABLE), op.tee, BYTE, op.eqz, op.brIf, 1,
  op.get, O, op.get, BYTE, op.store8, ...mem(0), ...advance(I, i32(2)), ...advance(O, i32(1)),
  op.br, 0,
  op.end,
  op.end,
  ...i32(OUT_SLOT), op.get, O, op.store, ...mem(2),
  op.get, I,
  op.end,
];

function moduleBytes(): Uint8Array {
  const table = new Array<number>(256).fill(0);
  for (const [escape, byte] of ESCAPES) { table[escape.charCodeAt(0)] = byte; }
  const code = [...vec([[2, I32], [3, V128]]), ...BODY];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(PAGES)]])),
    ...section(7, vec([[...name("m"), 0x02, 0], [...name("u"), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
    ...section(11, vec([[0x00, ...i32(TABLE), op.end, ...uleb(256), ...table]])),
  ]);
}

export interface SimdUnescaper {
  /** Copies `buf[from, to)` (at most SIMD_PIECE_BYTES) in: the piece the next steps read. */
  load(buf: Buffer, from: number, to: number): void;
  /**
   * Unescapes the piece from `offset` (an escape boundary) into `out` at `at`: answers where it
   * stopped in the piece (its end, or at a `"` or a `\` it left alone) and the output's new end.
   */
  step(offset: number, out: Buffer, at: number): [number, number];
}

/** The little of WebAssembly used here (the project's type libraries do not declare it). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { m: { buffer: ArrayBuffer }; u: unknown } };
};

function instantiate(): SimdUnescaper | undefined {
  const bytes = moduleBytes();
  if (typeof WebAssembly !== "object" || !WebAssembly.validate(bytes)) { return undefined; }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const memory = instance.exports.m;
  const run = instance.exports.u as (from: number, end: number, out: number) => number;
  const heap = new Uint8Array(memory.buffer);
  const slot = new Int32Array(memory.buffer, OUT_SLOT, 1);
  let end = IN;
  return {
    load(buf, from, to) {
      heap.set(buf.subarray(from, to), IN);
      end = IN + (to - from);
    },
    step(offset, out, at) {
      const stop = run(IN + offset, end, OUT);
      const length = slot[0] - OUT;
      out.set(heap.subarray(OUT, OUT + length), at);
      return [stop - IN, at + length];
    },
  };
}

let unescaper: SimdUnescaper | undefined | null = null;

/** The WebAssembly unescaper, or undefined where WebAssembly SIMD is not available. */
export function simdUnescaper(): SimdUnescaper | undefined {
  if (unescaper === null) {
    try { unescaper = instantiate(); } catch { unescaper = undefined; }
  }
  return unescaper;
}
