import { expect } from "chai";
import { readPreview } from "../../../src/data/rows/row_preview";
import { chunkedDelivery } from "../../helpers/deliveries";

const DETAIL = {
  fields: {
    dimensions: [{ name: "orders.month", label_short: "Month" }, { name: "users.email", label_short: "Email" }],
    measures: [{ name: "orders.count", label_short: "Count" }],
    table_calculations: [], pivots: [{ key: "east" }, { key: "west" }],
  },
  data: [
    { "orders.month": { value: "2024-01" }, "users.email": { value: "a@x" },
      "orders.count": { east: { value: 3, rendered: "3" }, west: { value: null } } },
    { "orders.month": { value: "2024-02" }, "users.email": { value: "b@x" },
      "orders.count": { east: { value: 0 }, west: { value: 7 } } },
    { "orders.month": { value: "2024-03" }, "users.email": { value: "c@x" },
      "orders.count": { east: { value: 1 }, west: { value: 1 } } },
  ],
};

describe("row previews", () => {
  it("splits a pivoted measure into a column per pivot key and leaves hidden fields out", async () => {
    const delivery = chunkedDelivery(Buffer.from(JSON.stringify(DETAIL)), "json_detail", 17);
    const preview = await readPreview(delivery, "json_detail", ["users.email"], 2);
    expect(preview).to.deep.equal({
      columns: ["Month", "Count east", "Count west"],
      rows: [["2024-01", "3", ""], ["2024-02", "0", "7"]],
      more: true,
    });
  });

  it("reads csv and JSON rows, and answers undefined for formats without rows", async () => {
    const csv = await readPreview(chunkedDelivery(Buffer.from("a,b\n1,2\n"), "csv", 3), "csv", [], 5);
    expect(csv).to.deep.equal({ columns: ["a", "b"], rows: [["1", "2"]], more: false });
    const json = await readPreview(chunkedDelivery(Buffer.from("[{\"a\":1,\"h\":2}]"), "json", 4), "json", ["h"], 5);
    expect(json).to.deep.equal({ columns: ["a"], rows: [["1"]], more: false });
    expect(await readPreview(chunkedDelivery(Buffer.from("x"), "xlsx", 1), "xlsx", [], 5)).to.equal(undefined);
  });

  it("counts every row when asked, keeping only the rows shown", async () => {
    const detail = await readPreview(chunkedDelivery(Buffer.from(JSON.stringify(DETAIL)), "json_detail", 17),
      "json_detail", [], 1, true);
    expect(detail).to.deep.include({ rows: [["2024-01", "a@x", "3", ""]], more: true, total: 3 });
    const csv = await readPreview(chunkedDelivery(Buffer.from("a\n1\n2\n3\n4\n"), "csv", 3), "csv", [], 2, true);
    expect(csv).to.deep.equal({ columns: ["a"], rows: [["1"], ["2"]], more: true, total: 4 });
  });
});
