// Marketo leads written from the rows' bytes (marketo_raw_writer.ts, on a row worker) are the bytes
// LeadMapper.map and JSON.stringify give for the same rows: every value kind, escapes, unicode,
// missing, null and empty cells, rows without the lookup value, pivots, any chunking; and the rows
// it cannot copy (a list or an object, which map() sends as JSON text) are left to map().
import { expect } from "chai";
import type { RowMapping } from "../../../src/data/rows/row_mapping";
import { marketoMapping } from "../../../src/integrations/marketo/marketo_destination";
import { detailDocument, fixtureDetailBodies, ID_EDGE_VALUES, sameBothWays, TRICKY_FIELDS, tricky }
  from "../../helpers/raw_ways";

const mapping = (lookupField = "email") => () => marketoMapping({ lookupField }) as RowMapping<unknown>;

/** tricky()'s fields, each a lead field: u.email is `email`, u.id is `id` and `externalId`. */
const FIELDS = {
  dimensions: TRICKY_FIELDS.dimensions.map((d) => ({
    name: d.name, tags: d.name === "u.id" ? ["marketo:id", "marketo:externalId"]
      : [d.name === "u.email" ? "marketo:email" : `marketo:${d.name.replace(".", "_")}`],
  })),
  measures: TRICKY_FIELDS.measures.map((m) => ({ name: m.name, tags: [`marketo:${m.name}`] })),
};

/** One row of `cells` under fields tagged `tags` (u.email the lookup field). */
function oneRow(tags: string[][], cells: string, email = '"a@x.org"'): Buffer {
  const fields = { dimensions: [{ name: "u.email", tags: ["marketo:email"] }, ...tags.map((t, i) => ({ name: `f${i}`, tags: t }))] };
  return detailDocument([`{"u.email":{"value":${email}}${cells ? `,${cells}` : ""}}`], fields);
}

describe("Marketo leads written from the rows' bytes (marketo_raw_writer.ts)", () => {
  it("gives the same bytes as the parsed way for every value kind and cell shape", async () => {
    const doc = detailDocument(tricky(900, ID_EDGE_VALUES), FIELDS);
    expect(await sameBothWays(doc, mapping(), { hidden: ["u.hidden"] }), "rows written raw").to.be.greaterThan(20);
    expect(await sameBothWays(doc, mapping("id"), { hidden: ["u.hidden"] })).to.be.greaterThan(20);
  });

  it("writes every row of plain cells from its bytes, null and \"\" left out", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `{"u.id":{"value":${i % 2 ? i : `"c-${i}"`}},` +
      `"u.email":{"value":"u${i}@x.org"},"u.city":{"value":${i % 5 ? `"Zürich ${i % 7}"` : '""'},"rendered":"Z"},` +
      `"u.note":{"value":${i % 3 ? "null" : "true"}},"o.count":{"value":${i}},"o.total":{"value":${i / 8}}}`);
    expect(await sameBothWays(detailDocument(rows, FIELDS), mapping(), { chunkSize: 1 << 20 })).to.equal(300);
  });

  it("leaves rows without a lookup value to the parsed way (rejected there)", async () => {
    for (const email of ["null", '""']) {
      expect(await sameBothWays(oneRow([["marketo:city"]], '"f0":{"value":"c"}', email), mapping()), email).to.equal(0);
    }
    const fields = { dimensions: [{ name: "u.email", tags: ["marketo:email"] }, { name: "f0", tags: ["marketo:city"] }] };
    expect(await sameBothWays(detailDocument(['{"f0":{"value":"c"}}'], fields), mapping())).to.equal(0);
  });

  it("gives the same bytes whatever the chunks (rows cut at a chunk's edge are parsed)", async () => {
    const small = detailDocument(tricky(120, ID_EDGE_VALUES), FIELDS);
    for (const size of [1, 7, 64, 333, 4096]) { await sameBothWays(small, mapping(), { chunkSize: size }); }
  });

  it("leaves a row with a list, an object, a pivot or a \\u escape to the parsed way", async () => {
    for (const cell of ['"f0":{"value":[1,2]}', '"f0":{"value":{"a":1}}', '"f0":{"2024":{"value":1}}',
      '"f0":{"value":"\\u00e9"}']) {
      expect(await sameBothWays(oneRow([["marketo:city"]], cell), mapping()), cell).to.equal(0);
    }
    expect(await sameBothWays(oneRow([], "", "[1]"), mapping())).to.equal(0);
  });

  it("writes a field that is three lead fields three times, in room enough for them", async () => {
    const doc = oneRow([["marketo:a", "marketo:b", "marketo:c"]], `"f0":{"value":"${"x".repeat(5000)}"}`);
    expect(await sameBothWays(doc, mapping(), { chunkSize: 1 << 20 })).to.equal(1);
  });

  it("leaves every row to the parsed way when the lead's fields would come out in another order", async () => {
    for (const tags of [[["marketo:a"], ["marketo:a"]], [["marketo:7"]], [["marketo:__proto__"]], [["marketo:email"]]]) {
      const cells = tags.map((_, i) => `"f${i}":{"value":"v${i}"}`).join(",");
      expect(await sameBothWays(oneRow(tags, cells), mapping()), tags.join()).to.equal(0);
    }
    const fields = { dimensions: [{ name: "u.email", tags: ["marketo:email"] }, { name: "__proto__", tags: ["marketo:p"] }] };
    expect(await sameBothWays(detailDocument(['{"u.email":{"value":"a"}}'], fields), mapping())).to.equal(0);
  });

  it("gives the same bytes for the shared fixture and the Looker requests' json_detail bodies", async () => {
    for (const body of fixtureDetailBodies("marketo:email")) { await sameBothWays(body, mapping()); }
  });
});
