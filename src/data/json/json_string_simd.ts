// The fastest path of JsonStringDecoder: the inside of a JSON string is unescaped by a small
// WebAssembly function that looks at 16 bytes at a time (SIMD compares for `"` and `\`), copies
// the runs between escapes as whole vectors, and decodes the one-character escapes (\n \" \\
// \/ \b \f \r \t) as it goes. A pushed CSV holds an escape every 20-odd bytes: JSON.parse on each
// slice (json_string_bulk.ts), with its string conversions and buffers, cost 2.5-3 s of CPU per
// GiB decoded; this, copies in and out included, 0.8-0.9 s. It stops at what it leaves to the
// decoder: the closing quote, a \u escape, an invalid escape, an escape cut by the input's end.
// The module is assembled here from its instructions (below, in WebAssembly text order), so
// there is no binary to trust and no build step; without WebAssembly SIMD it is not used.
import { advance, I32, i32, instantiate, mem, moduleBytes, op, simd, V128 } from "./wasm_assembly";

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

// Locals: 0 i (input position), 1 end, 2 o (output position), 3 mask, 4 byte; v128: 5 all `\`,
// 6 all `"`, 7 the 16 bytes at i.
const [I, END, O, MASK, BYTE, BACKSLASHES, QUOTES, V] = [0, 1, 2, 3, 4, 5, 6, 7];

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
];

function unescaperModule(): Uint8Array {
  const table = new Array<number>(256).fill(0);
  for (const [escape, byte] of ESCAPES) { table[escape.charCodeAt(0)] = byte; }
  return moduleBytes({ params: 3, locals: [[2, I32], [3, V128]], body: BODY, pages: PAGES,
    data: { at: TABLE, bytes: table } });
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

function unescaper(): SimdUnescaper | undefined {
  const module = instantiate<(from: number, end: number, out: number) => number>(unescaperModule());
  if (!module) { return undefined; }
  const run = module.f;
  const heap = new Uint8Array(module.memory);
  const slot = new Int32Array(module.memory, OUT_SLOT, 1);
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

let made: SimdUnescaper | undefined | null = null;

/** The WebAssembly unescaper, or undefined where WebAssembly SIMD is not available. */
export function simdUnescaper(): SimdUnescaper | undefined {
  if (made === null) { made = unescaper(); }
  return made;
}
