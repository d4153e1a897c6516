import { expect } from "chai";
import * as crypto from "crypto";
import { Readable } from "stream";
import { fixedChunks } from "../../../src/data/files/chunks";

async function chunksOf(data: Buffer, size: number, piece = 1000) {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += piece) { parts.push(data.subarray(i, i + piece)); }
  const out: Array<{ bytes: Buffer; offset: number; last: boolean }> = [];
  // Copies, since a chunk's buffer is reused once the next is asked for.
  for await (const c of fixedChunks(Readable.from(parts), size)) { out.push({ ...c, bytes: Buffer.from(c.bytes) }); }
  return out;
}

describe("fixedChunks", () => {
  it("cuts a stream into chunks of the size, the last one marked, whatever the pieces it arrives in", async () => {
    const data = crypto.randomBytes(10_500);
    const chunks = await chunksOf(data, 4096, 777);
    expect(chunks.map((c) => [c.bytes.length, c.offset, c.last])).to.deep.equal(
      [[4096, 0, false], [4096, 4096, false], [2308, 8192, true]]);
    expect(Buffer.concat(chunks.map((c) => c.bytes)).equals(data)).to.equal(true);
  });

  it("marks a full chunk as the last when the stream ends on a boundary", async () => {
    const chunks = await chunksOf(crypto.randomBytes(8192), 4096);
    expect(chunks.map((c) => [c.bytes.length, c.last])).to.deep.equal([[4096, false], [4096, true]]);
  });

  it("yields one empty last chunk for an empty stream", async () => {
    const chunks = await chunksOf(Buffer.alloc(0), 4096);
    expect(chunks.map((c) => [c.bytes.length, c.offset, c.last])).to.deep.equal([[0, 0, true]]);
  });
});
