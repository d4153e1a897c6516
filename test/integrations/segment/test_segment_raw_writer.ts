// Segment messages written from the rows' bytes (segment_raw_writer.ts, on a row worker) are the
// bytes rowToMessage and serialize give for the same rows: every value kind, escapes, unicode,
// empty and missing cells, pivots, JSON in cells, huge cells, any chunking; and the rows it cannot
// copy are left to rowToMessage, never written otherwise.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { jsonDetailChunks, jsonDetailRawChunks } from "../../../src/data/rows/rows";
import type { RawOutput, RowMapper } from "../../../src/data/rows/row_mapping";
import { SegmentCall, SegmentMessage } from "../../../src/integrations/segment/segment_mapper";
import { segmentMapping, SegmentMappingArgs } from "../../../src/integrations/segment/segment_mapping";
import { chunkedDelivery } from "../../helpers/deliveries";

const UUID = /"anonymousId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"/;

/** A RawOutput collecting each record's text. */
class Collected implements RawOutput {
  private buf = Buffer.alloc(64);
  end = 0;
  readonly records: string[] = [];
  room(bytes: number): Buffer {
    if (this.end + bytes > this.buf.length) {
      const bigger = Buffer.alloc(2 * (this.end + bytes));
      this.buf.copy(bigger);
      this.buf = bigger;
    }
    return this.buf;
  }
  commit(_row: number, end: number): void {
    this.records.push(this.buf.toString("utf8", this.end, end));
    this.end = end;
  }
}

function argsFor(call: SegmentCall, event?: string): SegmentMappingArgs {
  return { call, event, app: { name: "looker-integration-service", version: "1.2.3" },
    idPrefix: 'looker-hook"\\é-', startedAt: Date.parse("2024-05-01T10:00:00Z") };
}

/** Each row's message (or rejection) as the parsed path gives it. */
async function parsedWay(doc: Buffer, args: SegmentMappingArgs, hidden: string[]): Promise<string[]> {
  const mapping = segmentMapping(args);
  const out: string[] = [];
  let mapper: RowMapper<SegmentMessage> | undefined;
  let rows = 0;
  for await (const chunk of jsonDetailChunks(chunkedDelivery(doc, "json_detail_lite_stream", 65536))) {
    for (const item of chunk) {
      if (item.kind === "fields") { mapper = mapping.prepare(item.fields, new Set(hidden)); }
      if (item.kind === "ran_at") { mapping.ranAt!(item.ranAt); }
      if (item.kind !== "row") { continue; }
      const mapped = mapper!.map(item.row, ++rows);
      out.push("rejected" in mapped ? `rejected: ${mapped.rejected}` : mapping.serialize!(mapped.record));
    }
  }
  return out;
}

/** The same as a row worker reads them: byte ranges written by writeRaw where it can; how many it wrote. */
async function rawWay(doc: Buffer, args: SegmentMappingArgs, hidden: string[], chunkSize: number) {
  const mapping = segmentMapping(args);
  const out: string[] = [];
  let mapper: RowMapper<SegmentMessage> | undefined;
  let rows = 0, written = 0;
  const mapRow = (row: unknown) => {
    const mapped = mapper!.map(row as never, ++rows);
    out.push("rejected" in mapped ? `rejected: ${mapped.rejected}` : mapping.serialize!(mapped.record));
  };
  for await (const chunk of jsonDetailRawChunks(chunkedDelivery(doc, "json_detail_lite_stream", chunkSize))) {
    for (const item of chunk) {
      if (item.kind === "fields") { mapper = mapping.prepare(item.fields, new Set(hidden)); }
      if (item.kind === "ran_at") { mapping.ranAt!(item.ranAt); }
      if (item.kind === "row") { mapRow(item.row); }
      if (item.kind !== "raw") { continue; }
      for (let k = 0; k < item.run.count; k++) {
        const collected = new Collected();
        if (mapper!.writeRaw?.(item.run, k, rows + 1, collected)) {
          rows++;
          written++;
          expect(collected.records).to.have.length(1);
          out.push(collected.records[0]);
        } else {
          expect(collected.records).to.have.length(0);
          mapRow(item.run.row(k));
        }
      }
    }
  }
  return { out, written };
}

/** Both ways give the same bytes for every row (a made-up anonymous id aside); answers how many were written raw. */
async function sameBothWays(doc: Buffer, args: SegmentMappingArgs, hidden: string[] = [], chunkSize = 65536) {
  const expected = await parsedWay(doc, args, hidden);
  const { out, written } = await rawWay(doc, args, hidden, chunkSize);
  expect(out.length).to.equal(expected.length);
  out.forEach((message, i) => {
    if (UUID.test(expected[i])) {
      expect(message.replace(UUID, "")).to.equal(expected[i].replace(UUID, ""), `row ${i + 1}`);
    } else {
      expect(message).to.equal(expected[i], `row ${i + 1}`);
      if (!message.startsWith("rejected")) { expect(JSON.parse(message)).to.deep.equal(JSON.parse(expected[i])); }
    }
  });
  return written;
}

