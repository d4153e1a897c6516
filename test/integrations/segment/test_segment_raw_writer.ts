// Segment messages written from the rows' bytes (segment_raw_writer.ts, on a row worker) are the
// bytes rowToMessage and serialize give for the same rows: every value kind, escapes, unicode,
// empty and missing cells, pivots, JSON in cells, huge cells, any chunking; and the rows it cannot
// copy are left to rowToMessage, never written otherwise.
import { expect } from "chai";
import type { RowMapping } from "../../../src/data/rows/row_mapping";
import type { SegmentCall } from "../../../src/integrations/segment/segment_mapper";
import { segmentMapping, SegmentMappingArgs } from "../../../src/integrations/segment/segment_mapping";
import { detailDocument, fixtureDetailBodies, sameBothWays as sameWays, tricky } from "../../helpers/raw_ways";

const UUID = /"anonymousId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"/;

function argsFor(call: SegmentCall, event?: string): SegmentMappingArgs {
  return { call, event, app: { name: "looker-integration-service", version: "1.2.3" },
    idPrefix: 'looker-hook"\\é-', startedAt: Date.parse("2024-05-01T10:00:00Z") };
}

/** Both ways give the same bytes for every row (a made-up anonymous id aside); answers how many were written raw. */
function sameBothWays(doc: Buffer, args: SegmentMappingArgs, hidden: string[] = [], chunkSize = 65536) {
  return sameWays(doc, () => segmentMapping(args) as RowMapping<unknown>,
    { hidden, chunkSize, normalize: (m) => m.replace(UUID, "") });
}

const document = detailDocument;

describe("Segment messages written from the rows' bytes (segment_raw_writer.ts)", () => {
  const doc = document(tricky(600));

  for (const [call, event] of [["identify"], ["track", 'Order "placed"'], ["track"], ["group"]] as
    Array<[SegmentCall, string?]>) {
    it(`gives the same bytes as the parsed way for ${call}${event ? " with an event" : ""}, every value kind and cell shape`,
      async () => {
        const written = await sameBothWays(doc, argsFor(call, event), ["u.hidden"]);
        expect(written, "rows written from their bytes").to.be.greaterThan(10);
      });
  }

  it("writes every row of plain cells from its bytes", async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `{"u.id":{"value":"id-${i}"},"u.email":{"value":"u${i}@x.org"},` +
      `"u.city":{"value":"Zürich ${i % 7}","rendered":"Z"},"u.note":{"value":${i % 3 ? "null" : "true"}},` +
      `"o.count":{"value":${i}},"o.total":{"value":${i / 8}}}`);
    expect(await sameBothWays(document(rows), argsFor("track", "e"), [], 1 << 20)).to.equal(500);
  });

  it("gives the same bytes whatever the chunks (rows cut at a chunk's edge are parsed)", async () => {
    const small = document(tricky(120));
    for (const size of [1, 7, 64, 333, 4096]) { await sameBothWays(small, argsFor("identify"), [], size); }
  });

  it("gives the same bytes for invalid UTF-8 in values and keys (the parsed way's U+FFFD)", async () => {
    const rows = [0, 1, 2].map((i) => Buffer.concat([Buffer.from(`{"u.id":{"value":"id-${i}"},"u.city":{"value":"a`),
      Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from(`b"},"o.t${i}`), Buffer.from([0xe9]),
      Buffer.from('":{"value":1}}')]).toString("latin1"));
    const doc2 = Buffer.from(document([]).toString("latin1").replace("[]}", `[${rows.join(",")}]}`), "latin1");
    const fields = { dimensions: [{ name: "u.id", tags: ["user_id"] }, { name: "u.city" }, { name: "o.t1\ufffd" }] };
    const fixed = Buffer.concat([Buffer.from(`{"fields":${JSON.stringify(fields)},`), doc2.subarray(doc2.indexOf('"ran_at"'))]);
    await sameBothWays(fixed, argsFor("identify"));
  });

  it("gives the same bytes for a huge cell (a message past Segment's 32 KB counts the same bytes)", async () => {
    const big = "x".repeat(40_000);
    const rows = [`{"u.id":{"value":"a"},"u.note":{"value":"${big}"}}`, `{"u.id":{"value":"b"},"u.note":{"value":"é${big}"}}`];
    expect(await sameBothWays(document(rows), argsFor("identify"), [], 1 << 20)).to.equal(2);
  });

  it("leaves every row to the parsed way when traits keys would come out in another order", async () => {
    for (const name of ["email", "123", "__proto__"]) {
      const fields = { dimensions: [{ name: "u.id", tags: ["user_id"] }, { name }] };
      const rows = [`{"u.id":{"value":"a"},${JSON.stringify(name)}:{"value":"v"}}`];
      expect(await sameBothWays(document(rows, fields), argsFor("identify")), name).to.equal(0);
    }
  });

  it("gives the same bytes for the shared fixture and the Looker requests' json_detail bodies", async () => {
    for (const body of fixtureDetailBodies("user_id")) { await sameBothWays(body, argsFor("identify")); }
  });
});
