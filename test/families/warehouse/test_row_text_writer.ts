// RowTextWriter, the family's row loop, with a toy encoder: what the encoder writes before each
// value, for null, true, false and text (told its column), and at a row's end, in order and
// across pieces (the formats themselves: test_copy_text.ts, test_ndjson.ts).
import { expect } from "chai";
import { PieceOut, RowTextEncoder, RowTextWriter } from "../../../src/families/warehouse/row_text_writer";
import type { WarehouseValue } from "../../../src/families/warehouse/warehouse_values";

/** `[a|b]` a row, text upper-cased and tagged with its column, null as ~, booleans as Y and N. */
const TOY: RowTextEncoder = {
  before(out: PieceOut, column: number) { out.byte(column ? 0x7c : 0x5b); },
  text(out: PieceOut, value: string, column: number) { out.text(`${column}:${value.toUpperCase()}`); },
  end(out: PieceOut) { out.bytes(Buffer.from("]\n")); },
  nullValue: Buffer.from("~"),
  trueValue: Buffer.from("Y"),
  falseValue: Buffer.from("N"),
};

function toy(row: WarehouseValue[]): string {
  return `[${row.map((v, i) => v === null ? "~" : v === true ? "Y" : v === false ? "N" : `${i}:${v.toUpperCase()}`)
    .join("|")}]\n`;
}

describe("RowTextWriter (the warehouse family's row loop)", () => {
  it("writes each row with the encoder: opened before each value, null and booleans, text by column, closed", () => {
    const writer = new RowTextWriter(TOY, 1024);
    expect(writer.rows([["ab", null, true], [false, "é", ""]])).to.deep.equal([]);
    expect(writer.end().toString()).to.equal("[0:AB|~|Y]\n[N|1:É|2:]\n");
  });

  it("hands on full pieces as rows fill them, the same text wherever a piece ends", () => {
    const rows: WarehouseValue[][] = [];
    for (let i = 0; i < 40; i++) { rows.push([`row ${i} ${"ü".repeat(i % 5)}`, i % 3 ? null : i % 2 === 0, "x"]); }
    const all = rows.map(toy).join("");
    for (const size of [3, 16, 100]) {
      const writer = new RowTextWriter(TOY, size);
      const pieces = [...writer.rows(rows.slice(0, 15)), ...writer.rows(rows.slice(15))];
      expect(pieces.every((p) => p.length === size), `pieces of ${size} bytes`).to.equal(true);
      expect(Buffer.concat([...pieces, writer.end()]).toString(), `pieces of ${size} bytes`).to.equal(all);
    }
  });
});
