// The WebAssembly unescaper of pushed JSON strings (src/data/json/json_string_simd.ts) and the
// decoder around it: escapes at every position of a 16-byte step, at the end of a
// 64 KiB piece and of a chunk, \u escapes and surrogate pairs it leaves to the decoder, and
// output slabs that are never written twice. The decoder's other path (one JSON.parse a
// slice, where WebAssembly SIMD is missing) is checked against the same documents.
import { expect } from "chai";
import { JsonStringDecoder, JsonSyntaxError } from "../../../src/data/json/json_string_decoder";
import { SIMD_PIECE_BYTES, simdUnescaper } from "../../../src/data/json/json_string_simd";

/** A reproducible pseudo-random sequence. */
function random(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x7fffffff; };
}

/** `inner` (a JSON string's inside, then `"` and what follows) cut at `cuts`, through one decoder. */
function decode(inner: Buffer, cuts: number[], simd = true, overwrite = false):
  { out: Buffer; end: number; pieces: Buffer[] } {
  const pieces: Buffer[] = [];
  const decoder = new JsonStringDecoder((bytes) => { pieces.push(bytes); }, { simd, overwrite });
  let from = 0;
  let end = -1;
  for (const cut of [...cuts, inner.length]) {
    // Overwritten chunks must be the decoder's own: copies of the document's.
    const chunk = overwrite ? Buffer.from(inner.subarray(from, cut)) : inner.subarray(from, cut);
    const at = decoder.feed(chunk, 0);
    if (at >= 0) { end = from + at; break; }
    from = cut;
  }
  return { out: Buffer.concat(pieces), end, pieces };
}

/** The inside of JSON.stringify(text), then the closing quote and a little more. */
function quoted(text: string): Buffer {
  return Buffer.from(JSON.stringify(text).slice(1) + ',"next":1}');
}

describe("WebAssembly unescaper of JSON strings", () => {
  const unescaper = simdUnescaper();
  /** Unescapes all of `input` from its start into `out` at `at`. */
  const unescape = (input: Buffer, out: Buffer, at: number) => {
    unescaper!.load(input, 0, input.length);
    return unescaper!.step(0, out, at);
  };

  it("is available on this Node", () => {
    expect(unescaper).to.not.equal(undefined);
  });

  it("unescapes one-character escapes at every offset of a 16-byte step and stops where it must", () => {
    const out = Buffer.alloc(256);
    for (const [escape, byte] of [["\\n", "\n"], ['\\"', '"'], ["\\\\", "\\"], ["\\/", "/"], ["\\t", "\t"],
      ["\\b", "\b"], ["\\f", "\f"], ["\\r", "\r"]]) {
      for (let at = 0; at < 40; at++) {
        const input = Buffer.from("a".repeat(at) + escape + "z".repeat(40 - at));
        const [stop, end] = unescape(input, out, 3);
        expect(stop, `${escape} at ${at}`).to.equal(input.length);
        expect(out.subarray(3, end).toString("latin1"), `${escape} at ${at}`)
          .to.equal("a".repeat(at) + byte + "z".repeat(40 - at));
      }
    }
    for (const [stopper, why] of [['"', "quote"], ["\\u0041", "\\u"], ["\\x", "invalid"]]) {
      for (let at = 0; at < 40; at++) {
        const input = Buffer.from("b\\n".repeat(at) + stopper + "tail\\n");
        const [stop, end] = unescape(input, out, 0);
        expect(stop, `${why} at ${at}`).to.equal(3 * at);
        expect(out.subarray(0, end).toString("latin1"), `${why} at ${at}`).to.equal("b\n".repeat(at));
      }
    }
    // Going on after an escape it left, from where the decoder took over.
    const resumed = Buffer.from("d\\u0041e\\nf");
    unescaper!.load(resumed, 0, resumed.length);
    expect(unescaper!.step(0, out, 0)).to.deep.equal([1, 1]);
    expect(unescaper!.step(7, out, 1)).to.deep.equal([resumed.length, 4]);
    expect(out.subarray(0, 4).toString("latin1")).to.equal("de\nf");
    // A backslash that is the input's last byte is left for the next chunk.
    for (let at = 0; at < 40; at++) {
      const input = Buffer.from("c".repeat(at) + "\\");
      expect(unescape(input, out, 0)[0], `cut at ${at}`).to.equal(at);
    }
  });

  it("passes bytes that are not ASCII, and raw control bytes, through as they are", () => {
    const raw = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256)
      .filter((b) => b !== 0x22 && b !== 0x5c));
    const out = Buffer.alloc(400);
    const [stop, end] = unescape(raw, out, 0);
    expect(stop).to.equal(raw.length);
    expect(out.subarray(0, end).equals(raw)).to.equal(true);
  });
});

