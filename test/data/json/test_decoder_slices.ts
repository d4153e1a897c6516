// The push decoders' fast paths work on large slices (json_string_bulk.ts, Base64Decoder's
// native pass): these tests cut documents where slices and chunks meet: inside escapes, between
// the halves of a surrogate pair, inside base64 groups, and check that invalid input is
// still refused with its message.
import { expect } from "chai";
import { Base64Decoder, InvalidBase64Error } from "../../../src/data/body/base64_decoder";
import { BULK_MIN_BYTES } from "../../../src/data/json/json_string_bulk";
import { JsonSyntaxError, JsonWalker } from "../../../src/data/json/json_walker";

/** Streams `doc`'s "s" through a walker in the given chunks; answers the decoded bytes. */
function decode(chunks: Buffer[]): Buffer {
  const pieces: Buffer[] = [];
  const walker = new JsonWalker({
    modeFor: (p) => p.length === 0 ? "object" : "string",
    bytes: (_p, chunk) => { pieces.push(Buffer.from(chunk)); },
  });
  for (const chunk of chunks) { walker.feed(chunk); }
  walker.end();
  return Buffer.concat(pieces);
}

/** `doc` cut at each of `cuts` (sorted offsets). */
function cutAt(doc: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) { out.push(doc.subarray(from, cut)); from = cut; }
  out.push(doc.subarray(from));
  return out;
}

/** A reproducible pseudo-random sequence. */
function random(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x7fffffff; };
}

const PIECE = 'row,"Smith, J",\u00e9t\u00e9 \u4e2d\u6587 \ud83d\ude00 tab\there\\back/slash \u0001 \u2028';

describe("push decoders on large slices", () => {
  // Well past BULK_MIN_BYTES, so the native path decodes most of it.
  const text = Array.from({ length: 400 }, (_, i) => `${i}:${PIECE}\n`).join("");
  // JSON.stringify leaves é and 😀 as they are; Looker's JSON may escape them.
  const doc = Buffer.from(JSON.stringify({ s: text }).replace(/\u00e9/g, "\\u00e9")
    .replace(/\u{1f600}/gu, "\\ud83d\\ude00"));
  const expected = Buffer.from(text, "utf8");

  it("decodes whatever the chunk sizes", () => {
    expect(doc.length).to.be.greaterThan(8 * BULK_MIN_BYTES);
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      const cuts: number[] = [];
      for (let at = Math.floor(next() * 9000); at < doc.length; at += 1 + Math.floor(next() * 9000)) { cuts.push(at); }
      expect(decode(cutAt(doc, cuts)).equals(expected), `seed ${seed}`).to.equal(true);
    }
  });

  it("decodes an escape, a \\u escape and a surrogate pair cut at any byte by the chunk's end", () => {
    const targets = ["\\n", "\\\"", "\\\\", "\\t", "\\u0001", "\\ud83d\\ude00", "\\u00e9"];
    for (const target of targets) {
      // An occurrence well inside the document, past the first bulk slice.
      const at = doc.indexOf(target, 3 * BULK_MIN_BYTES);
      expect(at, target).to.be.greaterThan(0);
      for (let cut = at - 2; cut <= at + target.length + 1; cut++) {
        expect(decode(cutAt(doc, [cut])).equals(expected), `${target} cut at +${cut - at}`).to.equal(true);
        // And a second cut just after, so the escape spans three chunks.
        expect(decode(cutAt(doc, [cut, cut + 3])).equals(expected), `${target} cut twice at +${cut - at}`)
          .to.equal(true);
      }
    }
  });

  it("pairs surrogates across a cut and makes lone ones U+FFFD, as the byte loop does", () => {
    const inner = "x".repeat(3 * BULK_MIN_BYTES) + "\\ud83d\\ude00 \\ud800x \\udc00 \\ud83d\\ud83d\\ude00";
    const raw = Buffer.from(`{"s":"${inner}"}`);
    const want = Buffer.from("x".repeat(3 * BULK_MIN_BYTES) + "\u{1f600} \ufffdx \ufffd \ufffd\u{1f600}", "utf8");
    for (let cut = raw.length - 50; cut < raw.length - 2; cut++) {
      expect(decode(cutAt(raw, [cut])).equals(want), `cut at ${cut}`).to.equal(true);
    }
  });

  it("passes bytes that are not UTF-8 and raw control characters through unchanged", () => {
    for (const extra of ["", "\\u00e9"]) {
      const inner = Buffer.concat([Buffer.from("a\\n".repeat(2 * BULK_MIN_BYTES) + extra),
        Buffer.from([0xe9, 0xff, 0x09, 0x0a, 0x41])]);
      const raw = Buffer.concat([Buffer.from('{"s":"'), inner, inner, Buffer.from('"}')]);
      const one = Buffer.concat([Buffer.from("a\n".repeat(2 * BULK_MIN_BYTES) + (extra ? "\u00e9" : "")),
        Buffer.from([0xe9, 0xff, 0x09, 0x0a, 0x41])]);
      expect(decode([raw]).equals(Buffer.concat([one, one])), `extra ${extra}`).to.equal(true);
    }
  });

  it("still refuses an invalid escape inside a large slice, naming it", () => {
    const bad = (escape: string) => Buffer.from(`{"s":"${"ab\\n".repeat(2 * BULK_MIN_BYTES)}${escape}${"cd".repeat(99)}"}`);
    expect(() => decode([bad("\\x")])).to.throw(JsonSyntaxError, /invalid backslash escape/);
    expect(() => decode([bad("\\u12G4")])).to.throw(JsonSyntaxError, /four hex digits/);
    expect(() => decode(cutAt(bad("\\x"), [3 * BULK_MIN_BYTES]))).to.throw(JsonSyntaxError, /invalid backslash/);
  });

  it("finds the end of the string inside a large slice and goes on with the document", () => {
    const walked: Record<string, unknown> = {};
    const pieces: Buffer[] = [];
    const walker = new JsonWalker({
      modeFor: (p) => p.length === 0 ? "object" : p[0] === "s" ? "string" : "collect",
      value: (p, v) => { walked[p[0]] = v; },
      bytes: (_p, chunk) => { pieces.push(Buffer.from(chunk)); },
    });
    walker.feed(Buffer.from(JSON.stringify({ s: text, after: "yes\n", n: 2 })));
    walker.end();
    expect(Buffer.concat(pieces).equals(expected)).to.equal(true);
    expect(walked).to.deep.equal({ after: "yes\n", n: 2 });
  });
});

