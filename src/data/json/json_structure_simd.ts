// Where a JSON container ends, 16 bytes at a time: the main thread's scan of a pushed row body
// (ValueEnd in json_value_end.ts, over every byte of `attachment.data`) in a small WebAssembly
// function. For 16 bytes without a backslash, SIMD compares give bit masks of the quotes and the
// brackets; the quotes' running parity (a prefix XOR of the mask, carried from the bytes before)
// marks the bytes inside strings, and the brackets outside them move the depth by their counts.
// Only where the closing brackets could bring the depth to zero are they followed one by one.
// Bytes with a backslash, an escape carried from before, and the last few bytes go one at a time
// (the same rules). It answers where it stopped and the state to go on from (depth, inside a
// string, after a backslash), so a value can span any number of chunks. Assembled at run time
// (wasm_assembly.ts); where WebAssembly SIMD is missing, ValueEnd scans in JavaScript.
import {
  advance, assemble, block, br, brIf, I32, i32, instantiate, loop, mem, moduleBytes, op, simd, V128, when,
} from "./wasm_assembly";

/** Bytes copied into the module's memory and scanned at a time. */
export const STRUCTURE_PIECE_BYTES = 64 * 1024;

/** Memory: the state at 0, the input from IN (with 16 bytes of room past a piece for a last load). */
const STATE_SLOT = 0;
const IN = 64;
const PAGES = Math.ceil((IN + STRUCTURE_PIECE_BYTES + 16) / 65536);

const QUOTE = 0x22, BACKSLASH = 0x5c;
const OPEN = 0x7b, CLOSE = 0x7d, OPEN_LIST = 0x5b, CLOSE_LIST = 0x5d;

// Parameters: 0 i, 1 end, 2 state (depth << 2 | in string << 1 | after a backslash). Locals: i32
// 3 depth, 4 in string (0/1), 5 escaped (0/1), 6 quotes, 7 opens, 8 closes, 9 bits left, 10 a bit
// or the scalar end, 11 a byte, 12 inside (the vector's in-string mask); v128 13 the 16 bytes,
// 14-19 each byte splatted: `"`, `\`, `{`, `}`, `[`, `]`.
const [I, END, STATE, DEPTH, IN_STRING, ESCAPED, QUOTES, OPENS, CLOSES, BITS, K, BYTE, INSIDE] =
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const [V, V_QUOTE, V_BACKSLASH, V_OPEN, V_CLOSE, V_OPEN_LIST, V_CLOSE_LIST] = [13, 14, 15, 16, 17, 18, 19];

const get = (local: number) => [op.get, local];
const set = (local: number, value: number[]) => [...value, op.set, local];
const eqByte = (vector: number, splat: number) => [op.get, vector, op.get, splat, ...simd.eq];
const maskOf = (compare: number[]) => [...compare, ...simd.bitmask];
const isByte = (byte: number) => [op.get, BYTE, ...i32(byte), op.eq];
const NOT_INSIDE = [op.get, INSIDE, ...i32(0xffff), op.xor];

/** 16 bytes with no backslash and none carried: masks, parity, depth. */
const VECTOR = [
  ...set(QUOTES, maskOf(eqByte(V, V_QUOTE))),
  ...set(OPENS, maskOf([...eqByte(V, V_OPEN), ...eqByte(V, V_OPEN_LIST), ...simd.or])),
  ...set(CLOSES, maskOf([...eqByte(V, V_CLOSE), ...eqByte(V, V_CLOSE_LIST), ...simd.or])),
  // Bit k of INSIDE: the parity of the quotes at 0..k, flipped when a string was open before.
  ...set(INSIDE, get(QUOTES)),
  ...[1, 2, 4, 8].flatMap((by) => set(INSIDE, [...get(INSIDE), ...get(INSIDE), ...i32(by), op.shl, op.xor])),
  ...set(INSIDE, [...get(INSIDE), ...i32(0), ...get(IN_STRING), op.sub, op.xor, ...i32(0xffff), op.and]),
  ...set(IN_STRING, [...get(INSIDE), ...i32(15), op.shrU]),
  ...set(OPENS, [...get(OPENS), ...NOT_INSIDE, op.and]),
  ...set(CLOSES, [...get(CLOSES), ...NOT_INSIDE, op.and]),
];

/** The brackets outside strings: counted, or followed in order when the closes could end the value. */
const BRACKETS = [
  ...get(CLOSES), op.eqz,
  when([
    ...set(DEPTH, [...get(DEPTH), ...get(OPENS), op.popcnt, op.add]),
  ], [
    ...get(DEPTH), ...get(CLOSES), op.popcnt, op.gtU,
    when([
      ...set(DEPTH, [...get(DEPTH), ...get(OPENS), op.popcnt, op.add, ...get(CLOSES), op.popcnt, op.sub]),
    ], [
      ...set(BITS, [...get(OPENS), ...get(CLOSES), op.or]),
      block("bits done", [loop("bits", [
        ...get(BITS), op.eqz, brIf("bits done"),
        ...set(K, [...get(BITS), op.ctz]),
        ...get(OPENS), ...get(K), op.shrU, ...i32(1), op.and,
        when(advance(DEPTH, i32(1)), [
          ...get(DEPTH), ...i32(1), op.sub, op.tee, DEPTH, op.eqz,
          when([...set(I, [...get(I), ...get(K), op.add, ...i32(1), op.add]), ...set(IN_STRING, i32(0)), br("done")]),
        ]),
        ...set(BITS, [...get(BITS), ...get(BITS), ...i32(1), op.sub, op.and]),
        br("bits"),
      ])]),
    ]),
  ]),
  ...advance(I, i32(16)),
];

