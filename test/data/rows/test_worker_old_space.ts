// A row worker's old space kept near its live size (src/data/rows/worker_old_space.ts): collected
// once it grew by OLD_GROWTH_BYTES since the last collection, not before.
import { expect } from "chai";
import * as v8 from "v8";
import { boundOldSpace, OLD_GROWTH_BYTES } from "../../../src/data/rows/worker_old_space";
import { majorCollection } from "../../../src/lib/young_garbage";

const oldUsed = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "old_space")!.space_used_size;

describe("a row worker's old space", () => {
  it("is collected once it grew by OLD_GROWTH_BYTES since the last collection, and not before", () => {
    expect(majorCollection()).to.equal(true);
    boundOldSpace();
    expect(boundOldSpace()).to.equal(false);
    const before = oldUsed();
    // Objects kept through a collection are in old space: it grew past the bound.
    let kept: Array<{ n: number; s: string }> | undefined = Array.from({ length: 200_000 }, (_, n) => ({ n, s: `v${n}` }));
    majorCollection();
    expect(oldUsed() - before).to.be.greaterThan(OLD_GROWTH_BYTES);
    expect(boundOldSpace()).to.equal(true);
    // Still live, so the collection left them: no growth since it.
    expect(boundOldSpace()).to.equal(false);
    expect(kept.length).to.equal(200_000);
    // Gone after a collection: the space fell below the last figure, which becomes the new one.
    kept = undefined;
    majorCollection();
    expect(boundOldSpace()).to.equal(false);
    expect(kept).to.equal(undefined);
  });
});
