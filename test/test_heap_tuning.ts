import { expect } from "chai";
import { ConfigError } from "../src/config";
import { tuneHeapGrowth } from "../src/heap_tuning";
import { testConfig } from "./helpers/app";

describe("heap growth (HEAP_GROWING_PERCENT)", () => {
  it("defaults to 25, takes 0 for V8's own, and refuses what is not a whole number", () => {
    expect(testConfig({}).heapGrowingPercent).to.equal(25);
    expect(testConfig({ HEAP_GROWING_PERCENT: "0" }).heapGrowingPercent).to.equal(0);
    expect(testConfig({ HEAP_GROWING_PERCENT: "100" }).heapGrowingPercent).to.equal(100);
    expect(() => testConfig({ HEAP_GROWING_PERCENT: "-1" })).to.throw(ConfigError, /HEAP_GROWING_PERCENT/);
    expect(() => testConfig({ HEAP_GROWING_PERCENT: "half" })).to.throw(ConfigError, /HEAP_GROWING_PERCENT/);
  });

  it("sets V8's flag once at start, unless it is 0 or the node command line already sets it", () => {
    const set: string[] = [];
    const record = (flags: string) => { set.push(flags); };
    expect(tuneHeapGrowth(50, [], record)).to.equal(true);
    expect(tuneHeapGrowth(0, [], record)).to.equal(false);
    expect(tuneHeapGrowth(50, ["--heap-growing-percent=20"], record)).to.equal(false);
    expect(tuneHeapGrowth(50, ["--inspect", "--heap-growing-percent", "20"], record)).to.equal(false);
    expect(set).to.deep.equal(["--heap-growing-percent=50"]);
  });
});
