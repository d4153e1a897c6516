// The multipart body chat and ticket vendors take a file in (src/families/webhook/multipart_file.ts):
// text parts first, then the file part streamed from the delivery, names that cannot break a header.
import { expect } from "chai";
import { Readable } from "stream";
import { multipartFile } from "../../../src/families/webhook/multipart_file";
import { Delivery } from "../../../src/hub/delivery";
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
});