describe("base64 decoder on large slices", () => {
  const bytes = Buffer.from(Array.from({ length: 30_000 }, (_, i) => (i * 131 + (i >> 7)) % 256));

  /** Decodes `text` cut at `cuts` by decoders that do and do not write over their chunks: they must agree. */
  function run(text: string, cuts: number[]): Buffer {
    const [kept, over] = [false, true].map((overwrite) => {
      const decoder = new Base64Decoder(overwrite);
      try {
        // A chunk written over is the decoder's own: a copy.
        const chunks = cutAt(Buffer.from(text, "latin1"), cuts);
        const out = chunks.map((c) => decoder.write(overwrite ? Buffer.from(c) : c));
        out.push(decoder.end());
        return Buffer.concat(out);
      } catch (err) {
        return err as Error;
      }
    });
    if (kept instanceof Error) {
      expect(over, "written over").to.be.instanceOf(InvalidBase64Error);
      expect((over as Error).message, "written over").to.equal(kept.message);
      throw kept;
    }
    expect(over instanceof Buffer && over.equals(kept), "written over").to.equal(true);
    return kept;
  }

  it("decodes groups cut at every position, padded or not, standard or URL-safe", () => {
    for (const length of [30_000, 29_999, 29_998]) {
      const data = bytes.subarray(0, length);
      for (const text of [data.toString("base64"), data.toString("base64url")]) {
        for (let cut = 20_000; cut < 20_012; cut++) {
          expect(run(text, [cut]).equals(data), `${length} cut at ${cut}`).to.equal(true);
          expect(run(text, [cut, text.length - (cut % 5)]).equals(data), `${length} cuts ${cut}`).to.equal(true);
        }
      }
    }
  });

  it("decodes chunks of any size, whatever is carried from one to the next", () => {
    for (const length of [3000, 2999, 2998]) {
      const data = bytes.subarray(0, length);
      const text = data.toString("base64");
      for (const size of [1, 2, 3, 5, 6, 7, 9, 401, 1023]) {
        const cuts = Array.from({ length: Math.floor(text.length / size) }, (_, i) => (i + 1) * size);
        expect(run(text, cuts).equals(data), `${length} in chunks of ${size}`).to.equal(true);
      }
    }
  });

  it("still refuses what is not base64, naming the place", () => {
    const text = bytes.toString("base64");
    const cases: Array<[string, RegExp]> = [
      [text.slice(0, 20_000) + "*" + text.slice(20_000), /the character "\*" at character 20001/],
      [text.slice(0, 20_000) + "QQ==" + text.slice(20_000), /padding \(=\) inside the data at character 20003/],
      // Named as padding inside the data, or as data after it when the chunk ends at the padding.
      [bytes.subarray(0, 29_999).toString("base64") + "QUJD",
        /padding \(=\) inside the data at character 40000|data after the padding at character 40001/],
      [text + "Q", /a lone last character/],
    ];
    for (const [bad, message] of cases) {
      for (const cuts of [[], [10_000], [20_001], [bad.length - 2]]) {
        expect(() => run(bad, cuts), `${message} ${cuts}`).to.throw(InvalidBase64Error, message);
      }
    }
  });

  it("agrees with the strict rules on random input", () => {
    const alphabet = "ABCQab01+/-_= \n*";
    const next = random(7);
    for (let k = 0; k < 3000; k++) {
      const length = 1 + Math.floor(next() * 14);
      const text = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
      const clean = text.replace(/\s+/g, "");
      const valid = /^[A-Za-z0-9+/\-_]*$/.test(clean.replace(/={1,2}$/, "")) && clean.length % 4 !== 1 &&
        (!clean.includes("=") || (clean.length % 4 === 0 && /^[^=]*(?:[^=]{2}==|[^=]{3}=)$/.test(clean)));
      const cut = Math.floor(next() * text.length);
      let got: Buffer | Error;
      try { got = run(text, [cut]); } catch (err) { got = err as Error; }
      if (valid) {
        expect(got, JSON.stringify(text)).to.be.instanceOf(Buffer);
        expect((got as Buffer).equals(Buffer.from(clean, "base64")), JSON.stringify(text)).to.equal(true);
      } else {
        expect(got, JSON.stringify(text)).to.be.instanceOf(InvalidBase64Error);
      }
    }
  });
});
