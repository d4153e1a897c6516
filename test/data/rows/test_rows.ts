import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { UserError } from "../../../src/lib/errors";
import { countDelivery } from "../../../src/data/rows/row_count";
import { csvRows, jsonDetailChunks, JsonDetailItem, jsonDetailItems, jsonRows } from "../../../src/data/rows/rows";
import { setSpoolDirectory } from "../../../src/data/delivery/spool";
import { chunkedDelivery, eventually, openFilesIn, tempSpoolDir } from "../../helpers/deliveries";

const FIXTURE = fs.readFileSync(path.join(__dirname, "../../fixtures/json_detail_example.json"));

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) { out.push(item); }
  return out;
}

function generatedRows(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    "users.id": { value: i },
    "users.name": { value: `name "${i}", \\ ${"é".repeat(i % 3)}`, rendered: `<b>${i}</b>` },
    "orders.count": { "2024-01": { value: i * 2 }, "2024-02": { value: null } },
  }));
}

describe("row readers", () => {
  let spoolDir: string;
  beforeEach(() => { spoolDir = tempSpoolDir(); setSpoolDirectory(spoolDir); });
  afterEach(() => { fs.rmSync(spoolDir, { recursive: true, force: true }); });

  it("tells the delivery how many rows each reader yielded, for the metrics", async () => {
    const detail = chunkedDelivery(FIXTURE, "json_detail", 4096);
    let detailRows = 0;
    detail.noteRows = (n: number) => { detailRows += n; };
    await collect(jsonDetailItems(detail));
    expect(detailRows).to.equal(JSON.parse(FIXTURE.toString()).data.length);
    const csv = chunkedDelivery(Buffer.from("a,b\n1,2\n3,4\n5,6\n"), "csv", 5);
    let csvCount = 0;
    csv.noteRows = (n: number) => { csvCount += n; };
    await collect(csvRows(csv));
    expect(csvCount).to.equal(3);
  });

  it("reads the real json_detail example: fields, then ran_at (before data there), then each row", async () => {
    const expected = JSON.parse(FIXTURE.toString());
    for (const chunkSize of [1, 13, 4096]) {
      const items = await collect(jsonDetailItems(chunkedDelivery(FIXTURE, "json_detail", chunkSize)));
      expect(items[0]).to.deep.equal({ kind: "fields", fields: expected.fields });
      expect(items[1]).to.deep.equal({ kind: "ran_at", ranAt: "2017-07-28T02:25:19+00:00" });
      expect(items.slice(2)).to.deep.equal(expected.data.map((row: unknown) => ({ kind: "row", row })));
    }
  });

  it("yields ran_at right after the fields wherever it is before data, and last when it follows the rows", async () => {
    const rows = generatedRows(3);
    const fields = { dimensions: [{ name: "users.id" }] };
    const kinds = async (doc: object) => (await collect(jsonDetailItems(
      chunkedDelivery(JSON.stringify(doc), "json_detail_lite_stream", 7)))).map((i) => i.kind);
    const early = ["fields", "ran_at", "row", "row", "row"];
    expect(await kinds({ ran_at: "t", fields, data: rows })).to.deep.equal(early);
    expect(await kinds({ fields, ran_at: "t", data: rows })).to.deep.equal(early);
    expect(await kinds({ fields, data: rows, ran_at: "t" })).to.deep.equal(["fields", "row", "row", "row", "ran_at"]);
    expect(await kinds({ ran_at: null, fields, data: rows })).to.deep.equal(["fields", "row", "row", "row"]);
    expect(await kinds({ ran_at: "t", data: [] })).to.deep.equal(["fields", "ran_at"]);
  });

  it("yields fields first even when the rows come before them, then ran_at, and frees the spool", async () => {
    const rows = generatedRows(500);
    const fields = { dimensions: [{ name: "users.id" }] };
    const doc = JSON.stringify({ data: rows, ran_at: "2024-03-01T00:00:00Z", fields });
    const items = await collect(jsonDetailItems(chunkedDelivery(doc, "json_detail_lite_stream", 1000)));
    expect(items[0]).to.deep.equal({ kind: "fields", fields });
    // The rows waited in the spool until the whole document was read, so ran_at is known before them.
    expect(items[1]).to.deep.equal({ kind: "ran_at", ranAt: "2024-03-01T00:00:00Z" });
    expect(items.slice(2).map((i) => (i as { row: unknown }).row)).to.deep.equal(rows);
    await eventually(() => openFilesIn(spoolDir).length === 0);
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
  });

  it("frees the spool when the reader stops early or the data is broken", async () => {
    const doc = JSON.stringify({ data: generatedRows(200), fields: {} });
    for await (const item of jsonDetailItems(chunkedDelivery(doc, "json_detail", 512))) {
      if (item.kind === "row") { break; }
    }
    await eventually(() => openFilesIn(spoolDir).length === 0);
    const broken = doc.slice(0, doc.length - 40);
    let error: unknown;
    try { await collect(jsonDetailItems(chunkedDelivery(broken, "json_detail", 512))); } catch (err) { error = err; }
    expect(error).to.be.instanceOf(UserError);
    expect((error as Error).message).to.match(/json_detail data from Looker could not be read/);
    await eventually(() => openFilesIn(spoolDir).length === 0);
    expect(fs.readdirSync(spoolDir)).to.deep.equal([]);
  });

  it("gives backpressure: the source is read only as rows are taken", async () => {
    const doc = Buffer.from(JSON.stringify({ fields: {}, data: generatedRows(5000) }));
    let chunksRead = 0;
    const delivery = chunkedDelivery(doc, "json_detail", 1024);
    const original = delivery.stream.bind(delivery);
    delivery.stream = async () => {
      const readable = await original();
      readable.on("data", () => { chunksRead++; });
      return readable;
    };
    const iterator = jsonDetailItems(delivery)[Symbol.asyncIterator]();
    for (let k = 0; k < 3; k++) { await iterator.next(); }
    const total = Math.ceil(doc.length / 1024);
    expect(chunksRead).to.be.lessThan(total / 4);
    await iterator.return(undefined);
  });

  it("reads a chunk at a time, parsing each row only as it is taken, and fails clearly on a broken row", async () => {
    const rows = generatedRows(50);
    const doc = Buffer.from(JSON.stringify({ fields: { dimensions: [] }, data: rows }));
    const delivery = chunkedDelivery(doc, "json_detail", 300);
    let noted = 0;
    delivery.noteRows = (n: number) => { noted += n; };
    const chunks: JsonDetailItem[][] = [];
    for await (const chunk of jsonDetailChunks(delivery)) {
      const before = noted;
      const items = [...chunk];
      expect(noted - before).to.equal(items.filter((i) => i.kind === "row").length);
      chunks.push(items);
    }
    expect(chunks.length).to.be.greaterThan(5);
    expect(chunks.flat().filter((i) => i.kind === "row").map((i) => (i as { row: unknown }).row)).to.deep.equal(rows);
    const broken = Buffer.from('{"fields":{},"data":[{"a":{"value":1}},{"a":{"value":tru}}]}');
    const taken: JsonDetailItem[] = [];
    let failure: unknown;
    try {
      for await (const chunk of jsonDetailChunks(chunkedDelivery(broken, "json_detail", 4096))) {
        for (const item of chunk) { taken.push(item); }
      }
    } catch (err) {
      failure = err;
    }
    expect(taken.map((i) => i.kind)).to.deep.equal(["fields", "row"]);
    expect(failure).to.be.instanceOf(UserError);
    expect((failure as Error).message).to.match(/could not be read: The JSON value at "data" is not valid JSON/);
  });

  it("reads json rows as an array of objects and refuses other shapes", async () => {
    const rows = [{ "a.b": 1, "c": "x\ny" }, { "a.b": 2, "c": null }];
    expect(await collect(jsonRows(chunkedDelivery(JSON.stringify(rows), "json", 3)))).to.deep.equal(rows);
    expect(await collect(jsonRows(chunkedDelivery("[]", "json")))).to.deep.equal([]);
    let error: unknown;
    try { await collect(jsonRows(chunkedDelivery('{"not": "rows"}', "json"))); } catch (err) { error = err; }
    expect(error).to.be.instanceOf(UserError);
  });

  it("reads csv rows with quotes, embedded newlines and a BOM", async () => {
    const csv = '\ufeffName,Note\r\n"Smith, J","said ""hi""\nthen left"\r\nLee,\r\n';
    expect(await collect(csvRows(chunkedDelivery(csv, "csv", 5)))).to.deep.equal([
      { Name: "Smith, J", Note: 'said "hi"\nthen left' },
      { Name: "Lee", Note: "" },
    ]);
  });

  it("reports broken csv as a user error", async () => {
    let error: unknown;
    try { await collect(csvRows(chunkedDelivery('a,b\n"unclosed,2\n', "csv"))); } catch (err) { error = err; }
    expect(error).to.be.instanceOf(UserError);
    expect((error as Error).message).to.match(/CSV data from Looker could not be read/);
  });

  it("counts bytes and rows of every row format without parsing rows", async () => {
    const csv = 'a,b\n1,"x\ny"\n2,z';
    expect(await countDelivery(chunkedDelivery(csv, "csv", 3))).to.deep.equal({ bytes: 15, rows: 2 });
    const json = JSON.stringify(generatedRows(7));
    const counted = await countDelivery(chunkedDelivery(json, "json", 9));
    expect(counted).to.deep.equal({ bytes: Buffer.byteLength(json), rows: 7 });
    expect((await countDelivery(chunkedDelivery(FIXTURE, "json_detail", 100))).rows).to.equal(13);
    expect(await countDelivery(chunkedDelivery(Buffer.alloc(10), "xlsx"))).to.deep.equal({ bytes: 10, rows: 0 });
  });

  it("keeps items in order for many generated rows", async () => {
    const rows = generatedRows(3000);
    const doc = JSON.stringify({ fields: { measures: [] }, data: rows, ran_at: "now" });
    const items: JsonDetailItem[] = await collect(jsonDetailItems(chunkedDelivery(doc, "json_detail", 65536)));
    expect(items.length).to.equal(3002);
    expect(items.map((i) => i.kind).filter((k, i, all) => k !== all[i - 1])).to.deep.equal(["fields", "row", "ran_at"]);
    expect((items[3000] as { row: unknown }).row).to.deep.equal(rows[2999]);
  });
});