const FIELDS = {
  dimensions: [
    { name: "u.id", tags: ["user_id"] }, { name: "u.anon", tags: ["segment_anonymous_id"] },
    { name: "u.email", tags: ["email"] }, { name: "g.id", tags: ["segment_group_id"] },
    { name: "u.city" }, { name: "u.note" }, { name: "u.hidden" },
  ],
  measures: [{ name: "o.count" }, { name: "o.total" }],
};

/** Value texts as Looker might write them (and some it would not), to go into `{"value": ...}`. */
const VALUES = [
  '"plain"', '""', "null", "true", "false", "0", "-0", "7", "-12", "123456789012345", "1234567890123456",
  "0.1", "1.5", "1.50", "1.0", "-0.25", "0.000001", "0.0000001", "1e5", "2E-3", "12345678.1234567",
  '"a \\"quoted\\" b"', '"back\\\\slash"', '"line\\nbreak\\ttab\\r\\b\\f"', '"slash\\/"', '"\\u00e9t\\u00e9"',
  '"\\u001f ctl"', '"é€😀 Zürich 東京"', '"\\ud83d\\ude00"', '"\\ud800 lone"', '"}},{\\"x\\":1"',
  '{"nested":[1,{"a":null}]}', "[1,2]", '"  spaced  "',
];

function cellText(value: string, i: number): string {
  switch (i % 4) {
    case 0: return `{"value":${value}}`;
    case 1: return `{"value":${value},"rendered":"r ${i}","links":[{"label":"}},{","url":"/x?a=1&b=\\/"}]}`;
    case 2: return `{ "rendered" : "r" , "value" : ${value} }`;
    default: return `{"links":[],"value":${value},"html":null}`;
  }
}

/** Rows combining every value kind in every role, some cells missing, some pivoted, bare or odd. */
function tricky(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const v = (k: number) => VALUES[(i * 7 + k * 3) % VALUES.length];
    const cells: string[] = [];
    if (i % 11 !== 5) { cells.push(`"u.id":${cellText(i % 3 ? `"id-${i}"` : v(0), i)}`); }
    if (i % 5 === 2) { cells.push(`"u.anon":${cellText(v(1), i)}`); }
    if (i % 13 !== 7) { cells.push(`"u.email":${cellText(v(2), i + 1)}`); }
    cells.push(`"g.id":${cellText(i % 4 ? `"g-${i % 10}"` : v(3), i + 2)}`);
    cells.push(`"u.city":${cellText(v(4), i + 3)}`);
    if (i % 9 !== 1) { cells.push(`"u.note":${i % 17 === 4 ? `"bare ${i}"` : i % 19 === 3 ? "null" : cellText(v(5), i)}`); }
    cells.push(`"u.hidden":${cellText(v(6), i)}`);
    cells.push(`"o.count":${i % 23 === 6 ? '{"2024":{"value":1},"2025":{"value":null}}' : cellText(v(7), i + 1)}`);
    cells.push(`"o.total":${cellText(v(8), i + 2)}`);
    if (i % 29 === 8) { cells.push(`"u.city":{"value":"second ${i}"}`); }
    if (i % 31 === 9) { cells.push('"u.c\\u0069ty":{"value":"escaped key"}'); }
    if (i % 37 === 10) { cells.reverse(); }
    if (i % 41 === 11) { cells.push('"other.field":{"value":"ignored"}'); }
    return `{${cells.join(i % 43 === 12 ? " ,\n " : ",")}}`;
  });
}

function document(rows: string[], fields: object = FIELDS): Buffer {
  return Buffer.from(`{"fields":${JSON.stringify(fields)},"ran_at":"2024-05-02T03:04:05+00:00","data":[` +
    `${rows.join(",")}]}`);
}

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
    const fixtures = [path.join(__dirname, "../../fixtures/json_detail_example.json")];
    const requests = path.join(__dirname, "../../fixtures/looker_requests");
    for (const file of fs.existsSync(requests) ? fs.readdirSync(requests) : []) {
      fixtures.push(path.join(requests, file));
    }
    let compared = 0;
    for (const file of fixtures.filter((f) => f.endsWith(".json"))) {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      const detail = (parsed.attachment as { data?: unknown } | undefined)?.data ?? parsed;
      const body = typeof detail === "string" ? detail : JSON.stringify(detail);
      if (!/"fields"/.test(body) || !/"data"\s*:\s*\[/.test(body)) { continue; }
      const fields = (JSON.parse(body) as { fields: { dimensions?: Array<{ name: string; tags?: string[] }> } }).fields;
      // Tag the first dimension as the user id so the rows are sent.
      const first = fields.dimensions?.[0];
      if (!first) { continue; }
      const tagged = body.replace(JSON.stringify(first), JSON.stringify({ ...first, tags: ["user_id"] }));
      await sameBothWays(Buffer.from(tagged), argsFor("identify"));
      compared++;
    }
    expect(compared).to.be.greaterThan(0);
  });
});
