// The little of WebAssembly's binary format that the hub's two hand-assembled scans need
// (json_string_simd.ts: a JSON string unescaped 16 bytes at a time; json_structure_simd.ts: where
// a JSON value ends): opcodes, numbers as LEB128, control flow with named labels, and a module of
// one exported function ("f") and its memory ("m"). The modules are assembled from their
// instructions at run time, so there is no binary to trust and no build step; where WebAssembly
// SIMD is missing, instantiate() answers undefined and the callers scan in JavaScript.

export const I32 = 0x7f;
export const V128 = 0x7b;

export const op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, void: 0x40, select: 0x1b,
  get: 0x20, set: 0x21, tee: 0x22, load8: 0x2d, store: 0x36, store8: 0x3a, const: 0x41,
  eqz: 0x45, eq: 0x46, ne: 0x47, ltU: 0x49, gtU: 0x4b, geU: 0x4f, ctz: 0x68, popcnt: 0x69, add: 0x6a, sub: 0x6b,
  and: 0x71, or: 0x72, xor: 0x73, shl: 0x74, shrU: 0x76,
};
/** SIMD instructions (prefix 0xfd). */
export const simd = { load: [0xfd, 0x00], store: [0xfd, 0x0b], splat: [0xfd, 0x0f], eq: [0xfd, 0x23],
  or: [0xfd, 0x50], bitmask: [0xfd, 0x64] };

export function leb(value: number): number[] {
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

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v ? byte | 0x80 : byte);
  } while (v);
  return out;
}

export const i32 = (value: number) => [op.const, ...leb(value)];
/** A memory access: alignment (log2) then offset. */
export const mem = (align: number, offset = 0) => [align, ...uleb(offset)];
/** `local += by` (by: instructions that leave an i32). */
export const advance = (local: number, by: number[]) => [op.get, local, ...by, op.add, op.set, local];

/**
 * Instructions with structured control flow: a block, loop or if opens a label (named, so that a
 * branch says where it goes instead of counting the blocks between).
 */
export type Code = Array<number | Branch | Structured>;
interface Branch { branch: number; to: string; }
interface Structured { kind: number; label: string; body: Code; otherwise?: Code; }

export const block = (label: string, body: Code): Structured => ({ kind: op.block, label, body });
export const loop = (label: string, body: Code): Structured => ({ kind: op.loop, label, body });
/** `if` on the i32 on the stack, with an optional else. */
export const when = (body: Code, otherwise?: Code, label = ""): Structured => ({ kind: op.if, label, body, otherwise });
export const br = (to: string): Branch => ({ branch: op.br, to });
export const brIf = (to: string): Branch => ({ branch: op.brIf, to });

/** The instructions' bytes, each branch's label turned into its depth. */
export function assemble(code: Code, labels: string[] = []): number[] {
  const out: number[] = [];
  for (const item of code) {
    if (typeof item === "number") {
      out.push(item);
    } else if ("branch" in item) {
      const at = labels.lastIndexOf(item.to);
      if (at < 0) { throw new Error(`no label ${item.to}`); }
      out.push(item.branch, ...uleb(labels.length - 1 - at));
    } else {
      const inner = [...labels, item.label];
      out.push(item.kind, op.void, ...assemble(item.body, inner));
      if (item.otherwise) { out.push(op.else, ...assemble(item.otherwise, inner)); }
      out.push(op.end);
    }
  }
  return out;
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (text: string) => [...uleb(text.length), ...Buffer.from(text, "latin1")];

export interface ModuleSpec {
  /** The function's i32 parameters; it answers one i32. */
  params: number;
  /** Its locals after the parameters, as [count, type] runs. */
  locals: Array<[number, number]>;
  /** Its instructions (assembled), without the final end. */
  body: number[];
  pages: number;
  /** Bytes the memory starts with, at an offset. */
  data?: { at: number; bytes: number[] };
}

/** The module's bytes: one function "f" (i32 params -> i32) and its memory "m". */
export function moduleBytes(spec: ModuleSpec): Uint8Array {
  const code = [...vec(spec.locals.map(([count, type]) => [...uleb(count), type])), ...spec.body, op.end];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(Array.from({ length: spec.params }, () => [I32])), ...vec([[I32]])]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(spec.pages)]])),
    ...section(7, vec([[...name("m"), 0x02, 0], [...name("f"), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
    ...(spec.data ? section(11, vec([[0x00, ...i32(spec.data.at), op.end, ...uleb(spec.data.bytes.length),
      ...spec.data.bytes]])) : []),
  ]);
}

/** The little of WebAssembly used here (the project's type libraries do not declare it). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { m: { buffer: ArrayBuffer }; f: unknown } };
};

/** The module's function and memory, or undefined where WebAssembly (with SIMD) cannot run it. */
export function instantiate<F>(bytes: Uint8Array): { f: F; memory: ArrayBuffer } | undefined {
  try {
    if (typeof WebAssembly !== "object" || !WebAssembly.validate(bytes)) { return undefined; }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    return { f: instance.exports.f as F, memory: instance.exports.m.buffer };
  } catch {
    return undefined;
  }
}
