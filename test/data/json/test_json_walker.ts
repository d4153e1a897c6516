import { expect } from "chai";
import { JsonPath, JsonSyntaxError, JsonWalker, ValueMode } from "../../../src/data/json/json_walker";
import { Base64Decoder } from "../../../src/data/body/base64_decoder";

/** Splits `text` into chunks of pseudo-random sizes (1..maxChunk), reproducibly. */
function chunksOf(text: Buffer, seed: number, maxChunk = 17): Buffer[] {
  const out: Buffer[] = [];
  let s = seed;
  for (let i = 0; i < text.length;) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (s % maxChunk);
    out.push(text.subarray(i, i + n));
    i += n;
  }
  return out;
}

interface Walked { values: Record<string, unknown>; elements: unknown[]; streamed: Buffer; }

function walk(text: Buffer | string, modes: (path: JsonPath) => ValueMode, seed = 1): Walked {
  const walked: Walked = { values: {}, elements: [], streamed: Buffer.alloc(0) };
  const pieces: Buffer[] = [];
  const walker = new JsonWalker({
    modeFor: modes,
    value: (path, value) => { walked.values[path.join(".")] = value; },
    element: (_path, value) => { walked.elements.push(value); },
    bytes: (_path, chunk) => { pieces.push(Buffer.from(chunk)); },
  });
  for (const chunk of chunksOf(Buffer.from(text), seed)) { walker.feed(chunk); }
  walker.end();
  walked.streamed = Buffer.concat(pieces);
  return walked;
}

const TRICKY = "plain, \"quoted\" \\ back/slash \n\r\t\b\f é 中文 \u2028 😀 \u0001 end";

describe("JSON walker", () => {
  it("decodes a streamed string exactly, whatever the chunk boundaries", () => {
    const doc = JSON.stringify({ a: 1, s: TRICKY, b: [1, 2] });
    for (let seed = 1; seed < 200; seed++) {
      const walked = walk(doc, (p) => p.length === 0 ? "object" : p[0] === "s" ? "string" : "collect", seed);
      expect(walked.streamed.toString("utf8")).to.equal(TRICKY);
      expect(walked.values).to.deep.equal({ a: 1, b: [1, 2] });
    }
  });

  it("decodes \\u escapes, surrogate pairs and lone surrogates", () => {
    const doc = '{"s":"\\u0041\\u00e9\\u4e2d\\ud83d\\ude00\\ud800x\\udc00"}';
    const walked = walk(doc, (p) => p.length === 0 ? "object" : "string");
    expect(walked.streamed.toString("utf8")).to.equal("Aé中😀\ufffdx\ufffd");
  });

  it("parses each element of an array and collects nested values", () => {
    const rows = [{ a: { value: 1 } }, { a: { value: "x,]}\"" } }, [], null, 3.5, "s", true];
    const doc = JSON.stringify({ skip: { deep: [1, { x: "]" }] }, rows, after: "yes" });
    for (let seed = 1; seed < 50; seed++) {
      const modes = (p: JsonPath): ValueMode =>
        p.length === 0 ? "object" : p[0] === "rows" ? "elements" : p[0] === "skip" ? "skip" : "collect";
      const walked = walk(doc, modes, seed);
      expect(walked.elements).to.deep.equal(rows);
      expect(walked.values).to.deep.equal({ after: "yes" });
    }
  });

  it("hands each element's exact bytes, unparsed, in elementBytes mode, whatever the chunk boundaries", () => {
    const rows = [{ a: { value: 1 } }, { a: { value: "x,]}\"é" } }, [], null, 3.5, "s", true];
    const doc = JSON.stringify({ rows, after: "yes" });
    for (let seed = 1; seed < 50; seed++) {
      const modes = (p: JsonPath): ValueMode =>
        p.length === 0 ? "object" : p[0] === "rows" ? "elementBytes" : "collect";
      const walked = walk(doc, modes, seed);
      expect(walked.elements.every((e) => Buffer.isBuffer(e))).to.equal(true);
      expect(walked.elements.map((e) => JSON.parse((e as Buffer).toString()))).to.deep.equal(rows);
      expect(walked.values).to.deep.equal({ after: "yes" });
    }
  });

  it("streams an object or array value raw and collects a bare literal", () => {
    const inline = [{ a: 1 }, { b: "}" }];
    const raw = walk(JSON.stringify({ d: inline }), (p) => p.length === 0 ? "object" : "string");
    expect(JSON.parse(raw.streamed.toString())).to.deep.equal(inline);
    const literal = walk('{"d": null, "e": 12}', (p) => p.length === 0 ? "object" : "string");
    expect(literal.values).to.deep.equal({ d: null, e: 12 });
  });

  it("rejects truncated, malformed and trailing input", () => {
    const modes = (p: JsonPath): ValueMode => p.length === 0 ? "object" : "collect";
    expect(() => walk('{"a": [1, 2', modes)).to.throw(JsonSyntaxError, /ends before it is complete/);
    expect(() => walk('{"a" 1}', modes)).to.throw(JsonSyntaxError, /Expected ":"/);
    expect(() => walk('{"a": 1} {', modes)).to.throw(JsonSyntaxError, /more after the end/);
    expect(() => walk('{"a": tru}', modes)).to.throw(JsonSyntaxError, /not valid JSON/);
    expect(() => walk('{"s": "bad \\x escape"}', (p) => p.length === 0 ? "object" : "string"))
      .to.throw(JsonSyntaxError, /invalid backslash escape/);
    expect(() => walk("", modes)).to.throw(JsonSyntaxError, /empty/);
  });

  it("refuses a collected value over the size limit", () => {
    const walker = new JsonWalker({ modeFor: (p) => p.length === 0 ? "object" : "collect" }, { maxValueBytes: 10 });
    expect(() => walker.feed(Buffer.from('{"a": "0123456789abcdef"}')))
      .to.throw(JsonSyntaxError, /larger than 10 bytes/);
  });
});

describe("base64 decoder", () => {
  it("decodes across any chunk boundary and ignores line breaks", () => {
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
    const text = bytes.toString("base64").replace(/(.{76})/g, "$1\r\n");
    for (let seed = 1; seed < 30; seed++) {
      const decoder = new Base64Decoder();
      const out = chunksOf(Buffer.from(text), seed, 11).map((c) => decoder.write(c));
      out.push(decoder.end());
      expect(Buffer.concat(out).equals(bytes)).to.equal(true);
    }
  });
});
