// The data path's spent buffers freed sooner (src/lib/young_garbage.ts): a scavenge every
// SCAVENGE_EVERY_BYTES of spent data, and a full collection once the Buffers' memory grew by
// EXTERNAL_GROWTH_BYTES (the chunks a scavenge found still in use and moved to the old generation).
import { expect } from "chai";
import * as v8 from "v8";
import { EXTERNAL_GROWTH_BYTES, majorCollection, SCAVENGE_EVERY_BYTES, spentBytes } from "../../src/lib/young_garbage";

const spaceUsed = (name: string) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name)!.space_used_size;
const pastInterval = () => new Promise((resolve) => setTimeout(resolve, 20));
const CHUNK = 64 * 1024;

describe("young garbage", () => {
  it("spent bytes trigger a scavenge, which empties the young generation", async () => {
    // Whatever ran before: a scavenge now sets the count of spent bytes back to 0.
    await pastInterval();
    spentBytes(SCAVENGE_EVERY_BYTES);
    await pastInterval();
    let young: unknown[] = [];
    for (let i = 0; i < 20_000; i++) { young.push({ i }); }
    young = [];
    const before = spaceUsed("new_space");
    for (let i = 1; i < SCAVENGE_EVERY_BYTES / (1024 * 1024); i++) { spentBytes(1024 * 1024); }
    expect(spaceUsed("new_space"), "below the threshold: no scavenge").to.be.at.least(before);
    spentBytes(1024 * 1024);
    expect(spaceUsed("new_space"), "at the threshold: scavenged").to.be.below(before / 2);
    expect(young).to.have.length(0);
  });

  it("collects the old generation once dead Buffers it holds grew by EXTERNAL_GROWTH_BYTES", async () => {
    const external = () => v8.getHeapStatistics().external_memory;
    const scavenge = async () => { await pastInterval(); spentBytes(SCAVENGE_EVERY_BYTES); };
    // A full collection, then a scavenge, set the lowest figure to what is live.
    majorCollection();
    await scavenge();
    // Buffers that lived through two scavenges are in the old generation; then they die.
    const half = Math.floor(EXTERNAL_GROWTH_BYTES / 2 / CHUNK) + 4;
    let chunks: Buffer[] | undefined = Array.from({ length: half }, () => Buffer.allocUnsafeSlow(CHUNK));
    await scavenge();
    await scavenge();
    expect(chunks).to.have.length(half);
    chunks = undefined;
    const dead = external();
    // Half the growth that asks for a full collection: still there.
    await scavenge();
    expect(external()).to.be.at.least(dead - 1024 * 1024);
    // As many more, live: together past the growth, so a full collection frees the dead ones.
    const more = Array.from({ length: half }, () => Buffer.allocUnsafeSlow(CHUNK));
    await scavenge();
    // V8 frees a collected Buffer's memory on its sweeper's time: looked at after the next scavenge.
    await scavenge();
    expect(external()).to.be.below(dead - half * CHUNK * 0.8 + more.length * CHUNK);
    expect(more).to.have.length(half);
  });
});
