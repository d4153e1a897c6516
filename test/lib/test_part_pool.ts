// The part pool under the S3 and Azure uploads (and Drive's and Dropbox's chunks): parts of the
// size with the last one marked, never more buffers than asked for (the stream waits), and an
// upload that stops reading at the first failure and throws only once no part is in flight.
import { expect } from "chai";
import * as crypto from "crypto";
import { Readable } from "stream";
import { PooledPart, pooledParts, uploadInParts } from "../../src/lib/part_pool";

function pieces(data: Buffer, piece: number): Readable {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += piece) { out.push(data.subarray(i, i + piece)); }
  return Readable.from(out);
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("part pool", () => {
  it("cuts a stream into parts of the size in reused buffers, the last one marked", async () => {
    const data = crypto.randomBytes(10_500);
    const seen: Array<[number, number, number, boolean]> = [];
    const copies: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const part of pooledParts(pieces(data, 777), 2048, 2)) {
      seen.push([part.index, part.offset, part.bytes.length, part.last]);
      copies.push(Buffer.from(part.bytes));
      buffers.add(part.bytes.buffer);
      part.release();
      part.release(); // idempotent
    }
    expect(seen).to.deep.equal([[0, 0, 2048, false], [1, 2048, 2048, false], [2, 4096, 2048, false],
      [3, 6144, 2048, false], [4, 8192, 2048, false], [5, 10240, 260, true]]);
    expect(Buffer.concat(copies).equals(data)).to.equal(true);
    expect(buffers.size).to.be.at.most(2);
  });

  it("marks a full part as the last on a boundary; an empty stream is one empty last part", async () => {
    const exact: Array<[number, boolean]> = [];
    for await (const part of pooledParts(pieces(crypto.randomBytes(4096), 1000), 2048, 2)) {
      exact.push([part.bytes.length, part.last]);
      part.release();
    }
    expect(exact).to.deep.equal([[2048, false], [2048, true]]);
    const empty: Array<[number, boolean]> = [];
    for await (const part of pooledParts(Readable.from([]), 2048, 2)) { empty.push([part.bytes.length, part.last]); }
    expect(empty).to.deep.equal([[0, true]]);
  });

  it("stops reading while every buffer is out, and goes on when one is released", async () => {
    let read = 0;
    const source = new Readable({
      read() { read += 1024; this.push(read > 64 * 1024 ? null : Buffer.alloc(1024, read / 1024)); },
    });
    const held: PooledPart[] = [];
    const parts = pooledParts(source, 4096, 2);
    held.push((await parts.next()).value as PooledPart);
    held.push((await parts.next()).value as PooledPart);
    const third = parts.next();
    let done = false;
    void third.then(() => { done = true; });
    for (let i = 0; i < 20; i++) { await tick(); }
    expect(done).to.equal(false);
    // Two parts held, a third being filled waits for a buffer: what was read is bounded.
    expect(read).to.be.below(4 * 4096 + 64 * 1024);
    const readWhileWaiting = read;
    for (let i = 0; i < 20; i++) { await tick(); }
    expect(read).to.equal(readWhileWaiting);
    held[0].release();
    const next = (await third).value as PooledPart;
    expect(next.index).to.equal(2);
    expect(next.bytes.buffer).to.equal(held[0].bytes.buffer);
    await parts.return(undefined);
  });

  it("sends up to `buffers` parts at once and answers once all are sent", async () => {
    const data = crypto.randomBytes(64 * 1024 + 5);
    let running = 0;
    let most = 0;
    const got: Buffer[] = [];
    const { parts } = await uploadInParts(pieces(data, 3000), { partSize: 8192, buffers: 3 }, async (part) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      got[part.index] = Buffer.from(part.bytes);
      running--;
    });
    expect(parts).to.equal(9);
    expect(most).to.equal(3);
    expect(Buffer.concat(got).equals(data)).to.equal(true);
  });

  it("stops at the first failure: the source is destroyed, thrown once the parts in flight settled", async () => {
    const source = new Readable({ read() { this.push(Buffer.alloc(4096, 1)); } });
    const started: number[] = [];
    const settled: number[] = [];
    const boom = new Error("part 1 failed");
    const err = await uploadInParts(source, { partSize: 4096, buffers: 3 }, async (part) => {
      started.push(part.index);
      if (part.index === 1) { throw boom; }
      await new Promise((resolve) => setTimeout(resolve, 30));
      settled.push(part.index);
    }).catch((e) => e);
    expect(err).to.equal(boom);
    expect(source.destroyed).to.equal(true);
    // Every other part that started had finished before the failure was thrown; none started after.
    expect(settled.sort()).to.deep.equal(started.filter((i) => i !== 1).sort());
    expect(Math.max(...started)).to.be.at.most(2);
  });

  it("throws the source's own failure, and an abort signal stops the upload", async () => {
    const cut = new Error("the download was cut off");
    let reads = 0;
    const failing = new Readable({
      read() { if (++reads > 2) { this.destroy(cut); } else { this.push(Buffer.alloc(5000)); } },
    });
    const sent: number[] = [];
    expect(await uploadInParts(failing, { partSize: 4096, buffers: 2 }, async (part) => { sent.push(part.index); })
      .catch((e) => e)).to.equal(cut);
    const controller = new AbortController();
    const endless = new Readable({ read() { this.push(Buffer.alloc(4096)); } });
    let given: AbortSignal | undefined;
    const stopped = uploadInParts(endless, { partSize: 4096, buffers: 2, signal: controller.signal },
      async (part, signal) => {
        given = signal;
        if (part.index === 3) { controller.abort(new Error("Looker hung up")); }
      }).catch((e) => e);
    expect((await stopped).message).to.equal("Looker hung up");
    expect(given).to.equal(controller.signal);
    expect(endless.destroyed).to.equal(true);
  });
});
