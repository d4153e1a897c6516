// StripCsv, the official hub's SageMaker data preparation on a stream: header dropped, the first
// 0-2 columns of each row dropped, quoted fields kept whole, at every cut of the chunks.
import { expect } from "chai";
import { Readable } from "stream";
import { StripCsv } from "../../../src/integrations/amazon_sagemaker/csv_columns";

async function strip(input: string, columns: number, chunk: number): Promise<{ out: string; header: number }> {
  const bytes = Buffer.from(input);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) { parts.push(bytes.subarray(i, i + chunk)); }
  const transform = new StripCsv(columns);
  const out: Buffer[] = [];
  for await (const c of Readable.from(parts).pipe(transform)) { out.push(c as Buffer); }
  return { out: Buffer.concat(out).toString(), header: transform.headerFields };
}

describe("StripCsv", () => {
  const cases: Array<[string, number, string]> = [
    // The official test_sagemaker_infer.ts case: "should upload inference data, upload raw data, ...".
    ["a,b,c,d\n1,2,3,4\n5,6,7,8\n", 2, "3,4\n7,8\n"],
    // The official test_sagemaker_train_linearlearner.ts case: the header only.
    ["a,b,c,d\n1,2,3,4\n", 0, "1,2,3,4\n"],
    ["a,b\n1,2\n3,4", 1, "2\n4"],
    ["\"x,y\",b,c\n\"1,5\",\"two\nlines\",3\n4,5,6\n", 1, "\"two\nlines\",3\n5,6\n"],
    ["a,b\r\n1,2\r\n", 1, "2\r\n"],
    ["a,b,c\n1\n2,3\n", 2, "\n\n"],
    ["only,a,header", 1, ""],
    ["", 0, ""],
  ];
  for (const [input, columns, expected] of cases) {
    it(`${JSON.stringify(input)} without ${columns} column(s) is ${JSON.stringify(expected)}, whatever the chunks`,
      async () => {
        for (const chunk of [1, 2, 3, 7, 1000]) {
          expect((await strip(input, columns, chunk)).out, `chunks of ${chunk}`).to.equal(expected);
        }
      });
  }

  it("counts the header's columns, quoted commas included once", async () => {
    expect((await strip("\"a,b\",c,d\n1,2,3\n", 0, 2)).header).to.equal(3);
  });

  it("passes the bytes through untouched once the header is gone (no column dropped)", async () => {
    const body = "x".repeat(200_000);
    expect((await strip(`h\n${body}`, 0, 65536)).out).to.equal(body);
  });
});
