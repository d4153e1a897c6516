import { expect } from "chai";
import { RowRuns } from "../../../src/data/json/row_runs";
import { jsonDetailItems, JsonDetailItem } from "../../../src/data/rows/rows";
import { chunkedDelivery } from "../../helpers/deliveries";

/** Rows made to mislead a guess at where a row ends: the end pattern in strings, nesting, escapes. */
function trickyRows(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    "users.id": { value: i, rendered: String(i), links: [{ label: "}},{", url: `/x?f=${i}` }, { label: "b" }] },
    "users.name": { value: i % 3 ? `a "}},{" b \\ ${i} é€😀` : null },
    "orders.pivot": { "2024": { value: i * 1.5 }, "2025": { value: { nested: { deep: "}}" } } } },
  }));
}

async function rowsOf(doc: Buffer, chunkSize: number): Promise<unknown[]> {
  const rows: unknown[] = [];
  for await (const item of jsonDetailItems(chunkedDelivery(doc, "json_detail", chunkSize))) {
    if (item.kind === "row") { rows.push((item as Extract<JsonDetailItem, { kind: "row" }>).row); }
  }
  return rows;
}

describe("row runs (the rows lying whole in a chunk, parsed at once)", () => {
  it("reads the same rows as row by row, whatever the chunks and whatever the rows hold", async () => {
    const data = trickyRows(40);
    const doc = Buffer.from(JSON.stringify({ fields: { dimensions: [] }, data }));
    for (const size of [1, 2, 3, 5, 17, 64, 100, 257, 1000, 4096, doc.length]) {
      expect(await rowsOf(doc, size), `chunks of ${size}`).to.deep.equal(data);
    }
  });

  it("reads rows separated by whitespace and json_detail_lite_stream cells", async () => {
    const data = Array.from({ length: 300 }, (_, i) => ({ a: { value: `v${i}` }, b: { value: i } }));
    const text = data.map((r, i) => (i === 0 ? "" : i % 50 ? "," : " ,\n ") + JSON.stringify(r)).join("");
    const doc = Buffer.from(`{"fields":{},"data":[\n${text}\n]}`);
    const take = RowRuns.prototype.take;
    let taken = 0;
    RowRuns.prototype.take = function(this: RowRuns, ...args: Parameters<typeof take>) {
      const run = take.apply(this, args);
      taken += run ? run.values.length : 0;
      return run;
    };
    try {
      for (const size of [7, 300, 65536]) { expect(await rowsOf(doc, size)).to.deep.equal(data); }
    } finally {
      RowRuns.prototype.take = take;
    }
    expect(taken).to.be.greaterThan(300);
  });

  it("fails at a broken row after the rows before it, as row by row", async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `{"a":{"value":${i}}}`);
    rows[6] = '{"a":{"value":tru}}';
    const doc = Buffer.from(`{"fields":{},"data":[${rows.join(",")}]}`);
    const taken: unknown[] = [];
    let failure: unknown;
    try {
      for await (const item of jsonDetailItems(chunkedDelivery(doc, "json_detail", 4096))) {
        if (item.kind === "row") { taken.push(item.row); }
      }
    } catch (err) {
      failure = err;
    }
    expect(String(failure)).to.match(/could not be read/);
    expect(taken).to.deep.equal(Array.from({ length: 6 }, (_, i) => ({ a: { value: i } })));
  });

  it("tries once a chunk, only from a row's start, and stops after a few wrong guesses", () => {
    const runs = new RowRuns();
    const good = Buffer.from('{"a":{"value":1}},{"a":{"value":2}},{"a":');
    const run = { values: [{ a: { value: 1 } }, { a: { value: 2 } }], end: 35 };
    expect(runs.take(good, 0, 0)).to.deep.equal(run);
    expect(runs.take(good, 36, 0)).to.equal(undefined);
    // The same Buffer object fed again is another chunk of the document.
    expect(runs.take(good, 0, good.length)).to.deep.equal(run);
    for (let k = 1; k <= 3; k++) {
      expect(runs.take(Buffer.from('{"a":"x}},{"'), 0, 1000 * k)).to.equal(undefined);
    }
    expect(runs.take(Buffer.from('{"a":{"value":1}},{"a":'), 0, 5000)).to.equal(undefined);
  });

  it("parses at most a megabyte at once, however big the chunk", () => {
    const row = `{"a":{"value":"${"x".repeat(1000)}"}}`;
    const buf = Buffer.from(Array.from({ length: 3000 }, () => row).join(","));
    const run = new RowRuns().take(buf, 0, 0)!;
    expect(run.end).to.be.at.most(1024 * 1024);
    expect(run.values.length).to.equal(Math.floor((1024 * 1024 + 1) / (row.length + 1)));
  });
});
