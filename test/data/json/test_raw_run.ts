// RawRun's arrays are reused: a released run's serve the next runs, two runs' at most (a chunk's run
// is still being read while the walker tries one at the chunk's last row, which goes on past the
// chunk and is released at once).
import { expect } from "chai";
import { RawRun } from "../../../src/data/json/raw_run";
import { rawRows } from "../../../src/data/json/raw_rows";

const ROWS = Buffer.from('{"a":{"value":1}},{"a":{"value":"x"}},{"a":{"val');

describe("RawRun's arrays", () => {
  it("serve the next two runs after two runs were released", () => {
    const a = new RawRun(ROWS);
    const b = new RawRun(ROWS);
    b.release();
    a.release();
    const c = new RawRun(ROWS);
    const d = new RawRun(ROWS);
    expect([c.rows, d.rows]).to.have.members([a.rows, b.rows]);
    expect([c.cells, d.cells]).to.have.members([a.cells, b.cells]);
    c.release();
    d.release();
  });

  it("are given once, however often their run is released", () => {
    // Two runs kept, so that no spare is left from before.
    const kept = [new RawRun(ROWS), new RawRun(ROWS)];
    const a = new RawRun(ROWS);
    a.release();
    a.release();
    const c = new RawRun(ROWS);
    const d = new RawRun(ROWS);
    expect(c.rows).not.to.equal(d.rows);
    expect(c.cells).not.to.equal(d.cells);
    for (const run of [...kept, c, d]) { run.release(); }
  });

  it("go round a chunk's run and the try at its last row, none made anew", () => {
    const x = new RawRun(ROWS);
    const y = new RawRun(ROWS);
    x.release();
    y.release();
    const run = rawRows(ROWS, 0)!;
    expect(run.run.count).to.equal(2);
    expect(rawRows(ROWS, ROWS.lastIndexOf('{"a"'))).to.equal(undefined);
    run.run.release();
    const next = rawRows(ROWS, 0)!;
    const after = new RawRun(ROWS);
    expect([next.run.rows, after.rows]).to.have.members([x.rows, y.rows]);
    expect([next.run.count, next.run.row(1)]).to.deep.equal([2, { a: { value: "x" } }]);
    next.run.release();
    after.release();
  });
});
