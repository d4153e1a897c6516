// Worker threads get the young generation their resourceLimits ask for even when the process
// runs with --max-semi-space-size (src/lib/worker_young_generation.ts), and the flag is back for
// the workers started afterwards without the helper.
import { expect } from "chai";
import * as v8 from "v8";
import { Worker } from "worker_threads";
import { givenSemiSpaceMb, startWithOwnYoungGeneration } from "../../src/lib/worker_young_generation";

/**
 * Makes young garbage, then tells the size of its new space in MB: the smallest of three looks, since
 * V8 13 (Node 24) now and then holds a few pages past its semi-spaces for a while (3.25-6.5 MB seen
 * in about 1 run of 30 with a 1 MB semi-space and no flag at all), which one look took for the flag.
 */
const CHURN = `
const v8 = require("v8");
let keep = [];
let least = Infinity;
for (let look = 0; look < 3; look++) {
  for (let i = 0; i < 1e6; i++) { keep.push({ a: i, b: "x" + i }); if (keep.length > 20000) { keep = []; } }
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
  least = Math.min(least, space.space_size);
}
require("worker_threads").parentPort.postMessage(least / 1048576);
`;

async function newSpaceMb(worker: Worker): Promise<number> {
  const mb = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  return mb;
}

describe("worker young generation", function () {
  this.timeout(20000);

  after(() => v8.setFlagsFromString(`--max-semi-space-size=${givenSemiSpaceMb()}`));

  it("reads the process's semi-space flag from its command line", () => {
    expect(givenSemiSpaceMb(["--max-semi-space-size=8", "--heap-growing-percent=25"])).to.equal(8);
    expect(givenSemiSpaceMb(["--max_semi_space_size=4"])).to.equal(4);
    expect(givenSemiSpaceMb(["--max-semi-space-size=4", "--max-semi-space-size", "2"])).to.equal(2);
    expect(givenSemiSpaceMb(["--expose-gc"])).to.equal(0);
  });

  it("gives a worker its own maxYoungGenerationSizeMb, then the process's flag to the next one", async () => {
    v8.setFlagsFromString("--max-semi-space-size=8");
    const limits = { maxYoungGenerationSizeMb: 3 };
    // Without the helper the flag wins: two 8 MB semi-spaces.
    expect(await newSpaceMb(new Worker(CHURN, { eval: true, resourceLimits: limits }))).to.equal(16);
    const own = await newSpaceMb(startWithOwnYoungGeneration(
      () => new Worker(CHURN, { eval: true, resourceLimits: limits }), 8));
    expect(own).to.be.at.most(2);
    // Back to 8 once that worker was up.
    expect(await newSpaceMb(new Worker(CHURN, { eval: true }))).to.equal(16);
  });

  it("puts the flag back when the worker fails to start", async () => {
    v8.setFlagsFromString("--max-semi-space-size=8");
    const failing = startWithOwnYoungGeneration(() => new Worker("throw new Error('no')", { eval: true }), 8);
    await new Promise((resolve) => { failing.once("error", () => undefined); failing.once("exit", resolve); });
    expect(await newSpaceMb(new Worker(CHURN, { eval: true }))).to.equal(16);
  });
});
