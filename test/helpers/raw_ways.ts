// Rows written from their bytes (a RowMapper's raw writer, on a row worker) against the parsed way
// (map, then serialize) for the same rows: sameBothWays runs both and asks the same bytes for every
// row. tricky() makes rows of every value kind and cell shape. Used by each raw writer's tests.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { jsonDetailChunks, jsonDetailRawChunks } from "../../src/data/rows/rows";
import type { RawOutput, RowMapper, RowMapping } from "../../src/data/rows/row_mapping";
import { chunkedDelivery } from "./deliveries";

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

type Mapping = RowMapping<unknown>;

function serialized(mapping: Mapping, mapped: ReturnType<RowMapper<unknown>["map"]>): string {
  return "rejected" in mapped ? `rejected: ${mapped.rejected}`
    : mapping.serialize ? mapping.serialize(mapped.record) : JSON.stringify(mapped.record);
}

/** Each row's record (or rejection) as the parsed path gives it. */
async function parsedWay(doc: Buffer, mapping: Mapping, hidden: string[]): Promise<string[]> {
  const out: string[] = [];
  let mapper: RowMapper<unknown> | undefined;
  let rows = 0;
  for await (const chunk of jsonDetailChunks(chunkedDelivery(doc, "json_detail_lite_stream", 65536))) {
    for (const item of chunk) {
      if (item.kind === "fields") { mapper = mapping.prepare(item.fields, new Set(hidden)); }
      if (item.kind === "ran_at") { mapping.ranAt?.(item.ranAt); }
      if (item.kind !== "row") { continue; }
      out.push(serialized(mapping, mapper!.map(item.row, ++rows)));
    }
  }
  return out;
}

/** The same as a row worker reads them: byte ranges written by the raw writer where it can; how many it wrote. */
async function rawWay(doc: Buffer, mapping: Mapping, hidden: string[], chunkSize: number) {
  const out: string[] = [];
  let mapper: RowMapper<unknown> | undefined;
  let rows = 0, written = 0;
  for await (const chunk of jsonDetailRawChunks(chunkedDelivery(doc, "json_detail_lite_stream", chunkSize))) {
    for (const item of chunk) {
      if (item.kind === "fields") { mapper = mapping.prepare(item.fields, new Set(hidden)); }
      if (item.kind === "ran_at") { mapping.ranAt?.(item.ranAt); }
      if (item.kind === "row") { out.push(serialized(mapping, mapper!.map(item.row, ++rows))); }
      if (item.kind !== "raw") { continue; }
      for (let k = 0; k < item.run.count; k++) {
        const collected = new Collected();
        if (mapper!.raw?.write(item.run, k, rows + 1, collected)) {
          rows++;
          written++;
          expect(collected.records).to.have.length(1);
          out.push(collected.records[0]);
        } else {
          expect(collected.records).to.have.length(0);
          out.push(serialized(mapping, mapper!.map(item.run.row(k) as never, ++rows)));
        }
      }
    }
  }
  return { out, written };
}

export interface BothWaysOptions {
  hidden?: string[];
  chunkSize?: number;
  /** Made-up parts (a random id) taken out of both before comparing. */
  normalize?: (record: string) => string;
}

/**
 * Both ways give the same bytes for every row; answers how many were written raw. `mapping`
 * makes a fresh mapping (each way gets its own).
 */
export async function sameBothWays(doc: Buffer, mapping: () => Mapping,
  options: BothWaysOptions = {}): Promise<number> {
  const { hidden = [], chunkSize = 65536, normalize = (r: string) => r } = options;
  const expected = await parsedWay(doc, mapping(), hidden);
  const { out, written } = await rawWay(doc, mapping(), hidden, chunkSize);
  expect(out.length).to.equal(expected.length);
  out.forEach((record, i) => {
    expect(normalize(record)).to.equal(normalize(expected[i]), `row ${i + 1}`);
    if (!record.startsWith("rejected") && normalize(record) === record) {
      expect(JSON.parse(record)).to.deep.equal(JSON.parse(expected[i]));
    }
  });
  return written;
}

/** The fields tricky() writes cells for (tags as Segment reads them; a test may give its own). */
export const TRICKY_FIELDS = {
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

/** More values for a test that asks (tricky's `extra`): ends an id's trim would cut. */
export const ID_EDGE_VALUES = ['" lead"', '"trail\\t"', '"\\u00a0nbsp"', '"nbsp\u00a0"', '"\\\\"', '"\\u2028"'];

function cellText(value: string, i: number): string {
  switch (i % 4) {
    case 0: return `{"value":${value}}`;
    case 1: return `{"value":${value},"rendered":"r ${i}","links":[{"label":"}},{","url":"/x?a=1&b=\\/"}]}`;
    case 2: return `{ "rendered" : "r" , "value" : ${value} }`;
    default: return `{"links":[],"value":${value},"html":null}`;
  }
}

/** Rows combining every value kind in every role, some cells missing, some pivoted, bare or odd. */
export function tricky(count: number, extra: string[] = []): string[] {
  const values = [...VALUES, ...extra];
  return Array.from({ length: count }, (_, i) => {
    const v = (k: number) => values[(i * 7 + k * 3) % values.length];
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

/** A json_detail_lite_stream document of `rows`. */
export function detailDocument(rows: string[], fields: object = TRICKY_FIELDS): Buffer {
  return Buffer.from(`{"fields":${JSON.stringify(fields)},"ran_at":"2024-05-02T03:04:05+00:00","data":[` +
    `${rows.join(",")}]}`);
}

/**
 * The shared fixture's and the Looker requests' json_detail bodies, each as one document, its first
 * dimension tagged `tag` (the tag a destination needs to send the rows).
 */
export function fixtureDetailBodies(tag: string): Buffer[] {
  const fixtures = [path.join(__dirname, "../fixtures/json_detail_example.json")];
  const requests = path.join(__dirname, "../fixtures/looker_requests");
  for (const file of fs.existsSync(requests) ? fs.readdirSync(requests) : []) {
    fixtures.push(path.join(requests, file));
  }
  const bodies: Buffer[] = [];
  for (const file of fixtures.filter((f) => f.endsWith(".json"))) {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    const detail = (parsed.attachment as { data?: unknown } | undefined)?.data ?? parsed;
    const body = typeof detail === "string" ? detail : JSON.stringify(detail);
    if (!/"fields"/.test(body) || !/"data"\s*:\s*\[/.test(body)) { continue; }
    const first = (JSON.parse(body) as { fields: { dimensions?: Array<{ name: string }> } }).fields.dimensions?.[0];
    if (!first) { continue; }
    bodies.push(Buffer.from(body.replace(JSON.stringify(first), JSON.stringify({ ...first, tags: [tag] }))));
  }
  expect(bodies.length, "json_detail fixtures").to.be.greaterThan(0);
  return bodies;
}
