import { expect } from "chai";
import { parsedRows } from "../../../src/data/json/row_bytes";

/** Views of `text` at each element's [start, end). */
function views(text: string, spans: Array<[number, number]>): Buffer[] {
  const buf = Buffer.from(text);
  return spans.map(([s, e]) => buf.subarray(s, e));
}

describe("rows parsed from their bytes", () => {
  it("parses rows side by side a group at a time, and each other part as it comes", () => {
    const text = '{"a":1}, {"a":2}\n,{"a":[3]}';
    const parts: Array<string | Buffer> = ["fields", ...views(text, [[0, 7], [9, 16], [18, 27]]), "end"];
    const seen: unknown[] = [];
    const out = [...parsedRows<string | unknown>(parts, (row) => { seen.push(row); return row; })];
    expect(out).to.deep.equal(["fields", { a: 1 }, { a: 2 }, { a: [3] }, "end"]);
    expect(seen).to.have.length(3);
  });

  it("never reads what lies between two views of one buffer unless it is a separator", () => {
    // Small buffers share Node's pool: two rows in one buffer with other bytes between them.
    const text = '{"a":1},{"x":0},{"a":2}';
    const parts = views(text, [[0, 7], [16, 23]]);
    expect([...parsedRows(parts, (row) => row)]).to.deep.equal([{ a: 1 }, { a: 2 }]);
  });

  it("stops at a broken row, after the rows before it", () => {
    const text = '{"a":1},{"a":tru},{"a":3}';
    const taken: unknown[] = [];
    expect(() => {
      for (const row of parsedRows(views(text, [[0, 7], [8, 17], [18, 25]]), (r) => r)) { taken.push(row); }
    }).to.throw(/not valid JSON/);
    expect(taken).to.deep.equal([{ a: 1 }]);
  });
});
