// HubSpot inputs written from the rows' bytes (hubspot_raw_writer.ts, on a row worker) are the
// bytes HubspotMapper.map and JSON.stringify give for the same rows: every value kind, ids a trim
// would change, escapes, unicode, missing and null cells, pivots, any chunking; and the rows it
// cannot copy are left to map(), never written otherwise.
import { expect } from "chai";
import type { RowMapping } from "../../../src/data/rows/row_mapping";
import { hubspotMapping } from "../../../src/integrations/hubspot/hubspot_mapping";
import { detailDocument, fixtureDetailBodies, ID_EDGE_VALUES, sameBothWays, TRICKY_FIELDS, tricky }
  from "../../helpers/raw_ways";

const contacts = () => hubspotMapping({ idTag: "hubspot_contact_id", objectNoun: "contact" }) as RowMapping<unknown>;

/** tricky()'s fields with u.id as the contact id. */
const FIELDS = {
  dimensions: TRICKY_FIELDS.dimensions.map((d) => d.name === "u.id" ? { ...d, tags: ["hubspot_contact_id"] } : d),
  measures: TRICKY_FIELDS.measures,
};

describe("HubSpot inputs written from the rows' bytes (hubspot_raw_writer.ts)", () => {
  it("gives the same bytes as the parsed way for every value kind, id and cell shape", async () => {
    const doc = detailDocument(tricky(900, ID_EDGE_VALUES), FIELDS);
    const written = await sameBothWays(doc, contacts, { hidden: ["u.hidden"] });
    expect(written, "rows written from their bytes").to.be.greaterThan(20);
  });

  it("writes every row of plain cells from its bytes, numbers and booleans as strings, nulls left out", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `{"u.id":{"value":${i % 2 ? i : `"c-${i}"`}},` +
      `"u.email":{"value":"u${i}@x.org"},"u.city":{"value":"Zürich ${i % 7}","rendered":"Z"},` +
      `"u.note":{"value":${i % 3 ? "null" : "true"}},"o.count":{"value":${i}},"o.total":{"value":${i / 8}}}`);
    expect(await sameBothWays(detailDocument(rows, FIELDS), contacts, { chunkSize: 1 << 20 })).to.equal(300);
  });

  it("gives the same bytes for ids trim() would change, empty, null or not a string (those rows parsed)", async () => {
    const ids = [...ID_EDGE_VALUES, '" "', '""', "null", '"a\\nb"', '"\\u0041"', "[1]", '{"a":1}', "12.5", "true", '"ok"'];
    const rows = ids.map((id) => `{"u.id":{"value":${id}},"u.city":{"value":"c"}}`);
    expect(await sameBothWays(detailDocument(rows, FIELDS), contacts)).to.equal(3);
  });

  it("gives the same bytes whatever the chunks (rows cut at a chunk's edge are parsed)", async () => {
    const small = detailDocument(tricky(120, ID_EDGE_VALUES), FIELDS);
    for (const size of [1, 7, 64, 333, 4096]) { await sameBothWays(small, contacts, { chunkSize: size }); }
  });

  it("leaves every row to the parsed way when properties would come out in another order", async () => {
    for (const names of [["a.b_c", "a_b.c"], ["__proto__"], ["123"]]) {
      const fields = { dimensions: [{ name: "u.id", tags: ["hubspot_contact_id"] }, ...names.map((name) => ({ name }))] };
      const cells = names.map((n, i) => `${JSON.stringify(n)}:{"value":"v${i}"}`).join(",");
      const rows = [`{"u.id":{"value":"a"},${cells}}`];
      expect(await sameBothWays(detailDocument(rows, fields), contacts), names.join()).to.equal(0);
    }
  });

  it("gives the same bytes for the shared fixture and the Looker requests' json_detail bodies", async () => {
    for (const body of fixtureDetailBodies("hubspot_contact_id")) { await sameBothWays(body, contacts); }
  });
});
