// mParticle user data batches written from the rows' bytes (mparticle_raw_writer.ts, on a row
// worker) are the bytes MparticleMapper.map and JSON.stringify give for the same rows: every value
// kind, null and empty values left out, rows without an identity, escapes, unicode, pivots, any
// chunking; the rows it cannot copy are left to map(), and event data is always mapped.
import { expect } from "chai";
import type { RowMapping } from "../../../src/data/rows/row_mapping";
import { DataType, mparticleMapping } from "../../../src/integrations/mparticle/mparticle_mapping";
import { detailDocument, fixtureDetailBodies, ID_EDGE_VALUES, sameBothWays, TRICKY_FIELDS, tricky }
  from "../../helpers/raw_ways";

const mapping = (dataType: DataType = "user_data") => () =>
  mparticleMapping({ dataType, environment: "production", requestIdPrefix: 'looker-"é-' }) as RowMapping<unknown>;

/** tricky()'s fields with mParticle's identity tags. */
const TAGS: Record<string, string[]> = {
  "u.id": ["mp_customer_id"], "u.email": ["mp_email"], "u.anon": ["mp_other"], "g.id": ["mp_event_name"],
};
const FIELDS = {
  dimensions: TRICKY_FIELDS.dimensions.map((d) => ({ name: d.name, tags: TAGS[d.name] ?? [] })),
  measures: TRICKY_FIELDS.measures,
};

describe("mParticle batches written from the rows' bytes (mparticle_raw_writer.ts)", () => {
  it("gives the same bytes as the parsed way for every value kind and cell shape", async () => {
    const doc = detailDocument(tricky(900, ID_EDGE_VALUES), FIELDS);
    const written = await sameBothWays(doc, mapping(), { hidden: ["u.hidden"] });
    expect(written, "rows written from their bytes").to.be.greaterThan(20);
  });

  it("writes every row of plain cells from its bytes, null and empty values left out", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `{"u.id":{"value":${i % 2 ? i : `"c-${i}"`}},` +
      `"u.email":{"value":${i % 5 ? `"u${i}@x.org"` : '""'}},"u.city":{"value":"Zürich ${i % 7}","rendered":"Z"},` +
      `"u.note":{"value":${i % 3 ? "null" : "true"}},"o.count":{"value":${i}},"o.total":{"value":${i / 8}}}`);
    expect(await sameBothWays(detailDocument(rows, FIELDS), mapping(), { chunkSize: 1 << 20 })).to.equal(300);
  });

  it("leaves rows without an identity to the parsed way (rejected there)", async () => {
    const rows = ['{"u.id":{"value":null},"u.email":{"value":""},"u.city":{"value":"c"}}', '{"u.city":{"value":"c"}}'];
    expect(await sameBothWays(detailDocument(rows, FIELDS), mapping())).to.equal(0);
  });

  it("leaves every row to the parsed way for a field named __proto__ (a row without it reads Object.prototype)", async () => {
    const fields = { dimensions: [{ name: "u.id", tags: ["mp_customer_id"] }, { name: "__proto__" }] };
    expect(await sameBothWays(detailDocument(['{"u.id":{"value":"a"}}'], fields), mapping())).to.equal(0);
  });

  it("gives the same bytes whatever the chunks (rows cut at a chunk's edge are parsed)", async () => {
    const small = detailDocument(tricky(120), FIELDS);
    for (const size of [1, 7, 64, 333, 4096]) { await sameBothWays(small, mapping(), { chunkSize: size }); }
  });

  it("maps every row of event data the parsed way", async () => {
    expect(await sameBothWays(detailDocument(tricky(200), FIELDS), mapping("event_data"))).to.equal(0);
  });

  it("gives the same bytes for the shared fixture and the Looker requests' json_detail bodies", async () => {
    for (const body of fixtureDetailBodies("mp_customer_id")) { await sameBothWays(body, mapping()); }
  });
});
