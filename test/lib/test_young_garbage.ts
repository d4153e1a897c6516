// The data path's spent buffers freed sooner (src/lib/young_garbage.ts): a scavenge every
// SCAVENGE_EVERY_BYTES of spent data, and a full collection every COLLECT_EVERY_BYTES for what a
// scavenge found still in use and moved to the old generation.
import { expect } from "chai";
import * as v8 from "v8";
import { COLLECT_EVERY_BYTES, SCAVENGE_EVERY_BYTES, spentBytes } from "../../src/lib/young_garbage";

const spaceUsed = (name: string) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name)!.space_used_size;
const pastInterval = () => new Promise((resolve) => setTimeout(resolve, 20));

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

  it("every COLLECT_EVERY_BYTES, collects the old generation too", async () => {
    // Objects that lived through two scavenges are in the old generation; then they die.
    let kept: Array<{ n: number; s: string }> | undefined = Array.from({ length: 200_000 }, (_, n) => ({ n, s: `v${n}` }));
    for (let i = 0; i < 2; i++) { await pastInterval(); spentBytes(SCAVENGE_EVERY_BYTES); }
    expect(kept).to.have.length(200_000);
    kept = undefined;
    const before = spaceUsed("old_space");
    // Whatever was counted before, COLLECT_EVERY_BYTES more crosses the mark once.
    for (let i = 0; i < COLLECT_EVERY_BYTES / SCAVENGE_EVERY_BYTES; i++) {
      await pastInterval();
      spentBytes(SCAVENGE_EVERY_BYTES);
    }
    expect(spaceUsed("old_space")).to.be.below(before - 5 * 1024 * 1024);
    expect(kept).to.equal(undefined);
  });
});
