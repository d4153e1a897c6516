// SpareBuffers: buffers given back are taken again, at most `most` kept, by the size rule else.
import { expect } from "chai";
import { SpareBuffers } from "../../src/lib/spare_buffers";

describe("SpareBuffers", () => {
  it("makes a new buffer of the size wanted when none was given back, its own memory", () => {
    const spares = new SpareBuffers(2);
    const a = spares.take(100);
    const b = spares.take(100);
    expect(a.length).to.equal(100);
    expect(a.buffer).not.to.equal(b.buffer);
    expect(a.buffer.byteLength).to.equal(100);
  });

  it("hands back the last buffer given back, and keeps at most `most`", () => {
    const spares = new SpareBuffers(2);
    const [a, b, c] = [spares.take(8), spares.take(8), spares.take(8)];
    spares.giveBack(a);
    spares.giveBack(b);
    spares.giveBack(c);
    expect(spares.take(8)).to.equal(b);
    expect(spares.take(8)).to.equal(a);
    const fresh = spares.take(8);
    expect([a, b, c]).not.to.include(fresh);
  });

  it("keeps a buffer given back twice once", () => {
    const spares = new SpareBuffers(4);
    const a = spares.take(8);
    spares.giveBack(a);
    spares.giveBack(a);
    expect(spares.take(8)).to.equal(a);
    expect(spares.take(8)).not.to.equal(a);
  });

  it("sizes a new buffer by its rule, takes a kept one with room, drops one too small", () => {
    const spares = new SpareBuffers(8, (bytes) => Math.ceil(bytes * 1.25 / 4096) * 4096);
    const first = spares.take(5000);
    expect(first.length).to.equal(8192);
    spares.giveBack(first);
    expect(spares.take(8000)).to.equal(first);
    spares.giveBack(first);
    const bigger = spares.take(9000);
    expect(bigger.length).to.equal(12288);
    // The one too small was dropped, not kept for later.
    expect(spares.take(10)).not.to.equal(first);
  });
});
