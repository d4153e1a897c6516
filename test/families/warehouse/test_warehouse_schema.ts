// The write-back family's shared pieces: table names as typed, column types from Looker's field
// types, and each value as its column's type (refused with its row and column when it does not fit).
import { expect } from "chai";
import { columnType, WarehouseColumn } from "../../../src/families/warehouse/warehouse_columns";
import { columnValue, RowError } from "../../../src/families/warehouse/warehouse_values";
import { quoteIdentifier, tableNameParts } from "../../../src/families/warehouse/write_target";

describe("write-back family: names, types and values", () => {
  it("reads table names as typed: bare parts, quoted parts with dots and doubled quotes", () => {
    expect(tableNameParts("orders", 2, "t")).to.deep.equal(["orders"]);
    expect(tableNameParts(" sales . Orders ", 2, "t")).to.deep.equal(["sales", "Orders"]);
    expect(tableNameParts("\"my.schema\".\"Orders \"\"2024\"\"\"", 2, "t")).to.deep.equal(["my.schema", "Orders \"2024\""]);
    for (const bad of ["", "a..b", "a.", "\"open", "\"a\"b", "a\"b", "a.b.c"]) {
      expect(() => tableNameParts(bad, 2, "t"), bad).to.throw();
    }
  });

  it("quotes identifiers so that nothing in them is SQL", () => {
    expect(quoteIdentifier("x\"; DROP TABLE y; --")).to.equal("\"x\"\"; DROP TABLE y; --\"");
    expect(() => quoteIdentifier("a\u0000b")).to.throw(/NUL/);
  });

  it("types columns from LookML types, is_numeric for the rest", () => {
    const type = (t: string, extra = {}) => columnType({ name: "f", type: t, ...extra });
    expect(["count", "sum", "yesno", "date_date", "date_time", "date_month", "date_year", "string", "tier",
      "duration_day"].map((t) => type(t))).to.deep.equal(["integer", "number", "boolean", "date", "timestamp", "string",
      "integer", "string", "string", "number"]);
    expect(columnType({ name: "calc", is_numeric: true })).to.equal("number");
  });

  it("converts values, refusing one that does not fit with its row and column, the value kept out of the log text", () => {
    const column = (type: WarehouseColumn["type"]): WarehouseColumn => ({ field: "f.x", name: "f_x", label: "X", type });
    expect(columnValue(1204.5, column("number"), 1)).to.equal("1204.5");
    expect(columnValue(" 12 ", column("integer"), 1)).to.equal("12");
    expect(columnValue("Yes", column("boolean"), 1)).to.equal(true);
    expect(columnValue("2024-02-29", column("date"), 1)).to.equal("2024-02-29");
    expect(columnValue("2024-03-01 10:11", column("timestamp"), 1)).to.equal("2024-03-01 10:11:00");
    expect(columnValue("2024-03-01T10:11:12+02:00", column("timestamp"), 1)).to.equal("2024-03-01 08:11:12");
    expect(columnValue("", column("date"), 1)).to.equal(null);
    expect(columnValue({ a: 1 }, column("string"), 1)).to.equal("{\"a\":1}");
    const refusals: Array<[unknown, WarehouseColumn["type"]]> = [["abc", "number"], [1.5, "integer"],
      ["2023-02-29", "date"], ["maybe", "boolean"], ["2024-03-01 25:00", "timestamp"]];
    for (const [value, type] of refusals) {
      let caught: unknown;
      try { columnValue(value, column(type), 7); } catch (err) { caught = err; }
      expect(caught, `${value}`).to.be.instanceOf(RowError);
      expect((caught as RowError).message).to.match(/^Row 7, column "f_x" \(X\): /).and.include(JSON.stringify(value));
      expect((caught as RowError).logMessage).not.to.include(JSON.stringify(value));
    }
  });

  it("reads dates and timestamps in Looker's own form the same as any other (leap years, the calendar's ends)", () => {
    const column = (type: WarehouseColumn["type"]): WarehouseColumn => ({ field: "f.x", name: "f_x", label: "X", type });
    const taken = (value: string, type: WarehouseColumn["type"]) => {
      try { return columnValue(value, column(type), 1); } catch { return "refused"; }
    };
    const dates: Array<[string, string]> = [["2024-02-29", "2024-02-29"], ["2000-02-29", "2000-02-29"],
      ["1900-02-29", "refused"], ["2023-02-29", "refused"], ["2024-04-31", "refused"], ["2024-12-31", "2024-12-31"],
      ["2024-13-01", "refused"], ["2024-00-10", "refused"], ["2024-01-00", "refused"], ["0100-01-01", "0100-01-01"],
      ["0099-12-31", "refused"], ["9999-12-31", "9999-12-31"], [" 2024-01-02 ", "2024-01-02"], ["2024-1-02", "refused"],
      ["２０２４-01-02", "refused"]];
    for (const [value, expected] of dates) { expect(taken(value, "date"), value).to.equal(expected); }
    const timestamps: Array<[string, string]> = [["2024-02-29 23:59:59", "2024-02-29 23:59:59"],
      ["2024-02-30 10:00:00", "refused"], ["2024-01-01 24:00:00", "refused"], ["2024-01-01 10:60:00", "refused"],
      ["2024-01-01 10:00:60", "refused"], ["2024-01-01 00:00:00", "2024-01-01 00:00:00"],
      ["2024-01-01T10:11:12", "2024-01-01 10:11:12"], ["2024-01-01 10:11:12.5", "2024-01-01 10:11:12.5"],
      ["2024-01-01 1a:11:12", "refused"], ["2024-01-01", "2024-01-01 00:00:00"]];
    for (const [value, expected] of timestamps) { expect(taken(value, "timestamp"), value).to.equal(expected); }
  });
});
