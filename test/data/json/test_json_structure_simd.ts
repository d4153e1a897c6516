import { expect } from "chai";
import {
  STRUCTURE_PIECE_BYTES, StructureState, structureScanner, useStructureScanner,
} from "../../../src/data/json/json_structure_simd";

import { endOf as endWith } from "../../helpers/value_end";

/** endOf (test/helpers/value_end.ts) with the WebAssembly scanner, or with JavaScript alone. */
function endOf(doc: Buffer, cuts: number[], simd: boolean): number {
  useStructureScanner(simd);
  try {
    return endWith(doc, cuts);
  } finally {
    useStructureScanner(true);
  }
}

/** A small deterministic generator (xorshift), so a failure names a document that comes back. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** Pieces a string is made of: brackets, quotes and backslashes inside it, runs of backslashes, non-ASCII. */
const STRING_PARTS = ["a", "value", "}", "]", "{", "[", "\"", "\\", "\\\\\\", "\n", "é", "😀", "x".repeat(17),
  "\"}]", "\\\"", " ", "\u0001"];

function value(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 5 || pick < 0.35) {
    const parts = Array.from({ length: Math.floor(next() * 6) },
      () => STRING_PARTS[Math.floor(next() * STRING_PARTS.length)]);
    return pick < 0.3 ? parts.join("") : [1, -2.5e3, true, null, false][Math.floor(next() * 5)];
  }
  const count = Math.floor(next() * 6);
  if (pick < 0.65) { return Array.from({ length: count }, () => value(next, depth + 1)); }
  return Object.fromEntries(Array.from({ length: count }, (_, k) => [`k${k}${k % 2 ? "\"}" : ""}`, value(next, depth + 1)]));
}

/** The scanner's state and stop after `text` (a container already open `depth` deep). */
function scanned(text: string, depth = 1): { stop: number; state: StructureState } {
  const buf = Buffer.from(text, "latin1");
  const state = { depth, inString: false, escaped: false };
  return { stop: structureScanner()!.scan(buf, 0, buf.length, state), state };
}

describe("The WebAssembly structure scanner (json_structure_simd.ts)", () => {
  it("runs on this Node.js (WebAssembly SIMD), so ValueEnd uses it", () => {
    expect(structureScanner()).to.not.equal(undefined);
  });

  it("finds the same ends as the JavaScript scan in random documents, wherever the chunks are cut", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed * 7919);
      const doc = Buffer.from(`${JSON.stringify({ a: value(next, 0), b: [value(next, 0), value(next, 0)] })} ,{"after":1}`);
      const end = endOf(doc, [], false);
      expect(end, `seed ${seed}`).to.be.greaterThan(0);
      expect(endOf(doc, [], true), `seed ${seed} whole`).to.equal(end);
      for (let k = 0; k < 40; k++) {
        const cuts = [Math.floor(next() * doc.length), Math.floor(next() * doc.length)].sort((x, y) => x - y);
        expect(endOf(doc, cuts, true), `seed ${seed} cut at ${cuts.join(", ")}`).to.equal(end);
      }
    }
  });

  it("carries a string, a backslash and the depth across every cut of a document full of them", () => {
    const doc = Buffer.from(`${JSON.stringify([{ "k\"}": "\\\"}]{[\\\\", l: ["]", "\\", { x: "\"" }] },
      "x".repeat(40) + "\\\"" + "}".repeat(20)])}, 1`);
    const end = endOf(doc, [], false);
    for (let a = 1; a < doc.length; a++) {
      expect(endOf(doc, [a], true), `cut at ${a}`).to.equal(end);
      expect(endOf(doc, [a, Math.min(doc.length, a + 17)], true), `cut at ${a} and ${a + 17}`).to.equal(end);
    }
  });

  it("ends where the depth comes to zero: in a vector's last close, among several, and in the last bytes", () => {
    // 16 bytes: closes that could end the value are followed one by one.
    expect(scanned(`"a":1}${" ".repeat(10)}`).stop).to.equal(6);
    expect(scanned(`{"a":[1]}}       x`, 1).stop).to.equal(10);
    expect(scanned(`]]]${" ".repeat(13)}`, 2).stop).to.equal(2);
    // Closes that cannot reach zero are counted: the depth is what is left.
    const counted = scanned(`}}{"}]"${" ".repeat(9)}`, 5);
    expect(counted.state).to.deep.equal({ depth: 4, inString: false, escaped: false });
    // Fewer than 16 bytes, one at a time.
    expect(scanned(`"x"]`, 1).stop).to.equal(4);
  });

  it("knows brackets inside strings, an escaped quote and a backslash cut at the end of a piece", () => {
    const inside = scanned(`"}]}]}]}]}]\\"}]}]}]}]}]}]"${" ".repeat(8)}`, 1);
    expect(inside.state.depth).to.equal(1);
    expect(inside.state.inString).to.equal(false);
    const cut = scanned(`"${"x".repeat(30)}\\`, 1);
    expect(cut.state).to.deep.equal({ depth: 1, inString: true, escaped: true });
    const buf = Buffer.from(`"}"]`);
    expect(structureScanner()!.scan(buf, 0, buf.length, { ...cut.state })).to.equal(4);
    // A string open from before: its brackets are not counted, its quote closes it.
    const open = { depth: 1, inString: true, escaped: false };
    const text = Buffer.from(`]]]]"${"]".repeat(30)}`);
    expect(structureScanner()!.scan(text, 0, text.length, open)).to.equal(6);
  });

  it("reads a chunk larger than its memory a piece at a time", () => {
    const rows = Array.from({ length: 6000 }, (_, i) => ({ id: `user-${i}`, v: { value: `"}]${i}` } }));
    const doc = Buffer.from(`${JSON.stringify({ data: rows })}  `);
    expect(doc.length).to.be.greaterThan(3 * STRUCTURE_PIECE_BYTES);
    expect(endOf(doc, [], true)).to.equal(doc.length - 2);
    expect(endOf(doc, [STRUCTURE_PIECE_BYTES - 1, 2 * STRUCTURE_PIECE_BYTES + 5], true)).to.equal(doc.length - 2);
  });
});