describe("JSON string decoder with the WebAssembly unescaper", () => {
  const pieces = ['x,"Customer 1, Inc.",2024\n', "tab\there", "back\\slash", "\u00e9t\u00e9 \u4e2d", "\u{1f600}",
    "\u0001\u001f", "\u2028", "/", "\"\"", ""];
  const next = random(11);
  const parts: string[] = [];
  for (let size = 0; size < 1.6 * SIMD_PIECE_BYTES;) {
    const part = pieces[Math.floor(next() * pieces.length)] + "abcdefghij".slice(0, Math.floor(next() * 10));
    parts.push(part);
    size += part.length;
  }
  const text = parts.join("");
  const expected = Buffer.from(text, "utf8");
  // JSON.stringify leaves é and 😀 as they are; Looker's JSON may escape them.
  const plain = quoted(text);
  const escaped = Buffer.from(plain.toString("utf8").replace(/\u00e9/g, "\\u00e9")
    .replace(/\u{1f600}/gu, "\\ud83d\\ude00").replace(/\u2028/g, "\\u2028"));

  it("decodes documents larger than a piece whatever the chunk sizes, both paths alike", () => {
    for (const doc of [plain, escaped]) {
      const closing = doc.length - ',"next":1}'.length;
      for (let seed = 1; seed <= 8; seed++) {
        const step = random(seed);
        const cuts: number[] = [];
        for (let at = Math.floor(step() * 90_000); at < doc.length; at += 1 + Math.floor(step() * 90_000)) {
          cuts.push(at);
        }
        for (const [simd, overwrite] of [[true, false], [true, true], [false, false], [false, true]]) {
          const { out, end } = decode(doc, cuts, simd, overwrite);
          expect(out.equals(expected), `seed ${seed} simd ${simd} overwrite ${overwrite}`).to.equal(true);
          expect(end, `seed ${seed} simd ${simd} overwrite ${overwrite}`).to.equal(closing);
        }
      }
    }
  });

  it("decodes escapes cut by a chunk at every byte, and escapes across the end of a piece", () => {
    for (const target of ["\\n", '\\"', "\\\\", "\\u0001", "\\ud83d\\ude00", "\\u00e9", "\\u2028"]) {
      const at = escaped.indexOf(target, SIMD_PIECE_BYTES + 100);
      expect(at, target).to.be.greaterThan(0);
      for (let cut = at - 1; cut <= at + target.length; cut++) {
        for (const overwrite of [false, true]) {
          const how = `${target} cut at +${cut - at}${overwrite ? ", overwriting" : ""}`;
          expect(decode(escaped, [cut], true, overwrite).out.equals(expected), how).to.equal(true);
          expect(decode(escaped, [cut, cut + 2], true, overwrite).out.equals(expected), `${how} and +2`).to.equal(true);
          // One chunk that starts so the escape meets the end of its first 64 KiB piece.
          expect(decode(escaped, [cut - SIMD_PIECE_BYTES], true, overwrite).out.equals(expected), `${how}, piece end`)
            .to.equal(true);
        }
      }
    }
  });

  it("hands on pieces that stay as they were while more is decoded, and leaves its input alone unless told", () => {
    const before = Buffer.from(escaped);
    for (const overwrite of [false, true]) {
      const { pieces: handed } = decode(escaped, [5000, 70_000, 140_000], true, overwrite);
      const kept = handed.map((piece) => Buffer.from(piece));
      decode(escaped, [5000, 70_000], true, overwrite);
      expect(Buffer.concat(handed).equals(expected), `overwrite ${overwrite}`).to.equal(true);
      expect(handed.every((piece, i) => piece.equals(kept[i])), `overwrite ${overwrite}`).to.equal(true);
    }
    expect(escaped.equals(before)).to.equal(true);
  });

  it("writes its output over the chunk it read, and nowhere past what it read", () => {
    const doc = Buffer.from('a\\nb\\"c\\u00e9d' + "e\\n".repeat(40) + '",rest');
    const chunk = Buffer.from(doc);
    const handed: Buffer[] = [];
    const end = new JsonStringDecoder((bytes) => { handed.push(bytes); }, { overwrite: true }).feed(chunk, 0);
    expect(Buffer.concat(handed).toString("utf8")).to.equal('a\nb"c\u00e9d' + "e\n".repeat(40));
    expect(handed.every((piece) => piece.buffer === chunk.buffer)).to.equal(true);
    expect(chunk.subarray(end - 1).toString()).to.equal('",rest');
  });

  it("refuses an invalid escape or \\u escape wherever it falls", () => {
    for (const bad of ["\\x", "\\u12G4", "\\'"]) {
      for (const at of [0, 15, 16, 17, SIMD_PIECE_BYTES - 1, SIMD_PIECE_BYTES + 5]) {
        const doc = Buffer.from("\\n" + "a".repeat(at) + bad + "zz".repeat(40) + '"');
        for (const simd of [true, false]) {
          expect(() => decode(doc, [], simd), `${bad} at ${at}`).to.throw(JsonSyntaxError);
        }
      }
    }
  });
});
