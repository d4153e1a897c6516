// BigQuery's rows as newline-delimited JSON, as NdjsonWriter writes them into pieces: the same
// lines JSON.stringify makes, whatever the text holds and wherever a piece ends.
import { expect } from "chai";
import type { ColumnType, WarehouseColumn } from "../../../src/families/warehouse/warehouse_columns";
import type { WarehouseValue } from "../../../src/families/warehouse/warehouse_values";
import { NdjsonWriter } from "../../../src/integrations/bigquery/bigquery_load";

const column = (name: string, type: ColumnType): WarehouseColumn => ({ field: name, name, label: name, type });
const COLUMNS = [column("id", "integer"), column("total", "number"), column("name", "string"),
  column("day", "date"), column("at", "timestamp"), column("paid", "boolean")];

/** What the writer makes of `batches`, and the pieces it made, with every full piece given back as the upload does. */
function written(batches: WarehouseValue[][][], pieceBytes?: number): { text: string; pieces: number } {
  const writer = new NdjsonWriter(COLUMNS, pieceBytes);
  const out: Buffer[] = [];
  let pieces = 0;
  for (const batch of batches) {
    for (const piece of writer.rows(batch)) {
      out.push(Buffer.from(piece));
      pieces++;
      writer.reuse(piece);
    }
  }
  out.push(Buffer.from(writer.end()));
  return { text: Buffer.concat(out).toString("utf8"), pieces };
}

/** The line as JSON.stringify has it (numbers that are JSON numbers unquoted, DATETIME cut to microseconds). */
function expected(row: WarehouseValue[]): string {
  const entries = row.map((v, i) => {
    const type = COLUMNS[i].type;
    if (typeof v === "string" && (type === "integer" || type === "number") &&
        /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(v)) { return `${JSON.stringify(COLUMNS[i].name)}:${v}`; }
    const value = typeof v === "string" && type === "timestamp" ? v.replace(/(\.\d{6})\d+$/, "$1") : v;
    return `${JSON.stringify(COLUMNS[i].name)}:${JSON.stringify(value)}`;
  });
  return `{${entries.join(",")}}\n`;
}

describe("BigQuery's newline-delimited JSON (NdjsonWriter)", () => {
  it("writes each row as one JSON object a line, keyed by the columns", () => {
    const rows: WarehouseValue[][] = [["1", "12.5", "Ann", "2024-01-02", "2024-01-02 10:11:12", true],
      [null, null, null, null, null, false]];
    const { text } = written([rows]);
    expect(text).to.equal(rows.map(expected).join(""));
    expect(text.split("\n").filter(Boolean).map((line) => JSON.parse(line))[0]).to.deep.equal(
      { id: 1, total: 12.5, name: "Ann", day: "2024-01-02", at: "2024-01-02 10:11:12", paid: true });
  });

  it("quotes numbers JSON does not take, cuts timestamps to microseconds, escapes what JSON escapes", () => {
    const rows: WarehouseValue[][] = [["007", "1.", "quote \" backslash \\ tab \t nl \n nul \u0000", "x",
      "2024-01-02 10:11:12.123456789", true],
    ["-0", "1e5", "Zoë 東京 😀 \u2028", "y", "2024-01-02 10:11:12.5", false],
    ["1", "2", "lone \ud800 surrogate \udfff", "z", "2024-01-02 10:11:12", null]];
    const { text } = written([rows]);
    expect(text).to.equal(rows.map(expected).join(""));
    for (const line of text.split("\n").filter(Boolean)) { expect(() => JSON.parse(line)).not.to.throw(); }
  });

  it("gives the same lines when rows and values cross from one piece into the next, pieces filled again", () => {
    const rows: WarehouseValue[][] = [];
    for (let i = 0; i < 200; i++) {
      rows.push([String(i), `${i}.25`, i % 7 ? `Customer ${i}, "Inc." ${"é".repeat(i % 13)}` : null, "2024-02-29",
        "2024-02-29 23:59:59", i % 2 === 0]);
    }
    const all = rows.map(expected).join("");
    for (const size of [5, 64, 333, 4096]) {
      const { text, pieces } = written([rows.slice(0, 50), rows.slice(50)], size);
      expect(text, `pieces of ${size} bytes`).to.equal(all);
      // Every piece but the one still being filled was handed on.
      expect(pieces).to.equal(Math.ceil(Buffer.byteLength(all) / size) - 1);
    }
  });
});
