// COPY's text format as CopyTextWriter writes it into pieces: escapes, NULL, booleans, non-ASCII,
// and rows and values that cross from one piece into the next (the real server reads the same
// lines in test_postgres.ts).
import { expect } from "chai";
import type { WarehouseValue } from "../../../src/families/warehouse/warehouse_values";
import { COPY_PIECE_BYTES, CopyTextWriter } from "../../../src/integrations/postgres/copy_text";

/** Everything the writer hands on for `batches`, and the pieces it was in. */
function written(batches: WarehouseValue[][][], pieceBytes?: number): { text: string; pieces: Buffer[] } {
  const writer = new CopyTextWriter(pieceBytes);
  const pieces: Buffer[] = [];
  for (const batch of batches) { pieces.push(...writer.rows(batch)); }
  const rest = writer.end();
  if (rest.length) { pieces.push(rest); }
  return { text: Buffer.concat(pieces).toString("utf8"), pieces };
}

describe("COPY text (CopyTextWriter)", () => {
  it("writes one line a row, fields split by tabs, NULL as \\N and booleans as t and f", () => {
    expect(written([[["1", "Ann", true, null], ["2", "", false, "2024-01-02"]]]).text)
      .to.equal("1\tAnn\tt\t\\N\n2\t\tf\t2024-01-02\n");
  });

  it("escapes backslash, newline, return and tab, and nothing else", () => {
    expect(written([[["a\\b", "line\nnext", "cr\rlf", "tab\there", "\\N", "quote \" and ' and ,"]]]).text)
      .to.equal("a\\\\b\tline\\nnext\tcr\\rlf\ttab\\there\t\\\\N\tquote \" and ' and ,\n");
  });

  it("writes non-ASCII text as UTF-8", () => {
    expect(written([[["Zoë", "東京", "😀", "\u00a0"]]]).text).to.equal("Zoë\t東京\t😀\t\u00a0\n");
  });

  it("hands on nothing until a piece is full, and what is left at the end", () => {
    const writer = new CopyTextWriter(16);
    expect(writer.rows([["a"], ["b"]])).to.deep.equal([]);
    expect(writer.end().toString()).to.equal("a\nb\n");
  });

  it("goes on in the next piece with rows and values that cross a piece's end, whole pieces in between", () => {
    const long = "x".repeat(40) + "é".repeat(20) + "\\\n" + "東".repeat(10);
    const rows: WarehouseValue[][] = [];
    for (let i = 0; i < 50; i++) { rows.push([String(i), i % 3 ? long : null, i % 2 === 0]); }
    const expected = rows.map((r) => r.map((v) => v === null ? "\\N" : v === true ? "t" : v === false ? "f" :
      v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")).join("\t") + "\n").join("");
    for (const size of [7, 16, 33, 100, 1024]) {
      const { text, pieces } = written([rows.slice(0, 20), rows.slice(20)], size);
      expect(text, `pieces of ${size} bytes`).to.equal(expected);
      // Every piece but the last is full: a character's bytes may be split between two.
      expect(pieces.slice(0, -1).every((p) => p.length === size)).to.equal(true);
      expect(pieces.at(-1)!.length).to.be.at.most(size);
    }
  });

  it("takes a value larger than a piece", () => {
    const big = "ü".repeat(3 * COPY_PIECE_BYTES);
    const { text, pieces } = written([[["1", big], ["2", "small"]]]);
    expect(text).to.equal(`1\t${big}\n2\tsmall\n`);
    expect(pieces.length).to.equal(Math.ceil(Buffer.byteLength(text) / COPY_PIECE_BYTES));
  });

  it("hands on a new Buffer for each piece (a piece sent is never written again)", () => {
    const writer = new CopyTextWriter(8);
    const first = writer.rows([["abcdefgh"], ["ijklmnop"]]);
    const copies = first.map((p) => Buffer.from(p));
    writer.rows([["qrstuvwx"], ["yz"]]);
    expect(first.map((p) => p.toString())).to.deep.equal(copies.map((p) => p.toString()));
    expect(new Set(first.map((p) => p.buffer)).size).to.equal(first.length);
  });
});
