// The multipart body chat and ticket vendors take a file in (src/families/webhook/multipart_file.ts):
// text parts first, then the file part streamed from the delivery, names that cannot break a header.
import { expect } from "chai";
import { Readable } from "stream";
import { multipartFile } from "../../../src/families/webhook/multipart_file";
import { Delivery } from "../../../src/hub/delivery";
import { UserError } from "../../../src/lib/errors";
import { parseMultipart } from "../../helpers/multipart";

function delivery(chunks: string[]): Delivery {
  return { stream: async () => Readable.from(chunks.map((c) => Buffer.from(c))) } as unknown as Delivery;
}

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) { chunks.push(Buffer.from(chunk as Buffer)); }
  return Buffer.concat(chunks);
}

describe("families/webhook: the multipart file body", () => {
  it("sends the text parts, then the file under its field name, and counts the file's bytes", async () => {
    const file = await multipartFile(delivery(["a,b\n", "1,2\n"]), "Weekly revenue.csv", "text/csv",
      { fields: { payload_json: "{\"content\":\"Hi\"}" }, fileField: "files[0]" });
    const parts = parseMultipart(await read(file.body), file.contentType);
    expect(parts.map((p) => p.name)).to.deep.equal(["payload_json", "files[0]"]);
    expect(parts[0].data.toString()).to.equal("{\"content\":\"Hi\"}");
    expect(parts[1]).to.deep.include({ fileName: "Weekly revenue.csv", contentType: "text/csv" });
    expect(parts[1].data.toString()).to.equal("a,b\n1,2\n");
    expect(file.bytes()).to.equal(8);
  });

  it("is a single `file` part by default, and keeps quotes and line breaks out of the headers", async () => {
    const file = await multipartFile(delivery(["x"]), "a\"b\r\nc é.txt", "text/plain");
    const text = (await read(file.body)).toString();
    expect(text).to.include("name=\"file\"; filename=\"a_b__c _.txt\"; filename*=UTF-8''a%22b%0D%0Ac%20%C3%A9.txt");
    expect(parseMultipart(Buffer.from(text), file.contentType).map((p) => p.name)).to.deep.equal(["file"]);
  });

  it("fails with the vendor's refusal once the file passes its limit, and reads no further", async () => {
    let served = 0;
    const chunks = function* () { for (let i = 0; i < 100; i++) { served++; yield Buffer.alloc(1024, 120); } };
    const source = { stream: async () => Readable.from(chunks()) } as unknown as Delivery;
    const file = await multipartFile(source, "big.csv", "text/csv", {
      maxFileBytes: 4096, tooLarge: (limit) => new UserError(`Over ${limit} bytes.`) });
    const failure = await read(file.body).then(() => undefined, (err: Error) => err);
    expect(failure).to.be.instanceOf(UserError);
    expect(failure!.message).to.equal("Over 4096 bytes.");
    expect(served).to.be.lessThan(20);
  });

  it("sends a file of exactly the limit", async () => {
    const file = await multipartFile(delivery(["abcd"]), "a.csv", "text/csv", { maxFileBytes: 4 });
    expect(parseMultipart(await read(file.body), file.contentType)[0].data.toString()).to.equal("abcd");
  });
});
