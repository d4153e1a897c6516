// Salesforce campaign members written from the rows' bytes (campaign_members_raw_writer.ts, on a row
// worker) are the bytes MemberMapper.map and JSON.stringify give for the same rows: contact ids,
// lead ids when the contact cell is missing or null, ids trim() would change or that are no
// Salesforce id, every value kind, escapes, pivots, any chunking; the rows it cannot copy are left
// to map() (which may reject them), never written otherwise.
import { expect } from "chai";
import type { RowMapping } from "../../../src/data/rows/row_mapping";
import { campaignMembersMapping } from "../../../src/integrations/salesforce/campaign_members_mapping";
import { detailDocument, fixtureDetailBodies, ID_EDGE_VALUES, sameBothWays, TRICKY_FIELDS, tricky }
  from "../../helpers/raw_ways";

const mapping = () => campaignMembersMapping() as RowMapping<unknown>;

/** tricky()'s fields with u.id as the contact and u.anon as the lead. */
const FIELDS = {
  dimensions: TRICKY_FIELDS.dimensions.map((d) => ({ name: d.name,
    tags: d.name === "u.id" ? ["sfdc_contact_id"] : d.name === "u.anon" ? ["sfdc_lead_id"] : [] })),
  measures: TRICKY_FIELDS.measures,
};

const ID15 = "003000000000001", ID18 = "00Q000000000002AAA";
/** Contact or lead cells (`undefined`: no cell): ids, not ids, values map() trims or passes over. */
const CELLS = [`"${ID15}"`, `"${ID18}"`, "null", undefined, '""', `" ${ID15}"`, `"${ID15}\\t"`, "123456789012345", "10000000000000000",
  `"${ID15}x"`, `"${ID15.slice(1)}"`, '"003000000000-01"', `"\\u0030${ID15.slice(1)}"`, "[1]", '{"a":1}', "true",
  ...ID_EDGE_VALUES];

function rows(): string[] {
  const out: string[] = [];
  CELLS.forEach((contact, i) => CELLS.forEach((lead, j) => {
    const cells = [`"u.email":{"value":"p${i}-${j}@x.org"}`];
    if (contact !== undefined) { cells.push(`"u.id":{"value":${contact}}`); }
    if (lead !== undefined) { cells.push(`"u.anon":{"value":${lead},"rendered":"r"}`); }
    out.push(`{${(i + j) % 3 ? cells.join(",") : cells.reverse().join(" , ")}}`);
  }));
  // A contact under an escaped key (parsed: it is the contact), and a contact cell twice (the last counts).
  out.push(`{"u.anon":{"value":"${ID18}"},"u.\\u0069d":{"value":"${ID15}"}}`);
  out.push(`{"u.id":{"value":"not an id"},"u.id":{"value":"${ID15}"}}`);
  return out;
}

describe("Salesforce campaign members written from the rows' bytes (campaign_members_raw_writer.ts)", () => {
  it("gives the same bytes as the parsed way for contact and lead ids of every kind", async () => {
    const written = await sameBothWays(detailDocument(rows(), FIELDS), mapping);
    // Contact ID15 or ID18 with any lead (2 × 21), a missing or null contact with a lead of either (2 × 2),
    // and the contact cell twice.
    expect(written, "rows written from their bytes").to.equal(2 * CELLS.length + 5);
  });

  it("gives the same bytes for tricky rows, escaped keys, pivots and cells twice", async () => {
    const contactRows = tricky(300, ID_EDGE_VALUES)
      .map((row, i) => row.replace(`"id-${i}"`, `"003${String(i).padStart(12, "0")}"`));
    expect(await sameBothWays(detailDocument(contactRows, FIELDS), mapping)).to.be.greaterThan(20);
  });

  it("gives the same bytes whatever the chunks (rows cut at a chunk's edge are parsed)", async () => {
    const doc = detailDocument(rows(), FIELDS);
    for (const size of [1, 7, 64, 333, 4096]) { await sameBothWays(doc, mapping, { chunkSize: size }); }
  });

  it("writes only the contact when the query has no lead field, only the lead when it has no contact", async () => {
    for (const tag of ["sfdc_contact_id", "sfdc_lead_id"]) {
      const fields = { dimensions: [{ name: "u.id", tags: [tag] }] };
      const doc = detailDocument([`{"u.id":{"value":"${ID15}"}}`, '{"u.id":{"value":null}}', "{}"], fields);
      expect(await sameBothWays(doc, mapping), tag).to.equal(1);
    }
  });

  it("gives the same bytes for the shared fixture and the Looker requests' json_detail bodies", async () => {
    for (const body of fixtureDetailBodies("sfdc_contact_id")) { await sameBothWays(body, mapping); }
  });
});
