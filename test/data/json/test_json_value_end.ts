import { expect } from "chai";
import { endOf } from "../../helpers/value_end";

/**
 * Strings short (looked at byte by byte) and long (indexOf finds the quote), either side of the
 * 32 bytes between the two, escapes of every kind at the start, inside, at that edge and at the end.
 */
function strings(): string[] {
  const out = ["", "a", "value", "100000", "x".repeat(23), "x".repeat(24), "x".repeat(25), "x".repeat(31),
    "x".repeat(32), "x".repeat(33), "y".repeat(300)];
  for (const escape of ["\"", "\\", "\n", "\u0001", "é", "😀"]) {
    for (const at of [0, 1, 22, 23, 24, 25, 30, 31, 32, 33, 40]) { out.push(`${"s".repeat(at)}${escape}${"t".repeat(5)}`); }
    out.push(escape.repeat(30));
  }
  return out;
}

describe("ValueEnd (where a JSON value the walker skips ends)", () => {
  it("finds the end of every kind of string, wherever the chunks are cut", () => {
    for (const text of strings()) {
      const value = JSON.stringify(text);
      const doc = Buffer.from(`${value},"next"`);
      const end = Buffer.byteLength(value);
      for (let cut = 0; cut <= doc.length; cut++) {
        expect(endOf(doc, [cut]), `${value} cut at ${cut}`).to.equal(end);
      }
    }
  });

  it("finds the end of objects and arrays holding them, in one chunk and cut twice anywhere", () => {
    const row = Object.fromEntries(strings().map((s, i) => [`k${i}`, { value: s, list: [s, { s }, [], {}] }]));
    const value = JSON.stringify({ row, brackets: "}]{[", tail: [1, -2.5e3, true, null] });
    const doc = Buffer.from(`${value} ,{"after":1}`);
    const end = Buffer.byteLength(value);
    expect(endOf(doc, [])).to.equal(end);
    for (let a = 0; a <= doc.length; a += 7) {
      for (let b = a; b <= doc.length; b += 97) { expect(endOf(doc, [a, b]), `cut at ${a} and ${b}`).to.equal(end); }
    }
    for (const size of [1, 2, 3, 24, 25]) {
      const cuts = Array.from({ length: Math.ceil(doc.length / size) - 1 }, (_, i) => (i + 1) * size);
      expect(endOf(doc, cuts), `chunks of ${size}`).to.equal(end);
    }
  });

  it("says a value goes on while its string or its brackets are open", () => {
    expect(endOf(Buffer.from(`"abc\\"`), [])).to.equal(-1);
    expect(endOf(Buffer.from(`"${"x".repeat(40)}`), [])).to.equal(-1);
    expect(endOf(Buffer.from(`{"a":["b"]`), [3])).to.equal(-1);
  });

  it("ends a bare literal at what follows it", () => {
    expect(endOf(Buffer.from("12345,"), [2])).to.equal(5);
    expect(endOf(Buffer.from("true}"), [])).to.equal(4);
  });
});