/** Up to 16 bytes one at a time (a backslash among them, one carried, or the last few bytes). */
const BYTES = [
  ...set(K, [...get(I), ...i32(16), op.add]),
  ...set(K, [...get(K), ...get(END), ...get(K), ...get(END), op.ltU, op.select]),
  block("bytes done", [loop("bytes", [
    ...get(I), ...get(K), op.geU, brIf("bytes done"),
    ...set(BYTE, [...get(I), op.load8, ...mem(0)]),
    ...advance(I, i32(1)),
    ...get(ESCAPED), when([...set(ESCAPED, i32(0)), br("bytes")]),
    ...get(IN_STRING), when([
      ...isByte(BACKSLASH), when(set(ESCAPED, i32(1)), [...isByte(QUOTE), when(set(IN_STRING, i32(0)))]),
      br("bytes"),
    ]),
    ...isByte(QUOTE), when([...set(IN_STRING, i32(1)), br("bytes")]),
    ...isByte(OPEN), ...isByte(OPEN_LIST), op.or, when([...advance(DEPTH, i32(1)), br("bytes")]),
    ...isByte(CLOSE), ...isByte(CLOSE_LIST), op.or, when([
      ...get(DEPTH), ...i32(1), op.sub, op.tee, DEPTH, op.eqz, brIf("done"),
    ]),
    br("bytes"),
  ])]),
];

/**
 * f(i, end, state) -> where it stopped (past the value's last byte when the depth came to 0); the
 * state it stopped in at STATE_SLOT.
 */
const BODY = assemble([
  ...set(DEPTH, [...get(STATE), ...i32(2), op.shrU]),
  ...set(IN_STRING, [...get(STATE), ...i32(1), op.shrU, ...i32(1), op.and]),
  ...set(ESCAPED, [...get(STATE), ...i32(1), op.and]),
  ...([[V_QUOTE, QUOTE], [V_BACKSLASH, BACKSLASH], [V_OPEN, OPEN], [V_CLOSE, CLOSE], [V_OPEN_LIST, OPEN_LIST],
    [V_CLOSE_LIST, CLOSE_LIST]] as Array<[number, number]>).flatMap(([local, byte]) =>
    [...i32(byte), ...simd.splat, op.set, local]),
  block("done", [loop("next", [
    ...get(I), ...get(END), op.geU, brIf("done"),
    ...set(V, [...get(I), ...simd.load, ...mem(0)]),
    // Whole and clean: 16 bytes left, no backslash among them, none carried.
    ...get(END), ...get(I), op.sub, ...i32(16), op.geU,
    ...get(ESCAPED), op.eqz, op.and,
    ...maskOf(eqByte(V, V_BACKSLASH)), op.eqz, op.and,
    when([...VECTOR, ...BRACKETS], BYTES),
    br("next"),
  ])]),
  ...i32(STATE_SLOT),
  ...get(DEPTH), ...i32(2), op.shl, ...get(IN_STRING), ...i32(1), op.shl, op.or, ...get(ESCAPED), op.or,
  op.store, ...mem(2),
  ...get(I),
]);

/** Where a scan stopped, and how to go on. */
export interface StructureState {
  depth: number;
  inString: boolean;
  escaped: boolean;
}

export interface StructureScanner {
  /**
   * Scans `buf[from, to)` (at most STRUCTURE_PIECE_BYTES, inside a container: depth > 0) from
   * `state`, which it updates; answers the index in `buf` past the value's end (depth 0), or `to`.
   */
  scan(buf: Buffer, from: number, to: number, state: StructureState): number;
}

function scanner(): StructureScanner | undefined {
  const module = instantiate<(i: number, end: number, state: number) => number>(moduleBytes({
    params: 3, locals: [[10, I32], [7, V128]], body: BODY, pages: PAGES,
  }));
  if (!module) { return undefined; }
  const run = module.f;
  const heap = new Uint8Array(module.memory);
  const slot = new Int32Array(module.memory, STATE_SLOT, 1);
  return {
    scan(buf, from, to, state) {
      heap.set(buf.subarray(from, to), IN);
      const packed = state.depth * 4 + (state.inString ? 2 : 0) + (state.escaped ? 1 : 0);
      const stop = run(IN, IN + (to - from), packed);
      const after = slot[0];
      state.depth = after >>> 2;
      state.inString = (after & 2) !== 0;
      state.escaped = (after & 1) !== 0;
      return from + (stop - IN);
    },
  };
}

let made: StructureScanner | undefined | null = null;
let off = false;

/** The WebAssembly scanner, or undefined where WebAssembly SIMD is not available (or it was turned off). */
export function structureScanner(): StructureScanner | undefined {
  if (off) { return undefined; }
  if (made === null) { made = scanner(); }
  return made;
}

/** Tests: scan in JavaScript only (false), or with the scanner again (true). */
export function useStructureScanner(on: boolean): void {
  off = !on;
}
