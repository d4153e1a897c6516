// Braze attributes objects written from the rows' bytes (braze_raw_writer.ts, on a row worker) are
// the bytes BrazeMapper.map and JSON.stringify give for the same rows: every value kind, ids a trim
// would change, escapes, unicode, missing, null and empty cells, pivots, any chunking; and the rows
// it cannot copy are left to map(), never written otherwise.
import { expect } from "chai";
import type { RowMapping } from "../../../src/data/rows/row_mapping";
import { brazeMapping } from "../../../src/integrations/braze/braze_destination";
import { detailDocument, fixtureDetailBodies, ID_EDGE_VALUES, sameBothWays, TRICKY_FIELDS, tricky }
  from "../../helpers/raw_ways";

const mapping = (key = "external_id", segment = 'LOOKER "é" EXPORT') => () =>
  brazeMapping({ key, segment }) as RowMapping<unknown>;

/** tricky()'s fields with u.id as the user's id and every other field (u.id too) an attribute. */
const FIELDS = {
  dimensions: TRICKY_FIELDS.dimensions.map((d) => ({
    name: d.name, tags: d.name === "u.id" ? ["braze_id", "braze[id]"] : [`braze[${d.name.replace("u.", "")}]`],
  })),
  measures: TRICKY_FIELDS.measures.map((m) => ({ name: m.name, tags: [`braze[${m.name}]`] })),
};

/** One row of `cells` under fields tagged `tags` (u.id the id). */
function oneField(tags: string[][], cells: string): Buffer {
  const fields = { dimensions: [{ name: "u.id", tags: ["braze_id"] }, ...tags.map((t, i) => ({ name: `f${i}`, tags: t }))] };
  return detailDocument([`{"u.id":{"value":"a"},${cells}}`], fields);
}

describe("Braze attributes written from the rows' bytes (braze_raw_writer.ts)", () => {
  it("gives the same bytes as the parsed way for every value kind, id and cell shape", async () => {
    const doc = detailDocument(tricky(900, ID_EDGE_VALUES), FIELDS);
    const written = await sameBothWays(doc, mapping(), { hidden: ["u.hidden"] });
    expect(written, "rows written from their bytes").to.be.greaterThan(20);
    expect(await sameBothWays(doc, mapping("braze_id", "S"), { hidden: ["u.hidden"] })).to.be.greaterThan(20);
  });

  it("writes every row of plain cells from its bytes, null left out and \"\" kept", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `{"u.id":{"value":${i % 2 ? i : `"c-${i}"`}},` +
      `"u.email":{"value":${i % 5 ? `"u${i}@x.org"` : '""'}},"u.city":{"value":"Zürich ${i % 7}","rendered":"Z"},` +
      `"u.note":{"value":${i % 3 ? "null" : "true"}},"o.count":{"value":${i}},"o.total":{"value":${i / 8}}}`);
    expect(await sameBothWays(detailDocument(rows, FIELDS), mapping(), { chunkSize: 1 << 20 })).to.equal(300);
  });

  it("gives the same bytes for ids trim() would change, empty, null or not a string (those rows parsed)", async () => {
    const ids = [...ID_EDGE_VALUES, '" "', '""', "null", '"a\\nb"', '"\\u0041"', "[1]", '{"a":1}', "12.5", "true", '"ok"'];
    const rows = ids.map((id) => `{"u.id":{"value":${id}},"u.city":{"value":"c"}}`);
    expect(await sameBothWays(detailDocument(rows, FIELDS), mapping())).to.equal(3);
    expect(await sameBothWays(detailDocument(['{"u.city":{"value":"c"}}'], FIELDS), mapping())).to.equal(0);
  });

  it("gives the same bytes whatever the chunks (rows cut at a chunk's edge are parsed)", async () => {
    const small = detailDocument(tricky(120, ID_EDGE_VALUES), FIELDS);
    for (const size of [1, 7, 64, 333, 4096]) { await sameBothWays(small, mapping(), { chunkSize: size }); }
  });

  it("leaves a row with a list, an object or a pivot in an attribute to the parsed way", async () => {
    for (const value of ["[1,2]", '{"a":1}', '"\\u00e9"']) {
      expect(await sameBothWays(oneField([["braze[a]"]], `"f0":{"value":${value}}`), mapping()), value).to.equal(0);
    }
    const pivot = '"f0":{"2024":{"value":1}}';
    expect(await sameBothWays(oneField([["braze[a]"]], pivot), mapping())).to.equal(0);
  });

  it("writes a field that is two attributes twice, in room enough for both", async () => {
    const long = `"${"x".repeat(5000)}"`;
    const doc = oneField([["braze[a]", "braze[b]", "braze[c]"]], `"f0":{"value":${long}}`);
    expect(await sameBothWays(doc, mapping(), { chunkSize: 1 << 20 })).to.equal(1);
  });

  it("leaves every row to the parsed way when the object's keys would come out in another order", async () => {
    const cases = [[["braze[a]"], ["braze[a]"]], [["braze[123]"]], [["braze[__proto__]"]], [["braze[external_id]"]],
      [["braze[looker_export]"]], [["braze[_update_existing_only]"]]];
    for (const tags of cases) {
      const cells = tags.map((_, i) => `"f${i}":{"value":"v${i}"}`).join(",");
      expect(await sameBothWays(oneField(tags, cells), mapping()), tags.join()).to.equal(0);
    }
    const fields = { dimensions: [{ name: "u.id", tags: ["braze_id"] }, { name: "__proto__", tags: ["braze[p]"] }] };
    expect(await sameBothWays(detailDocument(['{"u.id":{"value":"a"}}'], fields), mapping())).to.equal(0);
  });

  it("gives the same bytes for the shared fixture and the Looker requests' json_detail bodies", async () => {
    for (const body of fixtureDetailBodies("braze_id")) { await sameBothWays(body, mapping()); }
  });
});
